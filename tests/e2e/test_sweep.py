"""The accessibility sweep: every page, example, state and language, one load each.

Each page is loaded once, in one shared browser context, and every check that
applies to it runs on that load, in an order where none disturbs the next:

- layout shift: nothing moved while the page loaded (CLS 0);
- axe-core (WCAG 2.2 AA), on the pristine page;
- forced colours (media emulation): every control keeps a visible boundary;
- reduced motion (media emulation): nothing animates;
- text at 200 %: nothing scrolls sideways or is clipped;
- keyboard: Tab reaches every control in reading order with a visible focus
  indicator never hidden under the sticky bar, and Shift+Tab comes back;
- reflow at 320 CSS pixels, with every word in a table whole (and axe again
  at that width on the two pages whose layout changes most);
- visual regression (tests/visual.py): every example and page in English is
  photographed at 1280 px first, while pristine, and at 320 and 768 px after
  the checks, and compared with its baseline; the examples the gallery shows
  hovered, pressed and focused are photographed in those states too;
- design (tests/e2e/design.py), on the pages that show each: the type scale,
  40 px radios and checkboxes and their focus, tinted tags, the secondary
  button, text box widths, the error notice's weights.

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

from demo_app import screens
from flask_haven.catalogue import load_components
from flask_haven.testing import assert_accessible

from .. import visual
from ..page_list import (
    ERROR_PAGE_PREVIEWS,
    SITE_PAGES,
    WELSH_SITE_PAGES,
    all_pages,
    content_pages,
    gallery_pages,
    in_welsh,
    structure_pages,
    visual_pages,
)
from . import design
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

# Sum of the layout shifts so far that no input caused (as CLS counts them).
LAYOUT_SHIFT = """() => {
  const observer = new PerformanceObserver(() => {})
  observer.observe({ type: 'layout-shift', buffered: true })
  const shifts = observer.takeRecords().filter(entry => !entry.hadRecentInput)
  observer.disconnect()
  return shifts.map(entry => [entry.value, (entry.sources || []).map(source =>
    source.node && source.node.nodeType === 1 ? source.node.tagName + '.' + source.node.className : '?')])
}"""

PHONE = {"width": 320, "height": 640}
# The two pages whose layout changes most on a phone also get axe at that width.
AXE_ON_A_PHONE = ("/", "/components/quick-exit/")

Check = Callable[[Page], list[str]]


def check_layout_shift(page: Page) -> list[str]:
    shifts = page.evaluate(LAYOUT_SHIFT)
    return (
        [f"moved while loading (CLS {sum(s[0] for s in shifts):.4f}): {shifts}"] if shifts else []
    )


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
    problems = [f"scrolls sideways at 320 px ({width} px wide)"] if width > 320 else []
    # Fitting by breaking words is no fit: tables keep every word whole.
    return problems + design.no_broken_words(page)


def check_axe_on_a_phone(page: Page) -> list[str]:
    page.set_viewport_size(PHONE)
    # From the top, as the page loads: scrolled (the keyboard walk leaves it
    # anywhere), the sticky bar lies over links below it, and axe would count
    # the bar's link as their too-close neighbour.
    page.evaluate("() => window.scrollTo(0, 0)")
    return [f"at 320 px: {problem}" for problem in check_axe(page)]


def checked_pages() -> list[str]:
    """Every page but the gallery's previews of the error pages: the real error
    pages get these checks in tests/e2e/test_errors.py, and the previews only
    their screenshots here."""
    return [path for path in all_pages() if path not in ERROR_PAGE_PREVIEWS]


# In running order: each check leaves the page as it found it, except the
# keyboard walk (focus moved) and the phone-sized ones, which come last.
CHECKS: dict[str, tuple[Check, Callable[[], list[str]]]] = {
    "layout shift": (check_layout_shift, checked_pages),
    "axe": (check_axe, checked_pages),
    "forced colours": (check_forced_colours, content_pages),
    "reduced motion": (check_reduced_motion, structure_pages),
    "text at 200%": (check_text_at_200_percent, content_pages),
    "tab order": (check_tab_order, structure_pages),
    "reflow at 320 px": (check_reflow, checked_pages),
    "axe at 320 px": (check_axe_on_a_phone, lambda: list(AXE_ON_A_PHONE)),
}


def planned_checks() -> dict[str, list[str]]:
    """Each swept page and the names of the checks it gets, in running order."""
    # In the order of the page list (the gallery index last: `make screenshots`
    # takes its thumbnails from the pages before it).
    wanted = {name: set(pages()) for name, (_, pages) in CHECKS.items()}
    plan: dict[str, list[str]] = {}
    for path in [*all_pages(), *AXE_ON_A_PHONE]:
        names = [name for name in CHECKS if path in wanted[name]]
        if names or path in visual_pages():  # some pages are only photographed
            plan.setdefault(path, names)
    return plan


PLAN = planned_checks()
# Visual regression: the screenshot name of each page photographed, and the
# previews whose main control is also photographed hovered, pressed and focused.
VISUAL = visual_pages()
STATES = {
    f"/components/{c.name}/{c.spec.interactive_example}/preview": (c.name, c.spec.interactive)
    for c in load_components()
    if c.spec.interactive and c.spec.interactive_example
}
VISUAL_SIZES = {
    1280: {"width": 1280, "height": 720},
    320: PHONE,
    768: {"width": 768, "height": 1024},
}
PHONE_FOCUS_PAGES = SITE_PAGES + in_welsh(WELSH_SITE_PAGES)
NO_JS_PAGES = structure_pages() + gallery_pages()


def count_checks() -> int:
    """How many (page, check) pairs the sweep runs, for comparing runs over time."""
    return sum(map(len, PLAN.values())) + len(PHONE_FOCUS_PAGES) + len(NO_JS_PAGES)


@pytest.fixture(scope="session")
def renderer_here(browser: Any) -> tuple[visual.Renderer, str | None]:
    """This machine's renderer, and why its screenshots cannot be compared with
    the baselines (``None`` when they can, or are being made)."""
    current = visual.renderer(browser.version)
    return current, None if visual.UPDATE else visual.comparable(current)


@pytest.fixture(scope="session")
def renderer(renderer_here: tuple[visual.Renderer, str | None]) -> visual.Renderer | None:
    """This machine's renderer when its screenshots are compared, else ``None``."""
    current, reason = renderer_here
    return None if reason else current


def test_screenshots_are_comparable_here(renderer_here: tuple[visual.Renderer, str | None]) -> None:
    """Says once, in the summary, why the visual comparisons do not run on this machine."""
    _, reason = renderer_here
    if reason:
        pytest.skip(f"visual regression: {reason}")


def capture_mode(path: str) -> str:
    """How much of ``path`` is photographed (see tests/visual.py)."""
    if path in SITE_PAGES or path in ERROR_PAGE_PREVIEWS:
        return "page"
    if path.endswith("/preview"):
        return "whole"
    return "screen"


def photograph(
    page: Page, path: str, widths: tuple[int, ...], current: visual.Renderer
) -> list[str]:
    """Screenshots of ``path`` (already loaded) at ``widths``, each checked."""
    problems = []
    for width in widths:
        if page.viewport_size != VISUAL_SIZES[width]:
            page.set_viewport_size(VISUAL_SIZES[width])
        png = visual.capture(page, capture_mode(path))
        problems += visual.check(VISUAL[path], width, png, current)
    return problems


def photograph_states(page: Page, path: str, current: visual.Renderer) -> list[str]:
    component, selector = STATES[path]
    page.set_viewport_size(VISUAL_SIZES[1280])
    problems = []
    for interaction, png in visual.capture_states(page, selector).items():
        shot = screens.state_shot(component, interaction)
        problems += visual.check(shot, 1280, png, current, whole=True)
    return problems


@pytest.mark.parametrize("path", PLAN)
def test_page_passes_every_check(
    shared_page: Page, path: str, renderer: visual.Renderer | None
) -> None:
    open_page(shared_page, path)
    # Fonts, images and frames loaded: what moves after this, moved while loading.
    shared_page.evaluate(visual.SETTLED)
    checks = PLAN[path]
    problems = [f"layout shift: {p}" for p in check_layout_shift(shared_page)] if checks else []
    shots = renderer if path in VISUAL else None
    # The first screenshot before any other check: the page exactly as loaded.
    if shots is not None:
        problems += [f"visual: {p}" for p in photograph(shared_page, path, (1280,), shots)]
    problems += [
        f"{name}: {problem}"
        for name in checks
        if name != "layout shift"
        for problem in CHECKS[name][0](shared_page)
    ]
    if shots is not None:
        problems += [f"visual: {p}" for p in photograph(shared_page, path, (320, 768), shots)]
        if path in STATES:
            problems += [f"visual: {p}" for p in photograph_states(shared_page, path, shots)]
    for check in design.DESIGN_CHECKS.get(path, []):
        problems += [f"design: {p}" for p in check(shared_page)]
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
