"""The design in a browser, where it takes a click or a second page: the cookie
confirmation's focus, nothing under the sticky bar, the first screen of a
phone; and the gallery's switches, focus ring, frames and right-to-left samples.

What can be measured on a page as it loads (the type scale, radios, tags,
buttons, tables, CLS...) is measured by the sweep on its one load of that page
(tests/e2e/design.py, tests/e2e/test_sweep.py). Every test here uses the
sweep's shared page too: none needs a context of its own.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from flask_haven.testing import CookieBanner

from .conftest import open_page

PHONE = {"width": 375, "height": 812}


def style(page: Page, selector: str, prop: str, pseudo: str | None = None) -> str:
    value: str = page.locator(selector).first.evaluate(
        f"(el, prop) => getComputedStyle(el, {pseudo!r} || null).getPropertyValue(prop)"
        if pseudo
        else "(el, prop) => getComputedStyle(el).getPropertyValue(prop)",
        prop,
    )
    return value


# -- the cookie banner and the sticky bar ------------------------------------------------


def test_confirmation_takes_focus_without_a_heavy_box_and_hiding_keeps_the_header(
    shared_page: Page,
) -> None:
    page = shared_page
    open_page(page, "/")
    banner = CookieBanner(page)
    banner.accept()
    confirmation = page.locator("[data-haven-confirmation]")
    expect(confirmation).to_be_focused()
    assert style(page, "[data-haven-confirmation]", "outline-style") == "none"
    banner.hide()
    expect(page.locator("#main-content")).to_be_focused()
    # Hiding scrolled nothing: the header is in view, below the sticky bar.
    bar = page.locator(".haven-quick-exit").bounding_box()
    header = page.locator(".haven-header").bounding_box()
    assert bar is not None and header is not None
    assert page.evaluate("() => window.scrollY") == 0
    assert header["y"] >= bar["y"] + bar["height"] - 1


def test_a_link_to_a_place_on_the_page_lands_below_the_sticky_bar(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/components/quick-exit/")
    page.get_by_role("link", name="Parameters").click()
    page.wait_for_function("() => location.hash === '#parameters'")
    heading = page.locator("#parameters").bounding_box()
    bar = page.locator(".haven-quick-exit").bounding_box()
    assert heading is not None and bar is not None
    assert heading["y"] >= bar["y"] + bar["height"] - 1


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_phones_first_screen_is_not_all_chrome(shared_page: Page, lang: str) -> None:
    """At 375 by 812, a first visit (the cookie question showing) still starts the
    story in the first screen; once answered and hidden, the chrome takes under half of it."""
    page = shared_page
    page.set_viewport_size(PHONE)
    open_page(page, f"/?lang={lang}")
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None
    # English: the headline's first line is whole; Welsh (longer words), it has begun.
    assert heading["y"] + (30 if lang == "en" else 0) < PHONE["height"], heading
    banner = CookieBanner(page, language=lang)
    banner.reject()
    banner.hide()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["y"] < 0.45 * PHONE["height"], heading


# -- the gallery -------------------------------------------------------------------------


def test_switches_apply_at_once_with_javascript(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/components/error-notice/")
    # No button with JavaScript: each choice applies as it is made.
    expect(page.get_by_role("button", name="Update previews")).to_have_count(0)
    frame = page.get_by_title("Preview: Error notice, default example")
    page.evaluate("() => window.__stayed = true")
    page.get_by_role("radio", name="Sample brand").check()
    expect(frame).to_have_attribute("src", re.compile(r"[?&]theme=brand(&|$)"))
    expect(frame.content_frame.locator("html")).to_have_attribute(
        "class", re.compile("haven-template")
    )
    page.get_by_role("radio", name="Phone, 320 px").check()
    preview = page.locator("[data-preview]").first
    expect(preview).to_have_attribute("data-width", "320")
    assert frame.evaluate("el => el.getBoundingClientRect().width") == 320
    page.get_by_role("radio", name="Right to left").check()
    expect(frame.content_frame.locator("html")).to_have_attribute("dir", "rtl")
    # In place: the same page, its address updated to share.
    assert page.evaluate("() => window.__stayed") is True
    assert re.search(r"theme=brand", page.url) and re.search(r"width=320", page.url)
    link = page.get_by_role("link", name="Open the default example on its own page")
    expect(link).to_have_attribute("href", re.compile(r"dir=rtl"))


def test_a_focused_preview_shows_a_focus_ring(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/components/phase-banner/")
    preview = page.locator("[data-preview]").first
    box = preview.locator(".demo-preview__box")
    assert box.evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    page.get_by_text("Code for the default example").focus()
    page.keyboard.press("Shift+Tab")  # the preview's own link
    page.keyboard.press("Shift+Tab")  # into the frame: its link
    expect(preview).to_have_class(re.compile("demo-preview--focused"))
    assert box.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    page.keyboard.press("Tab")
    expect(preview).not_to_have_class(re.compile("demo-preview--focused"))


def test_right_to_left_sample_ends_its_sentences_at_the_left(shared_page: Page) -> None:
    """Arabic sample content, so a sentence's full stop is where it belongs: at
    the end of the line, on the left, not before the first word."""
    page = shared_page
    open_page(page, "/components/error-notice/default/preview?dir=rtl")
    text = page.locator(".haven-error-notice__text")
    ends = text.evaluate(
        """el => {
             const node = el.firstChild, range = document.createRange()
             range.setStart(node, node.data.length - 1); range.setEnd(node, node.data.length)
             const stop = range.getBoundingClientRect()
             range.setStart(node, 0); range.setEnd(node, 1)
             const first = range.getBoundingClientRect()
             return { stop: stop.left, first: first.left }
           }"""
    )
    assert ends["stop"] < ends["first"], ends


def test_a_table_too_wide_for_a_phone_scrolls_in_a_named_focusable_region(
    shared_page: Page,
) -> None:
    """Words stay whole, so a table may not fit 320 px (Welsh cookie names and
    words are long): it then scrolls in its own box, which a keyboard can reach
    and a screen reader names; the boxes that fit stay out of the tab order."""
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, "/components/cookie-settings/default/preview?lang=cy")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('[data-module="haven-scroll-region"]')].map(box => ({
             scrolls: box.scrollWidth > box.clientWidth + 1, tabindex: box.getAttribute('tabindex'),
             role: box.getAttribute('role'), name: box.getAttribute('aria-label') }))"""
    )
    assert any(box["scrolls"] for box in boxes), "expected one table too wide for 320 px"
    for box in boxes:
        if box["scrolls"]:
            assert box["tabindex"] == "0" and box["role"] == "region" and box["name"], box
        else:
            assert box["tabindex"] is None and box["role"] is None, box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    # Wide again, nothing scrolls, and the regions are gone.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.wait_for_function(
        "() => !document.querySelector('[data-module=\"haven-scroll-region\"][tabindex]')"
    )
