/*
 * flask-haven's Google Consent Mode v2 bridge, loaded (deferred, after the
 * bundle) only when the site sets HAVEN_CONSENT_GOOGLE_CONSENT_MODE, so sites
 * without Google's tags never download it. It tells Google's tags what the
 * person chose, without any inline script:
 *
 * 1. every mapped consent type 'denied' by default, before any Google tag can
 *    read it (put Google's tag after haven_head(), or gate it by category);
 * 2. then what the server read from the signed consent cookie;
 * 3. then each change made on the page (the haven:consent-change event).
 *
 * The map comes from the page (`data-haven-consent-mode` on <html>: JSON of
 * each Google consent type and the categories it needs). It also adds
 * `haven.consent.googleConsent(map)` for a site's own use.
 */
;(function (haven) {
  'use strict'

  if (!haven || !haven.consent) return
  var map = JSON.parse(document.documentElement.getAttribute('data-haven-consent-mode') || '{}')

  /** The signals for the current choice: a consent type is 'granted' only
   *  when every category it needs is allowed. */
  function googleConsent (mapping, allowing) {
    var signals = {}
    Object.keys(mapping).forEach(function (type) {
      signals[type] = [].concat(mapping[type]).every(allowing || haven.consent.allows) ? 'granted' : 'denied'
    })
    return signals
  }

  function tell (kind, signals) {
    // Google's own queue until gtag.js loads: it reads Arguments objects.
    window.dataLayer = window.dataLayer || []
    window.gtag = window.gtag || function () { window.dataLayer.push(arguments) }
    window.gtag('consent', kind, signals)
  }

  haven.consent.googleConsent = googleConsent
  if (!Object.keys(map).length) return
  tell('default', googleConsent(map, function () { return false }))
  tell('update', googleConsent(map))
  document.addEventListener('haven:consent-change', function () {
    tell('update', googleConsent(map))
  })
})(window.haven)
