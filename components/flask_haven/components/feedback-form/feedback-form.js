/*
 * Feedback form: a live character count. Without JavaScript the hint states
 * the limit and the server enforces it. The visible count updates at once but
 * is hidden from screen readers; a polite live region repeats it only after
 * typing pauses, so it is not read out on every key press.
 */
;(function (haven) {
  'use strict'

  var DEFAULTS = Object.freeze({
    maxLength: '1200',
    leftText: 'Characters left: {n}',
    overText: 'Characters over the limit: {n}'
  })

  haven.register('haven-feedback-form', function (root) {
    var config = haven.readConfig(root, DEFAULTS)
    var field = root.querySelector('textarea')
    var shown = root.querySelector('[data-haven-count]')
    var spoken = root.querySelector('[data-haven-count-spoken]')
    var timer
    if (!field || !shown || !spoken) return

    function update () {
      // Code points, as the server counts; textarea values use \n, as it stores.
      var left = config.maxLength - Array.from(field.value).length
      shown.className = 'haven-feedback-form__count ' + (left < 0 ? 'haven-error-message' : 'haven-hint')
      shown.textContent = (left < 0 ? config.overText : config.leftText).replace('{n}', Math.abs(left))
    }

    update()
    field.addEventListener('input', function () {
      update()
      clearTimeout(timer)
      timer = setTimeout(function () { spoken.textContent = shown.textContent }, 1000)
    })
  })
})(window.haven)
