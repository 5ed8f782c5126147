"""The phase banner and the feedback service in a real browser, with and without JavaScript."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from flask_haven.catalogue import load_components
from flask_haven.feedback import MemoryRateLimitStore, parse_rate_limit
from flask_haven.testing import FeedbackForm, assert_accessible
from flask_haven.testing.watch import PageWatch

from .conftest import open_page

DEMO_PAGES = [
    "/",
    "/components/",
    *[f"/components/{c.name}/" for c in load_components()],
    "/feedback",
    "/feedback/thanks",
]


# The form answers a refused post with its HTTP status (400, 413, 429, 503) as
# GOV.UK does, and Chromium logs each as a console error. Those are expected;
# any other console error (a script failing, say) still fails the test.
EXPECTED_STATUS = re.compile(
    r"^Failed to load resource: the server responded with a status of (400|413|429|503) "
    r".*\(http://127\.0\.0\.1:\d+/feedback\)$"
)


@pytest.fixture(autouse=True)
def _refused_posts_are_not_console_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    yield  # torn down before the conftest's check, which then sees the rest
    if "page" in request.fixturenames:
        watch = PageWatch.of(request.getfixturevalue("page"))
        watch.errors[:] = [error for error in watch.errors if not EXPECTED_STATUS.match(error)]


@pytest.fixture(autouse=True)
def fresh_rate_limit(haven_app: Flask) -> Iterator[None]:
    """Each test starts with nothing counted against 127.0.0.1 (all tests share it)."""
    state = haven_app.extensions["haven"]
    state.rate_limit_store = MemoryRateLimitStore()
    yield
    state.rate_limit_store = MemoryRateLimitStore()


@pytest.fixture
def small_rate_limit(haven_app: Flask) -> Iterator[None]:
    # Settings are parsed once at start-up: swap in a copy with a smaller limit.
    state = haven_app.extensions["haven"]
    before = state.settings
    feedback = dataclasses.replace(before.feedback, rate_limit=parse_rate_limit("1/minute"))
    state.settings = dataclasses.replace(before, feedback=feedback)
    yield
    state.settings = before


def export_rows(app: Flask) -> list[dict[str, str]]:
    result = app.test_cli_runner().invoke(args=["haven", "export-feedback"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


@pytest.mark.parametrize("path", DEMO_PAGES)
def test_banner_and_feedback_link_on_every_demo_page(shared_page: Page, path: str) -> None:
    page = shared_page
    page.goto(path)
    expect(page.get_by_text("Beta", exact=True)).to_be_visible()
    link = page.get_by_role("link", name="let us know what you think")
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("/feedback")


def test_banner_link_leads_to_the_form_and_back(page: Page, haven_app: Flask) -> None:
    open_page(page, "/components/")
    page.get_by_role("link", name="let us know what you think").click()
    expect(page.get_by_role("heading", level=1, name="Give feedback")).to_be_visible()
    FeedbackForm(page).submit("The gallery is easy to browse.")
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    page.get_by_role("link", name="Go back to the page you were on").click()
    expect(page).to_have_url(re.compile(r"/components/$"))


def test_empty_submission_shows_the_summary_with_focus_and_working_links(page: Page) -> None:
    open_page(page, "/feedback")
    form = FeedbackForm(page)
    form.submit("")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert form.errors() == ["Enter your feedback"]
    expect(form.summary).to_be_focused()
    expect(page.get_by_text("Error: Enter your feedback")).to_be_visible()
    form.summary.get_by_role("link", name="Enter your feedback").click()
    expect(form.textbox).to_be_focused()


def test_over_long_submission_keeps_the_text_and_its_link_moves_focus(page: Page) -> None:
    open_page(page, "/feedback")
    form = FeedbackForm(page)
    text = "Too long. " * 120 + "!"  # 1,201 characters
    form.textbox.fill(text)
    expect(page.get_by_text("Characters over the limit: 1", exact=True)).to_be_visible()
    with page.expect_navigation():
        form.button.click()
    assert form.errors() == ["Your feedback must be 1,200 characters or fewer"]
    expect(form.summary).to_be_focused()
    expect(form.textbox).to_have_value(text)
    form.summary.get_by_role("link").first.click()
    expect(form.textbox).to_be_focused()


def test_live_count_is_shown_at_once_and_announced_after_a_pause(page: Page) -> None:
    open_page(page, "/feedback")
    form = FeedbackForm(page)
    expect(page.get_by_text("You can write up to 1,200 characters.")).to_be_visible()
    expect(page.get_by_text("Characters left: 1,200", exact=True)).to_be_visible()
    form.textbox.press_sequentially("Hi 🚲")
    expect(page.get_by_text("Characters left: 1,196", exact=True)).to_be_visible()
    live = page.locator("[aria-live=polite]")
    expect(live).to_have_text("Characters left: 1,196", timeout=3000)


def test_valid_submission_shows_thanks_and_appears_in_the_export(
    page: Page, haven_app: Flask
) -> None:
    text = "Please add the Saturday opening times to the hub page. =1+1"
    open_page(page, "/feedback?return_to=/")
    page.get_by_role("radio", name="Very satisfied").check()
    FeedbackForm(page).submit(text)
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Thank you for your feedback"))
    rows = [row for row in export_rows(haven_app) if row["text"].startswith("Please add")]
    assert rows, "the feedback is not in the export"
    assert rows[-1]["answer:satisfaction"] == "very-satisfied"
    assert rows[-1]["return_to"] == "/"
    page.get_by_role("link", name="Go back to the page you were on").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_the_whole_flow_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("link", name="let us know what you think").click()
        form = FeedbackForm(page)
        expect(page.get_by_text("You can write up to 1,200 characters.")).to_be_visible()
        form.submit("")
        assert form.errors() == ["Enter your feedback"]
        expect(form.summary).to_be_focused()  # autofocus, not script
        form.summary.get_by_role("link").first.click()
        expect(form.textbox).to_be_focused()
        form.submit("x" * 1201)
        assert form.errors() == ["Your feedback must be 1,200 characters or fewer"]
        form.submit("Works without scripts too.")
        expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
        page.get_by_role("link", name="Go back to the page you were on").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Burglary falls")
    finally:
        context.close()


def test_radio_error_links_to_the_first_radio(page: Page) -> None:
    open_page(page, "/feedback")
    # Only a tampered post can send an answer that is not offered.
    page.evaluate("() => { document.getElementById('satisfaction').value = 'bogus' }")
    page.get_by_role("radio", name="Very satisfied").check()
    form = FeedbackForm(page)
    form.submit("Fine.")
    (message,) = form.errors()
    assert message.startswith("Select one of the answers")
    form.summary.get_by_role("link").first.click()
    expect(page.get_by_role("radio", name="Very satisfied")).to_be_focused()
    expect(form.textbox).to_have_value("Fine.")


@pytest.mark.usefixtures("small_rate_limit")
def test_rate_limited_post_says_so_and_keeps_the_text(page: Page) -> None:
    open_page(page, "/feedback")
    form = FeedbackForm(page)
    form.submit("First.")
    page.goto("/feedback")
    form.submit("Second, too soon.")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Your feedback has not been sent")
    expect(alert).to_contain_text("Wait a minute")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(form.textbox).to_have_value("Second, too soon.")
    assert_accessible(page)


def _state_empty(page: Page) -> None:
    open_page(page, "/feedback")


def _state_errors(page: Page) -> None:
    open_page(page, "/feedback")
    FeedbackForm(page).submit("")


def _state_too_long(page: Page) -> None:
    open_page(page, "/feedback")
    FeedbackForm(page).submit("y" * 1300)


def _state_thanks(page: Page) -> None:
    open_page(page, "/feedback?return_to=/")
    FeedbackForm(page).submit("Axe check.")


STATES: dict[str, Any] = {
    "empty": _state_empty,
    "errors": _state_errors,
    "too-long": _state_too_long,
    "thanks": _state_thanks,
}


@pytest.mark.parametrize("state", STATES)
def test_no_axe_violations_in_any_state(page: Page, state: str) -> None:
    STATES[state](page)
    assert_accessible(page)


@pytest.mark.parametrize("state", ["empty", "errors"])
def test_no_axe_violations_at_320_css_pixels(page: Page, state: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    STATES[state](page)
    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth <= 320")
