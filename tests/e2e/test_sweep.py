"""The accessibility sweep beyond axe: keyboard, reflow, text size, motion, forced colours, no-JS.

Runs over the same page list as every other sweep (tests/page_list.py), so each
new example and page is covered without editing this file.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from ..page_list import (
    SITE_PAGES,
    all_pages,
    content_pages,
    gallery_pages,
    in_welsh,
    structure_pages,
)
from .conftest import open_page

# Everything a keyboard user must be able to reach, in the order they meet it.
FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea, ' +
  'summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden' &&
                !el.closest('[inert], [aria-hidden="true"]'))
  // A radio group is one tab stop (arrow keys move within it): the checked
  // radio, or the first one when none is checked.
  .filter((el, _, all) => {
    if (el.type !== 'radio' || !el.name) return true
    const group = all.filter(other => other.type === 'radio' && other.name === el.name && other.form === el.form)
    return el === (group.find(radio => radio.checked) || group[0])
  })"""

DESCRIBE_ACTIVE = """() => {
  const el = document.activeElement
  if (!el || el === document.body) return null
  const style = getComputedStyle(el)
  return {
    id: el.dataset.sweepIndex ?? null,
    name: (el.getAttribute('aria-label') || el.textContent || el.name || el.type || '').trim().slice(0, 40),
    tag: el.tagName,
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    // WCAG 2.4.11: the focused control is not entirely hidden under the
    // sticky quick exit bar (which is taller in Welsh, and on phones).
    obscured: (() => {
      const bar = document.querySelector('.haven-quick-exit')
      if (!bar || bar.contains(el)) return false
      // Hidden if the bar is what shows at its middle and at all four corners.
      const r = el.getBoundingClientRect()
      const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 1, r.top + 1],
                      [r.right - 1, r.top + 1], [r.left + 1, r.bottom - 1], [r.right - 1, r.bottom - 1]]
      return points.every(([x, y]) => {
        const hit = document.elementFromPoint(x, y)
        return hit !== null && bar.contains(hit)
      })
    })(),
  }
}"""


@pytest.mark.parametrize("path", structure_pages())
def test_tab_order_reaches_every_control_in_order_with_visible_focus(page: Page, path: str) -> None:
    open_page(page, path)
    count = page.evaluate(
        f"""() => {{ const all = ({FOCUSABLE})(); all.forEach((el, i) => el.dataset.sweepIndex = i);
                     return all.length }}"""
    )
    seen: list[dict[str, Any]] = []
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        active = page.evaluate(DESCRIBE_ACTIVE)
        if active is None:
            break  # focus left the document: the end of the tab order, no trap
        seen.append(active)
    order = [int(a["id"]) for a in seen if a["id"] is not None]
    assert order[:count] == list(range(count)), f"tab order is not the reading order: {order}"
    for active in seen[:count]:
        assert active["focusVisible"] and (active["outline"] or active["shadow"]), (
            f"no visible focus indicator on <{active['tag']}> {active['name']!r}"
        )
        assert not active["obscured"], f"<{active['tag']}> {active['name']!r} is under the bar"
    # Shift+Tab walks back the same way: no trap in either direction.
    if count:
        page.keyboard.press("Shift+Tab")
        back = page.evaluate(DESCRIBE_ACTIVE)
        assert back is not None and back["id"] is not None


@pytest.mark.parametrize("path", SITE_PAGES + in_welsh(SITE_PAGES))
def test_focus_is_never_hidden_under_the_quick_exit_bar_on_a_phone(page: Page, path: str) -> None:
    """Tab down a long page at 320 px, then Shift+Tab back up (which scrolls each
    control in at the top, where the bar is): no control is ever hidden under it."""
    page.set_viewport_size({"width": 320, "height": 480})
    open_page(page, path)
    count = page.evaluate(f"() => ({FOCUSABLE})().length")
    for key in ["Tab"] * count + ["Shift+Tab"] * (count - 1):
        page.keyboard.press(key)
        active = page.evaluate(DESCRIBE_ACTIVE)
        assert active is not None
        assert not active["obscured"], f"{path}: {active['name']!r} is under the quick exit bar"


@pytest.mark.parametrize("path", all_pages())
def test_reflows_at_320_css_pixels(page: Page, path: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, path)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{path} scrolls sideways at 320 px ({width} px wide)"


@pytest.mark.parametrize("path", content_pages())
def test_text_at_200_percent_loses_nothing(page: Page, path: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, path)
    # Text-only zoom, as a browser's minimum/zoom-text setting does; rem-based
    # sizes must follow it.
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    overflow = page.evaluate(
        """() => ({
          wide: document.documentElement.scrollWidth > innerWidth,
          clipped: [...document.querySelectorAll('body *')].filter(el => {
            const s = getComputedStyle(el)
            return (s.overflow === 'hidden' || s.overflowY === 'hidden') &&
              el.scrollHeight > el.clientHeight + 1 && el.getClientRects().length &&
              !el.classList.contains('haven-visually-hidden') &&
              !el.matches('.haven-skip-link:not(:focus)')
          }).map(el => el.tagName + '.' + el.className)
        })"""
    )
    assert not overflow["wide"], f"{path} scrolls sideways with text at 200%"
    assert not overflow["clipped"], f"clipped text at 200%: {overflow['clipped']}"


@pytest.mark.parametrize("path", structure_pages())
def test_reduced_motion_is_respected(page: Page, path: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    open_page(page, path)
    moving = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(el => {
          const s = getComputedStyle(el)
          const long = v => v.split(',').some(t => parseFloat(t) * (t.includes('ms') ? 1 : 1000) > 1)
          return (s.animationName !== 'none' && long(s.animationDuration)) || long(s.transitionDuration)
        }).map(el => el.tagName + '.' + el.className)"""
    )
    assert not moving, f"animates despite prefers-reduced-motion: {moving}"


@pytest.mark.parametrize("path", content_pages())
def test_forced_colours_keep_every_control_visible(page: Page, path: str) -> None:
    page.emulate_media(forced_colors="active")
    open_page(page, path)
    invisible = page.evaluate(
        """() => [...document.querySelectorAll(
            'button, input:not([type=hidden]), select, textarea, .haven-button, a[class*="__link"]')]
          .filter(el => el.getClientRects().length)
          .filter(el => {
            const s = getComputedStyle(el)
            // In forced colours backgrounds vanish: a control needs a border (or be a
            // native radio/checkbox, which the system draws).
            if (el.type === 'radio' || el.type === 'checkbox') return false
            if (el.tagName === 'A' && s.textDecorationLine.includes('underline')) return false
            return !['Top', 'Bottom', 'Left', 'Right'].some(side =>
              s['border' + side + 'Style'] !== 'none' && parseFloat(s['border' + side + 'Width']) > 0)
          }).map(el => el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 40))"""
    )
    assert not invisible, f"controls with no visible boundary in forced colours: {invisible}"


@pytest.mark.parametrize("path", structure_pages() + gallery_pages())
def test_without_javascript_nothing_is_dead(browser: Browser, base_url: str, path: str) -> None:
    """With JavaScript off every control on the page must do something by itself:
    a link with a real href, a button inside a form, or a form field in a form."""
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    response = page.goto(path)
    assert response is not None and response.status == 200
    dead = page.evaluate(
        """() => [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea')]
          .filter(el => el.getClientRects().length && !el.form)
          .map(el => el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 40))"""
    )
    context.close()
    assert not dead, f"controls that need JavaScript are shown without it: {dead}"
