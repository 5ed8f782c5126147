/*
 * The cookies page form, saved with fetch so the page does not reload: the
 * success message takes focus and the consent change applies at once.
 * A page that already shows errors, and a 400 answer, fall back to the
 * normal post, so the server renders the errors in one place.
 */
;(function (haven) {
  'use strict'

  function startSettings (root) {
    var form = root.querySelector('form')
    var success = root.querySelector('[data-haven-success]')
    var busy = false
    if (root.querySelector('[data-module="haven-error-summary"]')) return

    form.addEventListener('submit', function (event) {
      event.preventDefault()
      if (busy) return
      busy = true
      success.hidden = true
      haven.consent.send(form).then(function (data) {
        root.querySelector('[data-haven-error]').innerHTML = ''
        success.hidden = false
        success.focus()
        haven.consent.changed(data)
      }, function (error) {
        if (error && error.status === 400) return form.submit()
        haven.showError(root.querySelector('[data-haven-error]'), { dismissible: false })
      }).then(function () { busy = false })
    })
  }

  haven.register('haven-cookie-settings', startSettings, { requires: ['consent', 'showError'] })
})(window.haven)
