/*
 * The gallery's own script; not part of the library bundle.
 *
 * - Copy buttons for the code examples. They are created here, so a browser
 *   without JavaScript never shows a button that does nothing. Each sits in a
 *   header row whose height is reserved in CSS, so nothing shifts when it appears.
 * - Example previews grow to fit what they show, instead of scrolling inside.
 */
;(function () {
  'use strict'

  if (!('querySelectorAll' in document) || !window.Promise) return

  // The clipboard API needs a secure context (https or localhost); elsewhere
  // fall back to copying a selection.
  function copyText (text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text)
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea')
      var active = document.activeElement
      area.value = text
      area.setAttribute('readonly', '')
      area.className = 'demo-copy__scratch'
      document.body.appendChild(area)
      area.select()
      var copied = false
      try { copied = document.execCommand('copy') } catch (error) {}
      document.body.removeChild(area)
      if (active && active.focus) active.focus()
      if (copied) resolve()
      else reject(new Error('copy refused'))
    })
  }

  function addCopyButton (block) {
    var code = block.querySelector('pre code')
    var header = block.querySelector('.demo-code__header')
    if (!code || !header) return

    var button = document.createElement('button')
    button.type = 'button'
    button.className = 'demo-copy__button'
    button.textContent = block.getAttribute('data-copy-label')
    // The visible text starts the accessible name (WCAG 2.5.3); the hidden
    // rest says which of the many "Copy" buttons this is.
    var context = document.createElement('span')
    context.className = 'haven-visually-hidden'
    context.textContent = block.getAttribute('data-copy-context') || ''
    button.appendChild(context)

    // Polite: confirming a copy must not interrupt what is being read.
    var status = document.createElement('span')
    status.className = 'demo-copy__status'
    status.setAttribute('role', 'status')

    var timer
    function say (text) {
      window.clearTimeout(timer)
      // Empty first, so saying "Copied" twice is announced twice.
      status.textContent = ''
      timer = window.setTimeout(function () {
        status.textContent = text
        timer = window.setTimeout(function () { status.textContent = '' }, 5000)
      }, 50)
    }

    button.addEventListener('click', function () {
      copyText(code.textContent).then(
        function () { say('Copied') },
        function () { say('Could not copy: select the code and copy it instead') }
      )
    })
    header.appendChild(button)
    header.appendChild(status)
  }

  function fitFrame (frame) {
    var body
    try {
      body = frame.contentDocument && frame.contentDocument.body
    } catch (crossOrigin) {
      return
    }
    if (!body) return
    frame.style.height = Math.max(body.scrollHeight, 96) + 'px'
  }

  function watchFrame (frame) {
    function start () {
      fitFrame(frame)
      var win = frame.contentWindow
      try {
        if (win && win.ResizeObserver && frame.contentDocument.body) {
          new win.ResizeObserver(function () { fitFrame(frame) }).observe(frame.contentDocument.body)
        }
      } catch (crossOrigin) {
        // A preview whose quick exit was used now shows another site's page.
      }
    }
    frame.addEventListener('load', start)
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete' &&
        frame.contentDocument.body && frame.contentDocument.body.childElementCount) start()
  }

  document.querySelectorAll('[data-copy-label]').forEach(addCopyButton)
  document.querySelectorAll('.demo-example__frame').forEach(watchFrame)
})()
