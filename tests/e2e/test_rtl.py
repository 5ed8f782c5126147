"""Right to left in a browser: every example mirrors, stays accessible and fits a phone.

The gallery's ``?dir=rtl`` marks a preview's ``<html dir="rtl">``, as a site in
Arabic or Hebrew would. Every example of every component, in English and in
Welsh, is checked that way with axe and at 320 CSS pixels; the components whose side matters (the quick
exit, the bars beside errors) are measured in both directions, so a physical
``left`` creeping back in fails here even if the CSS scanner (tests/test_rtl.py)
were fooled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from flask_haven.testing import (
    assert_accessible,
)

from ..page_list import in_welsh, preview_pages
from .conftest import open_page

# English, and Welsh with its longer words: the likeliest to push past an edge.
RTL_PREVIEWS = [f"{path}?dir=rtl" for path in preview_pages()]
RTL_PREVIEWS += in_welsh(RTL_PREVIEWS)

# Visible elements that reach past either edge of the viewport. In right to
# left, overflow past the right (start) edge cannot even be scrolled to, so
# scrollWidth alone would not see it. Content inside its own scrolling box is
# allowed to be wider.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth
  return [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect()
    if (!box.width || !el.getClientRects().length) return false
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return false
    }
    return box.left < -1 || box.right > width + 1
  }).map(el => `${el.tagName}.${el.className} (${Math.round(el.getBoundingClientRect().left)}` +
                `..${Math.round(el.getBoundingClientRect().right)})`)
}"""

# The thick bar beside an error: the nearest element, from this one up, with a
# border of 4 px or more on one side. Returns both side widths in pixels.
ERROR_BAR = """el => {
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node)
    const left = parseFloat(style.borderLeftWidth)
    const right = parseFloat(style.borderRightWidth)
    if (Math.max(left, right) >= 4) return {left, right}
  }
  return null
}"""


PHONE = {"width": 320, "height": 640}


@pytest.fixture
def rtl_page(shared_page: Page) -> Iterator[Page]:
    """The sweeps' shared page (see conftest.py), phone-sized."""
    shared_page.set_viewport_size(PHONE)
    yield shared_page


@pytest.mark.parametrize("path", RTL_PREVIEWS)
def test_every_example_in_rtl_passes_axe_and_fits_320_css_pixels(rtl_page: Page, path: str) -> None:
    page = rtl_page
    open_page(page, path)
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{path} scrolls sideways at 320 px ({width} px wide)"
    outside = page.evaluate(STICKING_OUT)
    assert not outside, f"{path}: elements past the edge of a 320 px screen: {outside}"
    assert_accessible(page)


def box_in(page: Page, locator: Locator) -> dict[str, float]:
    """The element's distance from the viewport's left and right edges."""
    box: dict[str, float] = locator.evaluate(
        """el => { const box = el.getBoundingClientRect()
                   return {left: box.left,
                           right: document.documentElement.clientWidth - box.right} }"""
    )
    return box


@pytest.mark.parametrize("width", [320, 1280])
def test_quick_exit_mirrors(rtl_page: Page, width: int) -> None:
    """The link and the hint keep their places along the line, mirrored: each is as
    far from the right edge in right to left as from the left edge in left to right.
    (Sharing a row, the link ends the line, on the right in left-to-right text; on a
    phone it may wrap under the hint, at the start of its own row.)

    Right to left, an example shows Arabic sample content, whose lengths differ
    from the English; the Welsh example keeps its own words both ways, so the
    two directions lay out the same words."""
    page = rtl_page
    page.set_viewport_size({"width": width, "height": 640})
    where: dict[str, dict[str, dict[str, float]]] = {}
    for direction in ("ltr", "rtl"):
        open_page(page, f"/components/quick-exit/in-welsh/preview?dir={direction}")
        where[direction] = {
            "link": box_in(page, page.get_by_role("link", name="Gadael y wefan hon")),
            "hint": box_in(
                page, page.get_by_text("Gadewch y wefan hon yn gyflym drwy bwyso'r fysell Escape")
            ),
        }
    ltr, rtl = where["ltr"], where["rtl"]
    # Not centred, or there would be nothing to mirror and the test could not fail.
    assert abs(ltr["link"]["left"] - ltr["link"]["right"]) > 10, ltr["link"]
    for part in ("link", "hint"):
        assert rtl[part]["left"] == pytest.approx(ltr[part]["right"], abs=1), part
        assert rtl[part]["right"] == pytest.approx(ltr[part]["left"], abs=1), part


def error_bars(page: Page, path: str, find: Any) -> dict[str, dict[str, float]]:
    bars = {}
    for direction in ("ltr", "rtl"):
        open_page(page, f"{path}?dir={direction}")
        bars[direction] = find(page).evaluate(ERROR_BAR)
    return bars


@pytest.mark.parametrize(
    ("path", "find"),
    [
        pytest.param(
            "/components/error-notice/default/preview",
            lambda page: page.get_by_role("alert"),
            id="error notice",
        ),
        pytest.param(
            "/components/cookie-settings/errors/preview",
            lambda page: page.get_by_role("group", name="Do you want to allow preference cookies?"),
            id="cookie settings error",
        ),
        pytest.param(
            "/components/feedback-form/empty-error/preview",
            # Its label is Arabic right to left: the only text box, by role.
            lambda page: page.get_by_role("textbox"),
            id="feedback text error",
        ),
        pytest.param(
            "/components/feedback-form/question-error/preview",
            lambda page: page.get_by_role("group"),
            id="feedback question error",
        ),
    ],
)
def test_the_thick_error_bar_is_on_the_start_side(rtl_page: Page, path: str, find: Any) -> None:
    bars = error_bars(rtl_page, path, find)
    assert bars["ltr"] is not None and bars["rtl"] is not None, "no thick bar found"
    assert bars["ltr"]["left"] >= 4 and bars["ltr"]["right"] < bars["ltr"]["left"], bars
    assert bars["rtl"]["right"] == bars["ltr"]["left"], f"RTL: the bar moves to the right {bars}"
    assert bars["rtl"]["left"] == bars["ltr"]["right"], bars


def test_direction_and_language_switches_reach_the_previews_without_javascript(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/components/quick-exit/")
    frame = page.get_by_title("Preview: Quick exit, default example")
    expect(frame.content_frame.locator("html")).to_have_attribute("dir", "ltr")

    # "Cymraeg" is read out in Welsh, not as an English word.
    switches = page.get_by_role("main")
    expect(switches.get_by_text("Cymraeg", exact=True)).to_have_attribute("lang", "cy")

    page.get_by_role("radio", name="Right to left").check()
    page.get_by_role("radio", name="Cymraeg").check()
    page.get_by_role("button", name="Update previews").click()
    page.wait_for_url(re.compile(r"dir=rtl"))
    expect(page.get_by_role("radio", name="Right to left")).to_be_checked()
    expect(frame).to_have_attribute("src", re.compile(r"[?&]dir=rtl(&|$)"))
    expect(frame).to_have_attribute("src", re.compile(r"[?&]lang=cy(&|$)"))
    expect(frame.content_frame.locator("html")).to_have_attribute("dir", "rtl")
    # The gallery page around the previews keeps its own direction.
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    page.goto("/components/full-page/")
    page.get_by_role("radio", name="Right to left").check()
    page.get_by_role("radio", name="Cymraeg").check()
    page.get_by_role("button", name="Update previews").click()
    page.wait_for_url(re.compile(r"dir=rtl"))
    frames = page.get_by_title(re.compile("right to left$"))
    expect(frames).to_have_count(3)
    expect(frames.first).to_have_attribute("src", re.compile(r"[?&]lang=cy(&|$)"))
    expect(frames.first.content_frame.locator("html")).to_have_attribute("dir", "rtl")
    context.close()


def test_full_page_in_rtl_passes_axe_and_mirrors_the_quick_exit(rtl_page: Page) -> None:
    page = rtl_page
    open_page(page, "/components/full-page/preview?dir=rtl")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert not page.evaluate(STICKING_OUT)
    link = box_in(page, page.get_by_role("link", name="Leave this site"))
    assert link["left"] < link["right"]
    assert_accessible(page)
