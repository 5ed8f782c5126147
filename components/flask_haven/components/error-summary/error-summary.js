/*
 * Error summary: each link moves focus to its field without changing the
 * address (so Back still means "the previous page"), and scrolls so the
 * field's label, or a group's legend, is in view: the question matters as
 * much as the box. Focus on load needs no script: the summary has `autofocus`.
 */
;(function (haven) {
  'use strict'

  function start (summary) {
    summary.addEventListener('click', function (event) {
      // `hash` is the link's "#id" (undefined when the click was not on a link).
      var target = document.getElementById((event.target.hash || '').slice(1))
      if (!target) return
      var group = target.closest('fieldset')
      // A link to a group of radios or checkboxes goes to its first input,
      // and the group's legend (its question) scrolls into view with it.
      var input = target === group ? target.querySelector('input') : target
      if (!input) return
      event.preventDefault()
      ;((/radio|checkbox/.test(input.type) && group) || (input.labels || [])[0] || input).scrollIntoView()
      input.focus({ preventScroll: true })
    })
  }

  haven.register('haven-error-summary', start)
})(window.haven)
