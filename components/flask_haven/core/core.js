/*
 * flask-haven core: finds components in the server-rendered markup and
 * starts them. Behaviour is wired through `data-module="haven-<name>"`;
 * configuration comes from `data-*` attributes the server rendered, so there
 * is no inline script to allow in the Content-Security-Policy.
 */
;(function () {
  'use strict'

  var modules = []

  // Everything the components rely on; older browsers keep the no-JS page,
  // which works fully, rather than getting half an enhancement.
  function isSupported () {
    return 'classList' in document.documentElement &&
      typeof document.querySelectorAll === 'function' &&
      typeof Object.assign === 'function' &&
      typeof window.addEventListener === 'function'
  }

  /**
   * Make `factory(root, haven)` start every `[data-module="name"]`.
   * `options.requires` names what the factory uses on `haven` (such as
   * 'consent'): the dependency is written down, not left to file order, and
   * a missing one is reported through onError instead of failing half-way.
   */
  function register (name, factory, options) {
    modules.push({ name: name, factory: factory, requires: (options && options.requires) || [] })
  }

  // One broken component must not stop the others (least of all the quick
  // exit): its error goes to `options.onError`, else `haven.onError`, else the console.
  function report (onError, error, name, element) {
    onError = onError || haven.onError
    if (typeof onError === 'function') onError(error, { module: name, element: element })
    else if (window.console) window.console.error(error)
  }

  /** Start every registered component inside `scope` (default: document), once. */
  function initAll (scope, options) {
    if (!isSupported()) return
    var onError = options && options.onError
    document.body.classList.add('haven-js-enabled')
    var root = scope || document
    modules.forEach(function (module) {
      root.querySelectorAll('[data-module="' + module.name + '"]').forEach(function (element) {
        if (element.hasAttribute('data-haven-init')) return
        element.setAttribute('data-haven-init', '')
        try {
          module.requires.forEach(function (need) {
            if (!haven[need]) throw new Error(module.name + ' requires haven.' + need)
          })
          module.factory(element, haven)
        } catch (error) {
          report(onError, error, module.name, element)
        }
      })
    })
  }

  // How each schema type reads a data-* string; a value that does not parse
  // keeps the default, so a typo in markup never becomes NaN or "false" = true.
  var COERCE = {
    number: function (text, fallback) { var n = parseFloat(text); return isNaN(n) ? fallback : n },
    boolean: function (text) { return text !== 'false' },
    string: String
  }

  /**
   * Read `data-*` attributes (`data-exit-url` -> `exitUrl`) through a schema:
   * `{exitUrl: ['string', 'https://...'], maxLength: ['number', 1200]}`.
   * Returns a frozen object of typed values, defaults where an attribute is absent.
   */
  function readConfig (element, schema) {
    var config = {}
    Object.keys(schema).forEach(function (key) {
      var type = schema[key][0]
      var fallback = schema[key][1]
      config[key] = key in element.dataset ? COERCE[type](element.dataset[key], fallback) : fallback
    })
    return Object.freeze(config)
  }

  var haven = window.haven = window.haven || {}
  haven.register = register
  haven.initAll = initAll
  haven.readConfig = readConfig

  // A data table keeps every word whole, so on a narrow screen it may be wider
  // than the page: it then scrolls sideways in its own box (the reflow
  // exception WCAG makes for tables). While it does, the box is a named region
  // a keyboard can reach and scroll; while it fits, it is neither, so it adds
  // no tab stop and no landmark. Without JavaScript, browsers that let the
  // keyboard reach a scrolling box do so by themselves.
  register('haven-scroll-region', function (box) {
    function update () {
      var scrolls = box.scrollWidth > box.clientWidth + 1
      if (scrolls === box.hasAttribute('tabindex')) return
      if (scrolls) {
        box.setAttribute('tabindex', '0')
        box.setAttribute('role', 'region')
        box.setAttribute('aria-label', box.getAttribute('data-label') || '')
      } else {
        box.removeAttribute('tabindex')
        box.removeAttribute('role')
        box.removeAttribute('aria-label')
      }
    }
    update()
    window.addEventListener('resize', update)
  })

  // The bundle is one file: core first, then each component registers itself.
  // A microtask runs after the whole file has executed, so every component is
  // registered by then, and (with `defer`) the document is already parsed.
  Promise.resolve().then(function () { initAll() })
})()
