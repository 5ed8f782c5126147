/*
 * Error notice: wires the "Hide this message" button of server-rendered
 * notices, and gives enhanced components a way to report a failure:
 *
 *   haven.showError(container, {title, text, details, dismissible})  -> the notice element
 *   haven.hideError(container)
 *
 * showError puts the notice first in `container`, with the markup the server
 * renders. Called again with the same options it keeps the notice that is
 * there, untouched, so a screen reader announces it once.
 */
;(function (haven) {
  'use strict'

  var BLOCK = 'haven-error-notice'

  function noticeIn (container) {
    return container.querySelector(':scope > .' + BLOCK)
  }

  // If focus was inside the notice, it goes back to the control the person
  // was using when the notice appeared, else to the notice's container:
  // never lost to the top of the page.
  function hide (notice) {
    var back = notice.havenReturnFocus
    var container = notice.parentNode
    var hadFocus = notice.contains(document.activeElement)
    container.removeChild(notice)
    if (!hadFocus) return
    if (!back || !back.isConnected || back === document.body) {
      back = container
      if (back.tabIndex < 0) back.tabIndex = -1
    }
    back.focus()
  }

  function start (notice) {
    var button = notice.querySelector('button')
    if (!button) return
    button.hidden = false
    button.addEventListener('click', function () { hide(notice) })
  }

  function add (notice, tag, part, text) {
    if (!text) return
    var node = notice.appendChild(document.createElement(tag))
    node.className = BLOCK + '__' + part
    node.textContent = text
    return node
  }

  haven.showError = function (container, options) {
    options = options || {}
    var key = JSON.stringify(options)
    var notice = noticeIn(container)
    if (notice && notice.havenKey === key) return notice
    // A different message replaces the old one; inserting it fresh is what
    // makes screen readers announce the new text.
    if (notice) container.removeChild(notice)
    notice = document.createElement('div')
    notice.className = BLOCK
    notice.setAttribute('role', 'alert')
    add(notice, 'h2', 'title', options.title)
    // Default texts come from the layout's <body data-haven-*-text>, in the
    // page's language, from the same catalogue as the server's own notices.
    var texts = document.body.dataset
    add(notice, 'p', 'text', options.text || texts.havenErrorText)
    add(notice, 'p', 'details', options.details)
    // dismissible: false for a notice whose form stays to try again (the cookie banner).
    var dismiss = options.dismissible !== false && add(notice, 'button', 'dismiss', texts.havenDismissText)
    if (dismiss) {
      dismiss.type = 'button'
      dismiss.className = 'haven-button haven-button--secondary ' + dismiss.className
    }
    notice.havenKey = key
    notice.havenReturnFocus = document.activeElement
    container.insertBefore(notice, container.firstChild)
    start(notice)
    return notice
  }

  haven.hideError = function (container) {
    var notice = noticeIn(container)
    if (notice) hide(notice)
  }

  haven.register('haven-error-notice', start)
})(window.haven)
