"""The design in a browser: measured, not eyeballed.

The type scale, the 40 px radios and their focus, tinted tags, the secondary
button, tables that keep words whole, the error notice's weights, the cookie
confirmation's focus, nothing under the sticky bar, the first screen of a
phone, no layout shift; and the gallery's switches, focus ring and frames.

Every test uses the sweep's shared page (tests/e2e/conftest.py): none needs a
context of its own, and the axe, reflow and screenshot checks of the same
pages are the sweep's.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from flask_haven.testing import CookieBanner

from .conftest import open_page

PHONE = {"width": 375, "height": 812}

# Words of ordinary text in table cells that a line break has cut in two.
BROKEN_WORDS = """() => {
  const broken = []
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A cookie's name may wrap between its parts: each part stays whole.
      const pieces = node.parentElement.closest('code') ? node.data.split(/(?<=[_.-])/) : node.data.split(/\\s+/)
      let at = 0
      for (const piece of pieces) {
        const start = node.data.indexOf(piece, at)
        at = start + piece.length
        if (!piece.trim()) continue
        const range = document.createRange()
        range.setStart(node, start)
        range.setEnd(node, start + piece.length)
        const lines = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)))
        if (lines.size > 1) broken.push(piece)
      }
    }
  }
  return broken
}"""


def style(page: Page, selector: str, prop: str, pseudo: str | None = None) -> str:
    value: str = page.locator(selector).first.evaluate(
        f"(el, prop) => getComputedStyle(el, {pseudo!r} || null).getPropertyValue(prop)"
        if pseudo
        else "(el, prop) => getComputedStyle(el).getPropertyValue(prop)",
        prop,
    )
    return value


# -- type, controls and tags -------------------------------------------------------------


def test_body_text_is_19_px_from_tablets_and_16_on_phones(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/")
    assert style(page, "article h2 + p", "font-size") == "19px"
    assert style(page, "h1", "font-size") == "36px"
    page.set_viewport_size({"width": 320, "height": 640})
    assert style(page, "article h2 + p", "font-size") == "16px"
    assert style(page, "h1", "font-size") == "27px"
    # rem-based: text zoom and a larger default font grow them all.
    page.evaluate("() => document.documentElement.style.fontSize = '200%'")
    assert style(page, "article h2 + p", "font-size") == "32px"


def test_radios_are_40_px_with_a_visible_focus(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/components/cookie-settings/default/preview")
    radio = page.get_by_role("radio", name="Yes").first
    label = ".haven-radios__label"
    assert style(page, label, "width", "::before") == "40px"
    assert style(page, label, "height", "::before") == "40px"
    assert style(page, label, "box-shadow", "::before") == "none"
    radio.focus()
    assert style(page, label, "border-top-width", "::before") == "4px"
    assert "rgb(255, 221, 0)" in style(page, label, "box-shadow", "::before")
    # The target the person hits is the 44 px input itself.
    box = radio.bounding_box()
    assert box is not None and box["width"] == box["height"] == 44
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    assert style(page, label, "opacity", "::after") == "1"


def test_checkboxes_are_40_px_with_a_tick_and_a_visible_focus(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/components/tokens/")
    box = page.get_by_role("checkbox", name="Appeals for witnesses")
    label = 'label[for="control-updates-appeals"]'
    assert style(page, label, "width", "::before") == "40px"
    assert style(page, label, "opacity", "::after") == "0"
    box.focus()
    assert "rgb(255, 221, 0)" in style(page, label, "box-shadow", "::before")
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    assert style(page, label, "opacity", "::after") == "1"


def relative_luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_tags_are_tinted_in_sentence_case_and_alpha_is_not_beta(shared_page: Page) -> None:
    page = shared_page
    colours = {}
    for phase in ("default", "alpha"):
        open_page(page, f"/components/phase-banner/{phase}/preview")
        tag = ".haven-tag"
        assert style(page, tag, "text-transform") == "none"
        assert page.locator(tag).inner_text() in ("Beta", "Alpha")
        text, background = style(page, tag, "color"), style(page, tag, "background-color")
        high, low = sorted((relative_luminance(text), relative_luminance(background)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5
        # Tinted: a pale background, not a solid brand colour.
        assert relative_luminance(background) > 0.6
        colours[phase] = background
    assert colours["default"] != colours["alpha"]


def test_one_secondary_button_style(shared_page: Page, context: Any) -> None:
    """The error notice's "Hide this message" and the gallery's copy buttons are
    the same secondary button."""
    page = shared_page
    looks = ("background-color", "color", "box-shadow", "font-weight", "min-height")
    open_page(page, "/components/error-notice/dismissible/preview")
    hide = {prop: style(page, ".haven-error-notice__dismiss", prop) for prop in looks}
    open_page(page, "/components/error-notice/")
    page.get_by_text("Code for the default example").click()
    copy = {prop: style(page, ".demo-copy__button", prop) for prop in looks}
    assert hide == copy
    assert hide["background-color"] != style(
        page, ".haven-button:not(.haven-button--secondary)", "background-color"
    )


def test_text_boxes_have_widths_and_fit_the_reading_column(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/feedback")
    box = page.get_by_role("textbox", name="Your feedback").bounding_box()
    assert box is not None and box["width"] <= 640
    open_page(page, "/components/tokens/")
    widths = page.evaluate(
        """() => ['30', '20', '10', '5', '4', '3', '2'].map(n => {
             const input = document.createElement('input')
             input.className = 'haven-input haven-input--width-' + n
             document.querySelector('main').append(input)
             const width = input.getBoundingClientRect().width / parseFloat(getComputedStyle(input).fontSize)
             input.remove()
             return Math.round(width * 100) / 100
           })"""
    )
    assert widths == [29.5, 20.5, 11.5, 5.5, 4.5, 3.75, 2.75]


@pytest.mark.parametrize("path", ["/cookies", "/cookies?lang=cy", "/"])
def test_tables_never_break_an_ordinary_word(shared_page: Page, path: str) -> None:
    """At 320 px, in English and in Welsh: a word is on one line; only a
    cookie's name wraps, and only between its parts ("haven_/consent")."""
    page = shared_page
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, path)
    assert page.evaluate(BROKEN_WORDS) == []


def test_error_notice_title_and_message_differ_in_weight(shared_page: Page) -> None:
    page = shared_page
    open_page(page, "/components/error-notice/with-title/preview")
    assert style(page, ".haven-error-notice__title", "font-weight") == "700"
    assert style(page, ".haven-error-notice__text", "font-weight") == "400"
    open_page(page, "/components/error-notice/default/preview")
    assert style(page, ".haven-error-notice__text", "font-weight") == "700"


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
    story in the first screen; once answered, the chrome takes under half of it."""
    page = shared_page
    page.set_viewport_size(PHONE)
    open_page(page, f"/?lang={lang}")
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None
    # English: the headline's first line is whole; Welsh (longer words), it has begun.
    assert heading["y"] + (30 if lang == "en" else 0) < PHONE["height"], heading
    CookieBanner(page, language=lang).reject()
    open_page(page, f"/?lang={lang}")
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


FRAMES = """() => [...document.querySelectorAll('[data-preview]')].map(preview => {
  const box = preview.querySelector('.demo-preview__box').getBoundingClientRect()
  const frame = preview.querySelector('iframe')
  const shown = frame.getBoundingClientRect()
  const doc = frame.contentDocument.documentElement
  return { column: preview.getBoundingClientRect().width, box: box.width,
           inside: shown.right <= box.right + 1 && shown.bottom <= box.bottom + 1,
           whole: preview.classList.contains('demo-preview--viewport') ||
                  Math.abs(Math.max(48, doc.getBoundingClientRect().height) - frame.offsetHeight) <= 1 }
})"""


@pytest.mark.parametrize(
    "path", ["/components/full-page/", "/components/themes/", "/components/quick-exit/"]
)
def test_previews_fit_their_frames_and_the_column(shared_page: Page, path: str) -> None:
    """No frame is wider than its column (wide ones are scaled down, never up),
    on a desktop and on a phone, and an example's frame is as tall as what it shows."""
    page = shared_page
    open_page(page, path)
    page.evaluate(
        """() => Promise.all([...document.querySelectorAll('iframe')].map(f =>
             f.contentDocument && f.contentDocument.readyState === 'complete' ? null
             : new Promise(done => f.addEventListener('load', done, { once: true }))))"""
    )
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        report = page.evaluate(FRAMES)
        assert report
        for frame in report:
            assert frame["box"] <= frame["column"] + 0.5, (width, frame)
            assert frame["inside"] and frame["whole"], (width, frame)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width


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
