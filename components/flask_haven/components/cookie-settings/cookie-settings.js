/*
 * The cookies page form, saved with fetch so the page does not reload: the
 * saved notification takes focus, the receipt shows the new record and the
 * consent change applies at once. The one-action objection form (a category
 * relying on a UK exception) is sent the same way.
 * A page that already shows errors, and a 400 answer, fall back to the
 * normal post, so the server renders the errors in one place.
 */
;(function (haven) {
  'use strict'

  function startSettings (root) {
    var form = root.querySelector('.haven-cookie-settings__form')
    var objection = root.querySelector('.haven-cookie-settings__objection')
    // The page may show the messages at the top of <main>, outside the form.
    var messages = document.getElementById(root.getAttribute('data-messages')) || root
    var success = messages.querySelector('[data-haven-success]')
    var busy = false
    if (messages.querySelector('[data-module="haven-error-summary"]')) return

    function submit (event) {
      event.preventDefault()
      if (busy) return
      busy = true
      success.hidden = true
      haven.consent.send(event.target, event.submitter).then(function (data) {
        messages.querySelector('[data-haven-error]').innerHTML = ''
        var receipt = root.querySelector('[data-haven-receipt]')
        // Our own server's escaped template, rendered for this very choice.
        if (receipt && data.receipt) receipt.outerHTML = data.receipt
        // An objection: its category now shows No, and the button goes.
        var objected = event.submitter && event.submitter.value
        if (objected) {
          event.submitter.hidden = true
          form.elements[objected][1].checked = true
        }
        success.hidden = false
        success.focus()
        haven.consent.changed(data)
      }, function (error) {
        if (error && error.status === 400) return event.target.submit()
        haven.showError(messages.querySelector('[data-haven-error]'), { dismissible: false })
      }).then(function () { busy = false })
    }

    form.addEventListener('submit', submit)
    if (objection) objection.addEventListener('submit', submit)
  }

  haven.register('haven-cookie-settings', startSettings, { requires: ['consent', 'showError'] })
})(window.haven)
