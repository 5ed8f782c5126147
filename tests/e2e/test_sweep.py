"""The accessibility sweep: every page, example, state and language, one load each.

Each page is loaded once, in one shared browser context, and every check that
applies to it runs on that load, in an order where none disturbs the next:

- axe-core (WCAG 2.2 AA), on the pristine page;
- forced colours (media emulation): every control keeps a visible boundary;
- reduced motion (media emulation): nothing animates;
- text at 200 %: nothing scrolls sideways or is clipped;
- keyboard: Tab reaches every control in reading order with a visible focus
  indicator never hidden under the sticky bar, and Shift+Tab comes back;
- reflow at 320 CSS pixels (and axe again at that width on the two pages
  whose layout changes most).

Which checks a page gets follows tests/page_list.py: checks that words can fail
run in English and Welsh, checks of structure run on English examples and on
the site pages in both languages. The phone focus walk and the no-JavaScript
check need a load of their own (another viewport, another context) and have
their own tests. A failure lists every check that failed on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from flask_haven.testing import assert_accessible

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


TEXT_AT_200_PERCENT = """() => {
  // Text-only zoom, as a browser's minimum/zoom-text setting does; rem-based
  // sizes must follow it.
  document.documentElement.style.fontSize = '200%'
  const result = {
    wide: document.documentElement.scrollWidth > innerWidth,
    clipped: [...document.querySelectorAll('body *')].filter(el => {
      const s = getComputedStyle(el)
      return (s.overflow === 'hidden' || s.overflowY === 'hidden') &&
        el.scrollHeight > el.clientHeight + 1 && el.getClientRects().length &&
        !el.classList.contains('haven-visually-hidden') &&
        !el.matches('.haven-skip-link:not(:focus)')
    }).map(el => el.tagName + '.' + el.className)
  }
  document.documentElement.style.fontSize = ''
  return result
}"""

MOVING = """() => [...document.querySelectorAll('*')].filter(el => {
  const s = getComputedStyle(el)
  const long = v => v.split(',').some(t => parseFloat(t) * (t.includes('ms') ? 1 : 1000) > 1)
  return (s.animationName !== 'none' && long(s.animationDuration)) || long(s.transitionDuration)
}).map(el => el.tagName + '.' + el.className)"""

NO_BOUNDARY_IN_FORCED_COLOURS = """() => [...document.querySelectorAll(
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

PHONE = {"width": 320, "height": 640}
# The two pages whose layout changes most on a phone also get axe at that width.
AXE_ON_A_PHONE = ("/", "/components/quick-exit/")

Check = Callable[[Page], list[str]]


def check_axe(page: Page) -> list[str]:
    try:
        assert_accessible(page)
    except AssertionError as failure:
        return [str(failure)]
    return []


def check_forced_colours(page: Page) -> list[str]:
    page.emulate_media(forced_colors="active")
    invisible = page.evaluate(NO_BOUNDARY_IN_FORCED_COLOURS)
    page.emulate_media(forced_colors="none")
    return (
        [f"controls with no visible boundary in forced colours: {invisible}"] if invisible else []
    )


def check_reduced_motion(page: Page) -> list[str]:
    page.emulate_media(reduced_motion="reduce")
    moving = page.evaluate(MOVING)
    page.emulate_media(reduced_motion="no-preference")
    return [f"animates despite prefers-reduced-motion: {moving}"] if moving else []


def check_text_at_200_percent(page: Page) -> list[str]:
    overflow = page.evaluate(TEXT_AT_200_PERCENT)
    problems = []
    if overflow["wide"]:
        problems.append("scrolls sideways with text at 200%")
    if overflow["clipped"]:
        problems.append(f"clipped text at 200%: {overflow['clipped']}")
    return problems


def check_tab_order(page: Page) -> list[str]:
    count = page.evaluate(
        f"""() => {{ const all = ({FOCUSABLE})(); all.forEach((el, i) => el.dataset.sweepIndex = i);
                     return all.length }}"""
    )

    def press(key: str) -> dict[str, Any] | None:
        page.keyboard.press(key)
        active: dict[str, Any] | None = page.evaluate(DESCRIBE_ACTIVE)
        return active

    seen = [active for active in (press("Tab") for _ in range(count)) if active is not None]
    order = [int(a["id"]) for a in seen if a["id"] is not None]
    problems = []
    if order != list(range(count)):
        problems.append(f"tab order is not the reading order: {order}")
    for active in seen:
        if not (active["focusVisible"] and (active["outline"] or active["shadow"])):
            problems.append(f"no visible focus indicator on <{active['tag']}> {active['name']!r}")
        if active["obscured"]:
            problems.append(f"<{active['tag']}> {active['name']!r} is under the bar")
    if count >= 2 and not problems:
        # Shift+Tab walks back the same way, and Tab forward again: no trap either way.
        back = press("Shift+Tab")
        if back is None or back["id"] != str(count - 2):
            problems.append(f"Shift+Tab from the last control went to {back}")
        press("Tab")
    if count >= 2 and not problems:
        # Past the last control focus leaves the page (or, in a reused tab,
        # wraps to the first control): it never stays stuck on the last one.
        after = press("Tab")
        if after is not None and after["id"] == str(count - 1):
            problems.append("Tab from the last control stays on it")
    return problems


def check_reflow(page: Page) -> list[str]:
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    return [f"scrolls sideways at 320 px ({width} px wide)"] if width > 320 else []


def check_axe_on_a_phone(page: Page) -> list[str]:
    page.set_viewport_size(PHONE)
    return [f"at 320 px: {problem}" for problem in check_axe(page)]


# In running order: each check leaves the page as it found it, except the
# keyboard walk (focus moved) and the phone-sized ones, which come last.
CHECKS: dict[str, tuple[Check, Callable[[], list[str]]]] = {
    "axe": (check_axe, all_pages),
    "forced colours": (check_forced_colours, content_pages),
    "reduced motion": (check_reduced_motion, structure_pages),
    "text at 200%": (check_text_at_200_percent, content_pages),
    "tab order": (check_tab_order, structure_pages),
    "reflow at 320 px": (check_reflow, all_pages),
    "axe at 320 px": (check_axe_on_a_phone, lambda: list(AXE_ON_A_PHONE)),
}


def planned_checks() -> dict[str, list[str]]:
    """Each swept page and the names of the checks it gets, in running order."""
    plan: dict[str, list[str]] = {}
    for name, (_, pages) in CHECKS.items():
        for path in pages():
            plan.setdefault(path, []).append(name)
    return plan


PLAN = planned_checks()
PHONE_FOCUS_PAGES = SITE_PAGES + in_welsh(SITE_PAGES)
NO_JS_PAGES = structure_pages() + gallery_pages()


def count_checks() -> int:
    """How many (page, check) pairs the sweep runs, for comparing runs over time."""
    return sum(map(len, PLAN.values())) + len(PHONE_FOCUS_PAGES) + len(NO_JS_PAGES)


@pytest.mark.parametrize("path", PLAN)
def test_page_passes_every_check(shared_page: Page, path: str) -> None:
    open_page(shared_page, path)
    problems = [
        f"{name}: {problem}" for name in PLAN[path] for problem in CHECKS[name][0](shared_page)
    ]
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", PHONE_FOCUS_PAGES)
def test_focus_is_never_hidden_under_the_quick_exit_bar_on_a_phone(
    shared_page: Page, path: str
) -> None:
    """Tab down a long page at 320 px, then Shift+Tab back up (which scrolls each
    control in at the top, where the bar is): no control is ever hidden under it."""
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 480})
    open_page(page, path)
    count = page.evaluate(f"() => ({FOCUSABLE})().length")
    for key in ["Tab"] * count + ["Shift+Tab"] * (count - 1):
        page.keyboard.press(key)
        active = page.evaluate(DESCRIBE_ACTIVE)
        assert active is not None
        assert not active["obscured"], f"{path}: {active['name']!r} is under the quick exit bar"


@pytest.mark.parametrize("path", NO_JS_PAGES)
def test_without_javascript_nothing_is_dead(shared_no_js_page: Page, path: str) -> None:
    """With JavaScript off every control on the page must do something by itself:
    a link with a real href, a button inside a form, or a form field in a form."""
    response = shared_no_js_page.goto(path)
    assert response is not None and response.status == 200
    dead = shared_no_js_page.evaluate(
        """() => [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea')]
          .filter(el => el.getClientRects().length && !el.form)
          .map(el => el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 40))"""
    )
    assert not dead, f"controls that need JavaScript are shown without it: {dead}"
