"""core.js: typed configuration, the onError path and declared dependencies, on one page."""

from __future__ import annotations

from playwright.sync_api import Page

from .conftest import open_page

PROBE = """() => {
  const seen = []
  const add = (name, attributes) => {
    const element = document.createElement('div')
    element.dataset.module = name
    Object.assign(element.dataset, attributes || {})
    document.body.appendChild(element)
    return element
  }
  haven.register('test-broken', () => { throw new Error('boom') })
  haven.register('test-needs', () => {}, { requires: ['nothingHere'] })
  const element = add('test-broken', { count: '7', flag: 'false', odd: 'seven' })
  add('test-needs')
  haven.initAll(document, { onError: (error, info) => seen.push([info.module, error.message]) })
  const config = haven.readConfig(element, {
    count: ['number', 1], flag: ['boolean', true], odd: ['number', 3], missing: ['string', 'x']
  })
  return { seen, config, frozen: Object.isFrozen(config) }
}"""


def test_typed_config_on_error_and_requires(page: Page) -> None:
    open_page(page, "/components/quick-exit/default/preview")
    result = page.evaluate(PROBE)
    assert result["config"] == {"count": 7, "flag": False, "odd": 3, "missing": "x"}
    assert result["frozen"] is True
    assert result["seen"] == [
        ["test-broken", "boom"],
        ["test-needs", "test-needs requires haven.nothingHere"],
    ]
