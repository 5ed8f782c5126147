/*
 * Quick exit: one key or one click leaves the site at once.
 *
 * Order matters: the content is hidden synchronously in the event handler
 * (so the very next frame is blank, before any network work), then the page
 * is replaced in history with `location.replace`, so Back does not return to
 * the page that was being read.
 */
;(function (haven) {
  'use strict'

  // Types and defaults of the data-* configuration the server renders.
  var SCHEMA = Object.freeze({
    exitUrl: ['string', 'https://www.bbc.co.uk/weather'],
    trigger: ['string', 'escape'],
    // Announced as the page goes; the server renders it in the page's language.
    statusText: ['string', ''],
    clearUrl: ['string', '']
  })

  // key: which key counts; presses: how many within PRESS_WINDOW_MS.
  var TRIGGERS = Object.freeze({
    escape: { key: 'Escape', presses: 1 },
    'escape-twice': { key: 'Escape', presses: 2 },
    'shift-thrice': { key: 'Shift', presses: 3 }
  })
  var PRESS_WINDOW_MS = 1000
  var ACTIVE_CLASS = 'haven-quick-exit-active'

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

  function startQuickExit (root) {
    var config = haven.readConfig(root, SCHEMA)
    var trigger = TRIGGERS[config.trigger] || TRIGGERS.escape
    var link = root.querySelector('a[href]')
    var leaving = false
    var pressTimes = []

    // A live region outside the content that gets hidden, created before it is
    // needed so screen readers are already watching it when the text arrives.
    var status = document.createElement('div')
    status.className = 'haven-quick-exit-status haven-visually-hidden'
    status.setAttribute('role', 'status')
    // Its text is in the quick exit's language, which may not be the page's.
    status.lang = (root.closest('[lang]') || document.documentElement).lang
    document.body.appendChild(status)

    function leave () {
      document.documentElement.classList.add(ACTIVE_CLASS)
      // Once only: the navigation is under way. Starting it again would not
      // hurry it, and WebKit (Safari) drops a navigation to another site
      // that is restarted before it has arrived, leaving the person on a
      // blank page (tests/engines/test_quick_exit_back.py).
      if (leaving) return
      leaving = true
      status.textContent = config.statusText
      if (config.clearUrl && window.fetch) {
        // Fire and forget: keepalive lets the request outlive this page.
        window.fetch(config.clearUrl, { method: 'POST', keepalive: true, credentials: 'same-origin' })
          .catch(function () {})
      }
      window.location.replace(config.exitUrl)
    }

    function isTriggerPress (event) {
      return event.key === trigger.key &&
        !event.defaultPrevented &&
        !event.isComposing && event.keyCode !== 229 &&
        !event.repeat &&
        !event.ctrlKey && !event.altKey && !event.metaKey &&
        !modalIsOpen()
    }

    function onKeydown (event) {
      if (leaving) {
        // Escape also means "stop loading" to browsers, and a panicked person
        // may press it again and again: each press is taken from the browser,
        // so it cannot stop the exit already under way.
        if (event.key === 'Escape' || event.key === trigger.key) event.preventDefault()
        return
      }
      if (!isTriggerPress(event)) {
        if (event.key !== trigger.key) pressTimes = []
        return
      }
      var now = event.timeStamp || Date.now()
      pressTimes = pressTimes.filter(function (time) { return now - time < PRESS_WINDOW_MS })
      pressTimes.push(now)
      if (pressTimes.length >= trigger.presses) {
        event.preventDefault()
        leave()
      }
    }

    // On window, in the bubble phase: listeners on elements and on document
    // run first, so a widget that handles Escape can call preventDefault.
    window.addEventListener('keydown', onKeydown)

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
      leaving = false
      pressTimes = []
      status.textContent = ''
      document.documentElement.classList.remove(ACTIVE_CLASS)
    })
  }

  haven.register('haven-quick-exit', startQuickExit)
})(window.haven)
