/*
 * The gallery's own script; not part of the library bundle.
 *
 * - Copy buttons for the code examples. They are created here, so a browser
 *   without JavaScript never shows a button that does nothing. Each sits in a
 *   header row whose height is reserved in CSS, so nothing shifts when it appears.
 * - The preview switches apply at once, in place: each change updates the
 *   frames, the links to the previews and the address (without JavaScript the
 *   form's button does it with a new page).
 * - A preview whose content has focus is marked, for its focus ring: the
 *   browser draws none round a frame.
 * - A preview's frame is as tall as its example's screenshot (gallery.css);
 *   when the content turns out taller or shorter (another language, a new
 *   example), the frame follows it.
 */
;(function () {
  'use strict'

  if (!('querySelectorAll' in document) || !window.Promise || !window.URLSearchParams) return

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
    // The library's one secondary button.
    button.className = 'haven-button haven-button--secondary demo-copy__button'
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

  // -- previews: height and focus ---------------------------------------------

  function frameDocument (frame) {
    try {
      return frame.contentDocument
    } catch (crossOrigin) {
      return null
    }
  }

  // Only an example's frame grows to fit; a whole page keeps a screen's height
  // and scrolls inside.
  function fitFrame (preview, frame) {
    if (preview.classList.contains('demo-preview--viewport')) return
    var doc = frameDocument(frame)
    if (!doc || !doc.documentElement) return
    // The page's own height (scrollHeight is never less than the frame's).
    var wanted = Math.max(Math.ceil(doc.documentElement.getBoundingClientRect().height), 48)
    if (Math.abs(wanted - frame.offsetHeight) > 1) {
      preview.style.setProperty('--demo-frame-height', wanted + 'px')
    }
  }

  function watchPreview (preview) {
    var frame = preview.querySelector('iframe')
    if (!frame) return
    function start () {
      // Null once a preview's quick exit has taken its frame to another site.
      var doc = frameDocument(frame)
      if (!doc || !doc.body) return
      fitFrame(preview, frame)
      var win = frame.contentWindow
      if (win && win.ResizeObserver) {
        new win.ResizeObserver(function () { fitFrame(preview, frame) }).observe(doc.body)
      }
      doc.addEventListener('focusin', function () { preview.classList.add('demo-preview--focused') })
      doc.addEventListener('focusout', function (event) {
        if (!event.relatedTarget) preview.classList.remove('demo-preview--focused')
      })
      // Focus leaving the frame altogether (to the page around it, or away).
      win.addEventListener('blur', function () { preview.classList.remove('demo-preview--focused') })
    }
    frame.addEventListener('load', start)
    var doc = frameDocument(frame)
    if (doc && doc.readyState === 'complete' && doc.body && doc.body.childElementCount) start()
  }

  // -- the switches, applied at once ------------------------------------------

  // The switches a preview takes in its address; the width is the page's own.
  var PREVIEW_KEYS = ['theme', 'lang', 'dir', 'js']
  // Left out of addresses when chosen, as the server leaves them out.
  var DEFAULTS = { theme: 'default', js: 'on' }

  function withSwitches (href, values) {
    var url = new URL(href, window.location.href)
    PREVIEW_KEYS.forEach(function (key) {
      if (!(key in values)) return
      if (values[key] === DEFAULTS[key]) url.searchParams.delete(key)
      else url.searchParams.set(key, values[key])
    })
    return url.pathname + url.search + url.hash
  }

  function checkedLabel (form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked')
    var label = input && form.querySelector('label[for="' + input.id + '"]')
    return label ? label.textContent.trim().toLowerCase() : ''
  }

  function applySwitches (form) {
    var values = {}
    new window.FormData(form).forEach(function (value, key) { values[key] = String(value) })
    document.querySelectorAll('[data-preview]').forEach(function (preview) {
      if (values.width && !preview.closest('.demo-frames')) preview.setAttribute('data-width', values.width)
      var frame = preview.querySelector('iframe')
      var next = withSwitches(frame.getAttribute('src'), values)
      if (next !== frame.getAttribute('src')) frame.setAttribute('src', next)
      // A whole page's frame names its theme, JavaScript and direction.
      if (form.querySelector('input[name="js"]')) {
        var title = frame.getAttribute('data-title-base').split(',').slice(0, 1).join(',') +
          ', ' + checkedLabel(form, 'theme') + ' theme, JavaScript ' + checkedLabel(form, 'js')
        if (values.dir === 'rtl') title += ', ' + checkedLabel(form, 'dir')
        frame.setAttribute('title', title)
      }
    })
    document.querySelectorAll('[data-preview-link]').forEach(function (link) {
      link.setAttribute('href', withSwitches(link.getAttribute('href'), values))
    })
    var page = new URL(form.getAttribute('action'), window.location.href)
    Object.keys(values).forEach(function (key) {
      if (values[key] === DEFAULTS[key]) page.searchParams.delete(key)
      else page.searchParams.set(key, values[key])
    })
    window.history.replaceState(null, '', page.pathname + page.search)
  }

  document.querySelectorAll('[data-copy-label]').forEach(addCopyButton)
  document.querySelectorAll('[data-preview]').forEach(watchPreview)
  document.querySelectorAll('[data-demo-switches]').forEach(function (form) {
    form.addEventListener('change', function () { applySwitches(form) })
  })
})()
