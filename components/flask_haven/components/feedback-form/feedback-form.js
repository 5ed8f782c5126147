/*
 * Feedback form: a live character count. Without JavaScript the hint states
 * the limit and the server enforces it. The visible count updates at once but
 * is hidden from screen readers; a polite live region repeats it only after
 * typing pauses, so it is not read out on every key press.
 */
;(function (haven) {
  'use strict'

  // The texts come from the server (data-left-text, data-over-text), in the
  // page's language; these bare numbers are only a last resort.
  var SCHEMA = Object.freeze({
    maxLength: ['number', 1200],
    leftText: ['string', '{n}'],
    overText: ['string', '-{n}']
  })

  haven.register('haven-feedback-form', function (root) {
    var config = haven.readConfig(root, SCHEMA)
    var field = root.querySelector('textarea')
    var shown = root.querySelector('[data-haven-count]')
    var spoken = root.querySelector('[data-haven-count-spoken]')
    var timer
    if (!field || !shown || !spoken) return
    // Numbers written as the text around them expects (1,200 or 1.200).
    var lang = (root.closest('[lang]') || document.documentElement).lang || undefined

    function update () {
      // Code points, as the server counts; textarea values use \n, as it stores.
      var left = config.maxLength - Array.from(field.value).length
      shown.className = 'haven-feedback-form__count ' + (left < 0 ? 'haven-error-message' : 'haven-hint')
      shown.textContent = (left < 0 ? config.overText : config.leftText).replace('{n}', Math.abs(left).toLocaleString(lang))
    }

    update()
    field.addEventListener('input', function () {
      update()
      clearTimeout(timer)
      timer = setTimeout(function () { spoken.textContent = shown.textContent }, 1000)
    })
  })
})(window.haven)
