"""Error notice, error summary and error pages in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from demo_app import create_app
from flask_haven.testing import ErrorNotice, assert_accessible
from flask_haven.testing.plugin import LiveServer

from .conftest import open_page, wait_for_enhancement

FORM = "/_demo/form"


def show_error(page: Page, **options: str) -> None:
    """Call the JS API on the demo form's notice area."""
    page.evaluate(
        "options => haven.showError(document.getElementById('demo-notices'), options)", options
    )


def focused_is(locator: Locator) -> None:
    expect(locator).to_be_focused()


# -- error notice -------------------------------------------------------------------


def test_server_rendered_notice_is_an_alert_without_javascript(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/components/error-notice/dismissible/preview")
    notice = ErrorNotice(page)
    notice.assert_shown("Sorry, we could not load the latest opening times.")
    # The hide button cannot work without JavaScript, so it is not offered.
    expect(notice.dismiss_button).to_have_count(0)
    context.close()


def test_server_rendered_notice_can_be_hidden_with_javascript(page: Page) -> None:
    open_page(page, "/components/error-notice/dismissible/preview")
    notice = ErrorNotice(page)
    notice.assert_shown("Sorry, we could not load the latest opening times.")
    notice.dismiss()
    notice.assert_hidden()
    # Focus stays near where the notice was, not lost to the top of the page.
    focused_is(page.get_by_role("main"))


def test_show_error_announces_once_and_keeps_focus(page: Page) -> None:
    open_page(page, FORM)
    continue_button = page.get_by_role("button", name="Continue")
    continue_button.focus()
    page.evaluate(
        """() => {
            window.__added = 0
            new MutationObserver(records => records.forEach(record => {
              window.__added += record.addedNodes.length
            })).observe(document.getElementById('demo-notices'), {childList: true, subtree: true})
        }"""
    )
    show_error(page, title="Your answers were not saved")
    notice = ErrorNotice(page)
    notice.assert_shown("Sorry, there was a technical problem. Please try again.")
    expect(notice.alert.get_by_role("heading", name="Your answers were not saved")).to_be_visible()
    # role=alert announces without moving focus away from what the person was doing.
    focused_is(continue_button)
    assert page.evaluate("() => window.__added") == 1

    page.evaluate("() => { window.__first = document.querySelector('#demo-notices > *') }")
    show_error(page, title="Your answers were not saved")
    show_error(page, title="Your answers were not saved")
    # Same message: the same element, untouched, so nothing is announced again.
    assert page.evaluate("() => window.__added") == 1
    assert page.evaluate("() => document.querySelector('#demo-notices > *') === window.__first")
    expect(notice.alert).to_have_count(1)


def test_a_different_message_replaces_the_notice(page: Page) -> None:
    open_page(page, FORM)
    show_error(page, text="First problem.")
    show_error(page, text="Second problem.", details="More about it.")
    notice = ErrorNotice(page)
    notice.assert_shown("Second problem.")
    expect(notice.alert).to_contain_text("More about it.")
    expect(notice.alert).not_to_contain_text("First problem.")


def test_dismiss_returns_focus_to_the_control_in_use(page: Page) -> None:
    open_page(page, FORM)
    continue_button = page.get_by_role("button", name="Continue")
    continue_button.focus()
    show_error(page)
    notice = ErrorNotice(page)
    notice.dismiss_button.focus()
    page.keyboard.press("Enter")
    notice.assert_hidden()
    focused_is(continue_button)


def test_hide_error_removes_the_notice(page: Page) -> None:
    open_page(page, FORM)
    show_error(page)
    ErrorNotice(page).assert_shown()
    page.evaluate("() => haven.hideError(document.getElementById('demo-notices'))")
    ErrorNotice(page).assert_hidden()
    page.evaluate("() => haven.hideError(document.getElementById('demo-notices'))")  # no error


def test_notice_states_pass_axe(page: Page) -> None:
    open_page(page, FORM)
    show_error(page, title="Your answers were not saved", details="What you typed is kept.")
    ErrorNotice(page).assert_shown()
    assert_accessible(page)


# -- error summary ------------------------------------------------------------------


def send_empty_form(page: Page) -> None:
    open_page(page, FORM)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    wait_for_enhancement(page)


def test_summary_takes_focus_and_title_says_error(page: Page) -> None:
    send_empty_form(page)
    # Whatever has focus holds the summary's heading: the summary itself.
    focused = page.locator(":focus")
    expect(focused.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(focused.get_by_role("link")).to_have_count(2)
    expect(page).to_have_title(re.compile(r"^Error: Contact details"))
    assert_accessible(page)


def test_summary_takes_focus_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto(FORM)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    focused = page.locator(":focus")
    expect(focused.get_by_role("heading", name="There is a problem")).to_be_visible()
    context.close()


def test_summary_link_focuses_the_text_field(page: Page) -> None:
    send_empty_form(page)
    url = page.url
    page.get_by_role("link", name="Enter your full name").click()
    focused_is(page.get_by_role("textbox", name="Full name"))
    assert page.url == url, "the address must not change"


def test_summary_link_focuses_the_first_radio_with_its_legend_in_view(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 480})
    send_empty_form(page)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    url = page.url
    page.get_by_role("link", name="Select how you would like us to contact you").click()
    focused_is(page.get_by_role("radio", name="Email"))
    assert page.url == url
    legend = page.get_by_text("How would you like us to contact you?")
    expect(legend).to_be_in_viewport()
    # Not hidden under the sticky quick exit bar.
    legend_top = legend.bounding_box()["y"]  # type: ignore[index]
    bar = page.get_by_role("link", name="Leave this site").bounding_box()
    assert bar is not None and legend_top >= bar["y"] + bar["height"] - 1


# -- error pages ----------------------------------------------------------------------

ERROR_PAGES = [
    ("/no-such-page", "Page not found"),
    ("/_demo/raise", "Sorry, there was a technical problem"),
    ("/_demo/abort/503", "Sorry, the service is unavailable"),
    ("/_demo/abort/400", "Sorry, something went wrong with that page"),
    ("/_demo/abort/403", "You cannot see this page"),
    ("/_demo/abort/429", "You have tried too many times"),
]


@pytest.mark.allow_console_errors  # the browser logs every 4xx/5xx response
@pytest.mark.parametrize(("path", "heading"), ERROR_PAGES)
def test_error_pages_use_the_layout_and_pass_axe(page: Page, path: str, heading: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status >= 400
    wait_for_enhancement(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name="Leave this site")).to_be_visible()
    expect(page.get_by_text("Traceback")).to_have_count(0)
    assert_accessible(page)


@pytest.fixture(scope="module")
def maintenance_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    app = create_app(
        {
            "INSTANCE_PATH": Path(tmp_path_factory.mktemp("maintenance")) / "instance",
            "HAVEN_MAINTENANCE": True,
        }
    )
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.mark.allow_console_errors
def test_maintenance_page_is_styled_scripted_and_accessible(
    page: Page, maintenance_server: LiveServer
) -> None:
    response = page.goto(maintenance_server.url + "/")
    assert response is not None and response.status == 503
    assert response.headers["retry-after"] == "3600"
    # The bundles are still served, so the quick exit works during maintenance.
    wait_for_enhancement(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, the service is unavailable")
    assert_accessible(page)
