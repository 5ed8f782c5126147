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

  /**
   * Delete every cookie of `entries` ({name, paths, domains} from the server:
   * a name or `*` pattern, and where the policy says it may be set).
   *
   * A cookie is only deleted with the path and domain it was set with, which
   * the page cannot read. So each is expired on the paths and domains the
   * policy declares (a named one even when this page cannot see it, as on
   * another path) and, for what the policy does not declare, on this host,
   * its parent domains and every path up to this page.
   */
  function clear (entries) {
    var host = location.hostname.split('.')
    var segments = location.pathname.split('/')
    var seen = document.cookie.split(/; ?/).map(function (pair) { return pair.split('=')[0] })
    entries.forEach(function (entry) {
      var test = toRegExp(entry.name)
      var names = entry.name.indexOf('*') < 0 ? [entry.name] : seen.filter(function (name) { return test.test(name) })
      var paths = entry.paths.concat(segments.map(function (_, i) { return segments.slice(0, i + 1).join('/') || '/' }))
      var domains = [''].concat(entry.domains, host.map(function (_, i) { return host.slice(i).join('.') }))
      names.forEach(function (name) {
        paths.forEach(function (path) {
          domains.forEach(function (domain) {
            document.cookie = name + '=;expires=Thu, 01 Jan 1970 00:00:00 GMT;path=' + path + (domain && ';domain=' + domain)
          })
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
        // Say which choice was saved, so the person can check it is the one they meant.
        var said = confirmation.querySelector('[data-haven-outcome="' + data.outcome + '"]')
        if (said) said.hidden = false
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
      // The banner is gone: continue where the page's content starts. Without
      // scrolling: the page stays where the person was reading, instead of
      // sliding its header up under the sticky quick exit bar.
      var main = document.getElementById('main-content')
      if (main) main.focus({ preventScroll: true })
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
