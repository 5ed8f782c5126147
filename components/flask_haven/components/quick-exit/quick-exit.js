/*
 * Quick exit: one key or one click leaves the site at once.
 *
 * Order matters: the content is hidden synchronously in the event handler
 * (so the very next frame is blank, before any network work), then the page
 * is replaced in history with `location.replace`, so Back does not return to
 * the page that was being read. Counting the exit and clearing site data come
 * after the navigation has started, so neither can delay it.
 *
 * With journey protection, moving between this site's own pages replaces the
 * history entry too, so after the exit Back goes to the page before the visit.
 */
;(function (haven) {
  'use strict'

  // Types and defaults of the data-* configuration the server renders.
  var SCHEMA = Object.freeze({
    exitUrl: ['string', 'https://www.bbc.co.uk/weather'],
    trigger: ['string', 'escape'],
    // Texts the server renders in the page's language ({n}: presses so far).
    statusText: ['string', ''],
    progressText: ['string', ''],
    clearUrl: ['string', ''],
    countUrl: ['string', ''],
    journey: ['boolean', false],
    ignoreInFields: ['boolean', false]
  })

  // key: which key counts; presses: how many, each within PRESS_GAP_MS of
  // the last. `none` is the link alone (the gallery's own header).
  var TRIGGERS = Object.freeze({
    escape: { key: 'Escape', presses: 1 },
    'escape-twice': { key: 'Escape', presses: 2 },
    'shift-thrice': { key: 'Shift', presses: 3 },
    none: { presses: 1 }
  })
  // Long enough to hear "pressed 1 of 3" before pressing again.
  var PRESS_GAP_MS = 3000
  var ACTIVE_CLASS = 'haven-quick-exit-active'
  var MARK_ON = 'haven-quick-exit__mark--on'
  var NOT_TYPED_IN = /^(button|submit|reset|checkbox|radio|range|color|file|image)$/

  function leaving () {
    return document.documentElement.classList.contains(ACTIVE_CLASS)
  }

  // Escape belongs to an open modal dialog first: closing it must not throw
  // the person off the site.
  function modalIsOpen () {
    var dialog
    try {
      dialog = document.querySelector('dialog:modal')
    } catch (unsupported) {
      dialog = document.querySelector('dialog[open]')
    }
    return Boolean(dialog || document.querySelector('[aria-modal="true"]:not([hidden])'))
  }

  // Where Escape may mean "clear this field" (only with ignoreInFields).
  function isTextField (el) {
    return el.isContentEditable || el.tagName === 'TEXTAREA' ||
      (el.tagName === 'INPUT' && !NOT_TYPED_IN.test(el.type))
  }

  function startQuickExit (root) {
    var config = haven.readConfig(root, SCHEMA)
    var trigger = TRIGGERS[config.trigger] || TRIGGERS.escape
    var link = root.querySelector('a[href]')
    var marks = root.querySelectorAll('.haven-quick-exit__mark')
    var left = false
    var presses = 0
    var timer

    // A live region outside the content that gets hidden, created before it is
    // needed so screen readers are already watching it when the text arrives.
    var status = document.createElement('div')
    status.className = 'haven-quick-exit-status haven-visually-hidden'
    status.setAttribute('role', 'status')
    // Its text is in the quick exit's language, which may not be the page's.
    status.lang = (root.closest('[lang]') || document.documentElement).lang
    document.body.appendChild(status)

    // One mark per press so far, and the count read out; 0 clears both.
    function progress (count) {
      presses = count
      marks.forEach(function (mark, index) { mark.classList.toggle(MARK_ON, index < count) })
      status.textContent = count ? config.progressText.replace('{n}', count) : ''
    }

    function leave () {
      document.documentElement.classList.add(ACTIVE_CLASS)
      // Once only: the navigation is under way. Starting it again would not
      // hurry it, and WebKit (Safari) drops a navigation to another site
      // that is restarted before it has arrived, leaving the person on a
      // blank page (tests/engines/test_quick_exit_back.py).
      if (left) return
      left = true
      status.textContent = config.statusText
      window.location.replace(config.exitUrl)
      // Fire and forget: the request outlives this page.
      if (config.clearUrl && window.fetch) {
        window.fetch(config.clearUrl, { method: 'POST', keepalive: true, credentials: 'same-origin' })
          .catch(function () {})
      }
      // Queued in this same task, after the navigation has started: sendBeacon
      // only hands the request to the browser, so it costs the exit nothing.
      // (A timer would lose the count whenever the exit page answers first.)
      if (config.countUrl && navigator.sendBeacon) navigator.sendBeacon(config.countUrl)
    }

    function isTriggerPress (event) {
      return event.key === trigger.key &&
        !event.defaultPrevented &&
        !event.isComposing && event.keyCode !== 229 &&
        !event.repeat &&
        !event.ctrlKey && !event.altKey && !event.metaKey &&
        !(config.ignoreInFields && isTextField(event.target)) &&
        !modalIsOpen()
    }

    function onKeydown (event) {
      if (left) {
        // Escape also means "stop loading" to browsers, and a panicked person
        // may press it again and again: each press is taken from the browser,
        // so it cannot stop the exit already under way.
        if (event.key === 'Escape' || event.key === trigger.key) event.preventDefault()
        return
      }
      if (!isTriggerPress(event)) {
        // Any other key (a capital letter typed with Shift) starts the count again.
        if (event.key !== trigger.key && presses) progress(0)
        return
      }
      clearTimeout(timer)
      if (presses + 1 >= trigger.presses) {
        event.preventDefault()
        return leave()
      }
      progress(presses + 1)
      timer = setTimeout(progress, PRESS_GAP_MS, 0)
    }

    // On window, in the bubble phase: listeners on elements and on document
    // run first, so a widget that handles Escape can call preventDefault.
    window.addEventListener('keydown', onKeydown)
    // Compile the key path and parse its selectors now, so that the first press,
    // the one that matters, is as quick as any later one.
    onKeydown({ key: '' })
    modalIsOpen()

    if (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault()
        leave()
      })
    }

    // Coming back through the back/forward cache: show the page again rather
    // than a blank one, and let the quick exit work a second time.
    window.addEventListener('pageshow', function (event) {
      if (!event.persisted) return
      left = false
      clearTimeout(timer)
      progress(0)
      document.documentElement.classList.remove(ACTIVE_CLASS)
    })

    // Once per document. A flag on <body>, not on `haven`: a form answer written
    // in with document.write brings a new body and drops the old listeners.
    if (config.journey && !document.body.havenJourney) protectJourney()
  }

  // Replace, never add, history entries while moving between this site's pages.
  function protectJourney () {
    var sending = false
    document.body.havenJourney = true

    function go (url) {
      // A page that is leaving stays left: a late answer must not bring it back.
      if (!leaving()) window.location.replace(url)
    }

    // Bubble phase on document: a component that handles its own clicks or
    // submits (and calls preventDefault) runs first and is left alone.
    document.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('a[href], area[href]')
      if (!link || event.defaultPrevented || event.button || event.ctrlKey || event.metaKey ||
          event.shiftKey || event.altKey || typeof link.href !== 'string' ||
          (link.target && link.target !== '_self') || link.hasAttribute('download')) return
      var url = new URL(link.href)
      if (url.origin !== location.origin) return
      event.preventDefault()
      go(url.href)
    })

    document.addEventListener('submit', function (event) {
      var form = event.target
      var button = event.submitter
      // Attributes, not properties: a field named "action" would hide form.action.
      function pick (name, fallback) {
        return (button && button.getAttribute('form' + name)) || form.getAttribute(name) || fallback
      }
      var action = new URL(pick('action', ''), document.baseURI)
      var method = pick('method', 'get').toLowerCase()
      var target = pick('target', '_self')
      if (event.defaultPrevented || action.origin !== location.origin || target !== '_self' ||
          method === 'dialog') return
      event.preventDefault()
      var data = new FormData(form, button)
      if (method !== 'post') {
        action.search = new URLSearchParams(data)
        return go(action.href)
      }
      if (sending) return
      sending = true
      // The server answers a redirect with Haven-Location instead, so the
      // page it names is loaded once, in this entry's place.
      window.fetch(action, {
        method: 'POST',
        body: /multipart/.test(pick('enctype', '')) ? data : new URLSearchParams(data),
        credentials: 'same-origin',
        headers: { 'Haven-Journey': '1' }
      }).then(function (response) {
        var next = response.headers.get('Haven-Location')
        if (next) return go(next)
        // Anything else (the form again, with its errors) is shown in this
        // entry's place, as the browser would have shown it.
        return response.text().then(function (html) {
          if (leaving()) return
          history.replaceState(null, '', response.url)
          document.open()
          document.write(html)
          document.close()
          var first = document.querySelector('[autofocus]')
          if (first) first.focus()
        })
      }, function () {
        // The request never got an answer: post the ordinary way instead.
        form.submit()
      }).then(function () { sending = false })
    })
  }

  haven.register('haven-quick-exit', startQuickExit)
})(window.haven)
