/* Demo preferences: stands in for a script that remembers display settings.
   It only ever runs after the person allows preference cookies. */
;(function () {
  document.cookie = 'demo_preferences=1; path=/; SameSite=Lax'
})()
