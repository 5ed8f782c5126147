"""The gallery in a browser: every page and preview loads cleanly and passes axe;
copy buttons work by keyboard; the gallery works with JavaScript off.

The e2e conftest fails any test here that logs a console error or a CSP
violation, so "loads cleanly" covers both.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from demo_app.gallery import THEMES
from flask_haven.catalogue import load_components
from flask_haven.testing import assert_accessible

from ..page_list import all_pages
from .conftest import open_page

COMPONENTS = load_components()
GALLERY_PAGES = [
    "/components/",
    "/components/full-page/",
    "/components/full-page/?js=off&theme=brand",
    "/components/themes/",
    *(f"/components/{c.name}/" for c in COMPONENTS),
    *(f"/components/{c.name}/?theme={theme}" for c in COMPONENTS[:1] for theme in THEMES),
]
PREVIEWS = [
    f"/components/{c.name}/{example.name}/preview" for c in COMPONENTS for example in c.examples
]
# Each theme on one preview of every component, and on the whole news page.
THEMED_PREVIEWS = [
    *(
        f"/components/{c.name}/{c.examples[0].name}/preview?theme={t}"
        for c in COMPONENTS
        for t in THEMES
    ),
    *(f"/components/full-page/preview?theme={t}" for t in THEMES),
    "/components/full-page/preview?js=off",
]


def visit(page: Page, path: str) -> Page:
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    if "js=off" not in path:
        page.wait_for_function("() => document.body.classList.contains('haven-js-enabled')")
    page.wait_for_load_state("load")
    return page


# Pages the shared sweep (tests/page_list.py, test_accessibility.py) does not
# already audit: the theme and JavaScript-off variants.
SWEPT = set(all_pages())
VARIANTS = [path for path in GALLERY_PAGES + PREVIEWS + THEMED_PREVIEWS if path not in SWEPT]


@pytest.mark.parametrize("path", VARIANTS)
def test_page_loads_cleanly_and_passes_axe(shared_page: Page, path: str) -> None:
    visit(shared_page, path)
    assert_accessible(shared_page)


def test_gallery_at_320_css_pixels_does_not_scroll_sideways(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/components/", "/components/full-page/", "/components/themes/"):
        visit(page, path)
        assert page.evaluate("() => document.documentElement.scrollWidth <= 320"), path


def test_copy_buttons_work_by_keyboard(page: Page, context: Any) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    component = next(c for c in COMPONENTS if c.name == "quick-exit")
    open_page(page, "/components/quick-exit/")

    summary = page.get_by_text("Code for the default example")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Copy Jinja code of the default example")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    status = page.get_by_role("status").filter(has_text="Copied")
    expect(status).to_have_count(1)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == component.macro_call(component.examples[0])

    page.keyboard.press("Tab")
    html_button = page.get_by_role("button", name="Copy HTML code of the default example")
    expect(html_button).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("status").filter(has_text="Copied")).to_have_count(2)
    assert 'data-module="haven-quick-exit"' in page.evaluate("() => navigator.clipboard.readText()")


def test_mid_exit_state_hides_the_page_server_side(page: Page) -> None:
    visit(page, "/components/quick-exit/mid-exit/preview")
    expect(page.get_by_role("link", name="Leave this site")).to_be_hidden()
    visit(page, "/components/quick-exit/default/preview")
    expect(page.get_by_role("link", name="Leave this site")).to_be_visible()


def test_theme_changes_the_custom_properties(page: Page) -> None:
    def brand(path: str) -> str:
        visit(page, path)
        return str(
            page.evaluate(
                "() => getComputedStyle(document.documentElement)"
                ".getPropertyValue('--haven-brand').trim()"
            )
        )

    assert brand("/components/full-page/preview") == "#1d59b8"
    assert brand("/components/full-page/preview?theme=high-contrast") == "#000"
    assert brand("/components/full-page/preview?theme=brand") == "#4b2a7b"


def test_full_page_preview_without_javascript(page: Page) -> None:
    visit(page, "/components/full-page/?js=off")
    frames = page.frame_locator('iframe[title*="JavaScript off"]')
    expect(frames.first.get_by_role("link", name="Leave this site")).to_be_visible()
    frame = page.frames[1]
    frame.wait_for_load_state("load")
    # Consent-gated scripts may wait inert (type=text/plain); nothing may run.
    assert (
        frame.evaluate(
            "() => document.querySelectorAll('script:not([type=\"text/plain\"])').length"
        )
        == 0
    )
    assert not frame.evaluate("() => document.body.classList.contains('haven-js-enabled')")


def test_gallery_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/components/quick-exit/")

    # No dead controls: the copy buttons need JavaScript, so they are not there;
    # the only button in the page's content is the switches' submit button,
    # which works without it (the cookie banner's buttons post a form too).
    expect(page.get_by_role("button", name=re.compile("^Copy"))).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(1)
    page.get_by_text("Code for the default example").click()
    expect(page.get_by_text('{% from "haven/quick-exit/macro.html"').first).to_be_visible()

    page.get_by_label("High contrast").check()
    page.get_by_role("button", name="Update previews").click()
    page.wait_for_url(re.compile(r"theme=high-contrast"))
    frame = page.get_by_title("Preview: Quick exit, default example")
    expect(frame).to_have_attribute("src", re.compile(r"theme=high-contrast"))

    page.goto("/components/full-page/")
    page.get_by_label("Off").check()
    page.get_by_role("button", name="Update previews").click()
    page.wait_for_url(re.compile(r"js=off"))
    expect(page.get_by_title(re.compile("JavaScript off")).first).to_be_visible()
    context.close()
