/* Demo analytics: stands in for a real analytics script. It only ever runs
   after the person allows analytics cookies (flask-haven gates it). */
;(function () {
  document.cookie = 'demo_analytics=1; path=/; SameSite=Lax'
})()
