"""The quick exit fits every screen and nothing covers it, in English and in Welsh.

One load of the news page per language and position, with the cookie banner
showing (a first visit), then the viewport is stepped through phone, tablet and
desktop widths and through browser zoom. Zoom is emulated the way it works: at
200 % a 1280x720 window lays the page out in 640x360 CSS pixels, at 400 % in
320x180. At every size, at the top of the page and scrolled half-way (where the
sticky bar sits over the content):

- the link is wholly inside the viewport, not clipped, and it is what the
  browser finds at its centre and at all four corners (nothing covers it);
- the cookie banner never overlaps the bar (docked at the bottom, the bar lies
  over the page, and the page keeps room to scroll clear of it);
- up to 640 CSS pixels wide (phones, and any window zoomed to that) the bar is
  one row at most 48 px tall.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import open_page

# Phones, tablets and desktops, then zoomed windows (window size ÷ zoom).
SIZES = [
    (320, 640),
    (360, 740),
    (375, 812),
    (414, 896),
    (480, 800),
    (600, 960),
    (640, 800),
    (641, 800),
    (768, 1024),
    (1024, 768),
    (1280, 720),
    (1920, 1080),
]
ZOOMED = {
    "1280x720 at 200%": (640, 360),
    "1280x720 at 400%": (320, 180),
    "1920x1080 at 200%": (960, 540),
    "1920x1080 at 400%": (480, 270),
}
NARROW = 640  # 40em: the bar's one-row layout
MAX_NARROW_HEIGHT = 48

GEOMETRY = """() => {
  const bar = document.querySelector('.haven-quick-exit')
  const link = bar.querySelector('.haven-quick-exit__link')
  const banner = document.querySelector('.haven-cookie-banner')
  const b = bar.getBoundingClientRect()
  const l = link.getBoundingClientRect()
  const onLink = ([x, y]) => { const hit = document.elementFromPoint(x, y); return !!hit && link.contains(hit) }
  const points = [[l.left + 2, l.top + 2], [l.right - 2, l.top + 2], [l.left + 2, l.bottom - 2],
                  [l.right - 2, l.bottom - 2], [(l.left + l.right) / 2, (l.top + l.bottom) / 2]]
  const r = banner && banner.getBoundingClientRect()
  return {
    barHeight: Math.round(b.height * 10) / 10,
    barTop: b.top,
    barBottom: b.bottom,
    inView: l.left >= 0 && l.top >= 0 && l.right <= innerWidth && l.bottom <= innerHeight,
    covered: points.filter(point => !onLink(point)).length,
    clipped: link.scrollWidth > link.clientWidth + 1 || link.scrollHeight > link.clientHeight + 1,
    bannerOverlaps: !!r && r.height > 0 && r.top < b.bottom - 0.5 && r.bottom > b.top + 0.5,
    wide: document.documentElement.scrollWidth > innerWidth,
  }
}"""


@pytest.fixture
def bottom_position(haven_app: Flask) -> Iterator[None]:
    """The site docks the bar at the bottom on narrow screens, with GOV.UK's
    three presses of Shift: the longest short hint, and the progress marks
    (settings are parsed once at start-up: swap in a copy)."""
    state = haven_app.extensions["haven"]
    before = state.settings
    quick_exit = dataclasses.replace(before.quick_exit, position="bottom", trigger="shift-thrice")
    state.settings = dataclasses.replace(before, quick_exit=quick_exit)
    yield
    state.settings = before


def problems_at(page: Page, where: str, *, narrow: bool, bottom: bool = False) -> list[str]:
    found: dict[str, Any] = page.evaluate(GEOMETRY)
    problems = []
    if not found["inView"]:
        problems.append("the link is not wholly in view")
    if found["covered"]:
        problems.append(f"something covers the link at {found['covered']} of 5 points")
    if found["clipped"]:
        problems.append("the link's text is clipped")
    # Docked at the bottom, the bar lies over the page (banner included) and the
    # page keeps room to scroll clear of it; at the top the banner follows it.
    if found["bannerOverlaps"] and not bottom:
        problems.append("the cookie banner overlaps the bar")
    if found["wide"]:
        problems.append("the page scrolls sideways")
    if narrow and found["barHeight"] > MAX_NARROW_HEIGHT:
        problems.append(f"the bar is {found['barHeight']} px tall")
    if bottom and narrow and abs(found["barBottom"] - page.viewport_size["height"]) > 0.5:  # type: ignore[index]
        problems.append(f"the bar is not docked at the bottom (ends at {found['barBottom']})")
    return [f"{where}: {problem}" for problem in problems]


def sweep_sizes(page: Page, path: str, *, bottom: bool = False) -> list[str]:
    problems = []
    sizes = [(f"{w}x{h}", (w, h)) for w, h in SIZES] + list(ZOOMED.items())
    for name, (width, height) in sizes:
        page.set_viewport_size({"width": width, "height": height})
        for scroll in ("top", "half-way"):
            page.evaluate(
                "half => window.scrollTo(0, half ? document.documentElement.scrollHeight / 2 : 0)",
                scroll == "half-way",
            )
            problems += problems_at(
                page, f"{path} {name} {scroll}", narrow=width <= NARROW, bottom=bottom
            )
    page.evaluate("() => window.scrollTo(0, 0)")
    return problems


def assert_exit_is_the_first_stop(page: Page) -> None:
    """Skip link, then the exit, then the cookie banner's controls."""
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(".haven-quick-exit__link")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('.haven-cookie-banner')"), (
        "the stop after the exit is not the cookie banner"
    )


@pytest.mark.parametrize("path", ["/", "/?lang=cy"])
def test_the_exit_fits_every_size_and_nothing_covers_it(shared_page: Page, path: str) -> None:
    page = shared_page
    open_page(page, path)
    expect(page.locator("[data-module=haven-cookie-banner]")).to_be_visible()
    problems = sweep_sizes(page, path)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 720})
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        assert_exit_is_the_first_stop(page)
        page.reload()
    assert not problems, "\n".join(problems)


@pytest.mark.usefixtures("bottom_position")
@pytest.mark.parametrize("path", ["/", "/?lang=cy"])
def test_docked_at_the_bottom_it_fits_and_hides_nothing(shared_page: Page, path: str) -> None:
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, path)
    problems = sweep_sizes(page, path, bottom=True)
    page.set_viewport_size({"width": 320, "height": 640})
    # The end of the page scrolls clear of the bar: nothing is hidden under it.
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    last, bar_top = page.evaluate(
        """() => [document.querySelector('footer').getBoundingClientRect().bottom,
                  document.querySelector('.haven-quick-exit').getBoundingClientRect().top]"""
    )
    assert last <= bar_top + 0.5, f"the footer ends at {last}, under the bar (from {bar_top})"
    page.evaluate("() => window.scrollTo(0, 0)")
    # Shown last, it is still the first stop after the skip link.
    assert_exit_is_the_first_stop(page)
    # Wider screens keep it at the top.
    page.set_viewport_size({"width": 1024, "height": 768})
    assert (
        page.evaluate(
            "() => document.querySelector('.haven-quick-exit').getBoundingClientRect().top"
        )
        == 0
    )
    assert not problems, "\n".join(problems)
