/*
 * flask-haven core: finds components in the server-rendered markup and
 * starts them. Behaviour is wired through `data-module="haven-<name>"`;
 * configuration comes from `data-*` attributes the server rendered, so there
 * is no inline script to allow in the Content-Security-Policy.
 */
;(function () {
  'use strict'

  var factories = {}

  // Everything the components rely on; older browsers keep the no-JS page,
  // which works fully, rather than getting half an enhancement.
  function isSupported () {
    return 'classList' in document.documentElement &&
      typeof document.querySelectorAll === 'function' &&
      typeof Object.assign === 'function' &&
      typeof window.addEventListener === 'function'
  }

  /** Make `factory(root, haven)` start every `[data-module="name"]`. */
  function register (name, factory) {
    factories[name] = factory
  }

  /** Start every registered component inside `scope` (default: document), once. */
  function initAll (scope) {
    if (!isSupported()) return
    document.body.classList.add('haven-js-enabled')
    var root = scope || document
    Object.keys(factories).forEach(function (name) {
      root.querySelectorAll('[data-module="' + name + '"]').forEach(function (element) {
        if (element.hasAttribute('data-haven-init')) return
        element.setAttribute('data-haven-init', '')
        try {
          factories[name](element, haven)
        } catch (error) {
          // One broken component must not stop the others (least of all the quick exit).
          if (window.console) window.console.error(error)
        }
      })
    })
  }

  /** Read `data-*` attributes over frozen defaults: `data-exit-url` -> `exitUrl`. */
  function readConfig (element, defaults) {
    var config = Object.assign({}, defaults)
    Object.keys(defaults).forEach(function (key) {
      if (key in element.dataset) config[key] = element.dataset[key]
    })
    return config
  }

  var haven = window.haven = window.haven || {}
  haven.register = register
  haven.initAll = initAll
  haven.readConfig = readConfig

  // The bundle is one file: core first, then each component registers itself.
  // A microtask runs after the whole file has executed, so every component is
  // registered by then, and (with `defer`) the document is already parsed.
  Promise.resolve().then(function () { initAll() })
})()
