/*
 * Cookie consent in the browser: `haven.consent.allows(category)`, the
 * `haven:consent-change` event, gated scripts and the banner.
 *
 * The server is the authority: it checks the signed consent cookie and
 * writes the allowed categories into the page (`data-haven-consent` on
 * <html>); this script never trusts the cookie's text, which anything on
 * the site's paths could forge. Saving posts the same form the no-JS page
 * submits, with fetch, and changes nothing until the server says the choice
 * is stored (its answer then says what is allowed).
 */
;(function (haven) {
  'use strict'

  var TIMEOUT_MS = 10000

  var allowed = (document.documentElement.getAttribute('data-haven-consent') || '').split(' ')

  /** True if cookies of `category` may be used (essential always). */
  function allows (category) {
    return category === 'essential' || allowed.indexOf(category) > -1
  }

  /** Swap each inert gated script of an allowed category for a running one. */
  function runScripts () {
    document.querySelectorAll('script[type="text/plain"][data-haven-consent]').forEach(function (inert) {
      var category = inert.getAttribute('data-haven-consent')
      if (!allows(category)) return
      // Copy every attribute the site gave (integrity, crossorigin, nonce,
      // defer, async...) but the two that kept it inert. A script made by
      // createElement runs async unless told otherwise: keep the site's order.
      var script = document.createElement('script')
      Array.prototype.forEach.call(inert.attributes, function (attr) {
        if (attr.name !== 'type' && attr.name !== 'data-src') script.setAttribute(attr.name, attr.value)
      })
      if (inert.nonce) script.nonce = inert.nonce
      script.async = inert.hasAttribute('async')
      script.src = inert.getAttribute('data-src')
      inert.parentNode.replaceChild(script, inert)
    })
  }

  function toRegExp (pattern) {
    return new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$')
  }

  /** Delete every cookie matching `patterns` (names, `*` wildcards). */
  function clear (patterns) {
    var tests = patterns.map(toRegExp)
    var host = location.hostname.split('.')
    var segments = location.pathname.split('/')
    document.cookie.split(';').forEach(function (pair) {
      var name = pair.split('=')[0].trim()
      if (!tests.some(function (test) { return test.test(name) })) return
      // A cookie is only deleted with the path and domain it was set with,
      // which the page cannot read: try this host, its parent domains and
      // every path up to this page. The server has already expired the one
      // it can reach (this host, path /), so that pair is skipped.
      var domains = ['']
      for (var i = 0; i < host.length - 1; i++) domains.push(';domain=.' + host.slice(i).join('.'))
      segments.forEach(function (segment, index) {
        var path = segments.slice(0, index + 1).join('/') || '/'
        domains.forEach(function (domain) {
          if (path === '/' && !domain) return
          document.cookie = name + '=;expires=Thu, 01 Jan 1970 00:00:00 GMT;path=' + path + domain
        })
      })
    })
  }

  /** Apply a saved choice: clear refused cookies, run allowed scripts, tell the page. */
  function changed (data) {
    allowed = Object.keys(data.choices || {}).filter(function (name) { return data.choices[name] })
    clear(data.clear || [])
    runScripts()
    document.dispatchEvent(new CustomEvent('haven:consent-change', { detail: { choices: data.choices } }))
  }

  /** POST `form` (plus the pressed button) with fetch; resolves with the JSON
   *  answer, rejects on an error status (with the response), a network
   *  failure or a timeout. */
  function send (form, button) {
    var body = new FormData(form)
    if (button && button.name) body.append(button.name, button.value)
    var controller = new AbortController()
    var timer = setTimeout(function () { controller.abort() }, TIMEOUT_MS)
    function done () { clearTimeout(timer) }
    return fetch(form.action, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      // A custom header: another origin could only send it after a CORS
      // preflight, which the server never approves (docs/security.md).
      headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' },
      signal: controller.signal
    }).then(function (response) {
      done()
      if (!response.ok) throw response
      return response.json()
    }, function (error) {
      done()
      throw error
    })
  }

  function startBanner (root) {
    var question = root.querySelector('.haven-cookie-banner__question')
    var confirmation = root.querySelector('[data-haven-confirmation]')
    var form = question.querySelector('form')
    var busy = false

    form.addEventListener('submit', function (event) {
      event.preventDefault()
      if (busy) return
      busy = true
      send(form, event.submitter || document.activeElement).then(function (data) {
        question.hidden = true
        confirmation.hidden = false
        // Focus follows the content the person is now meant to read.
        confirmation.focus()
        changed(data)
      }, function () {
        // The technical-problem notice (role=alert, so it is announced); the
        // buttons stay, so the person can try again.
        haven.showError(root.querySelector('[data-haven-error]'), { dismissible: false })
      }).then(function () { busy = false })
    })

    confirmation.querySelector('form').addEventListener('submit', function (event) {
      event.preventDefault()
      root.hidden = true
      // The banner is gone: continue where the page's content starts.
      var main = document.getElementById('main-content')
      if (main) main.focus()
    })

    // A choice saved elsewhere on the page (the cookies page) answers the question.
    document.addEventListener('haven:consent-change', function () {
      if (!question.hidden) root.hidden = true
    })
  }

  haven.consent = { allows: allows, send: send, changed: changed }
  haven.register('haven-cookie-banner', startBanner, { requires: ['showError'] })
  runScripts()
})(window.haven)
