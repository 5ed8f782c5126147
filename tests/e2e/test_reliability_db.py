"""The database read-only while someone uses the site with JavaScript on.

Accepting cookies shows the technical-problem notice and sets nothing; sending
feedback shows it and keeps the text; the pages keep working.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from demo_app import create_app
from flask_haven.db import get_engine
from flask_haven.testing.plugin import LiveServer

from .conftest import EXIT_URL, fulfill_exit_page, wait_for_enhancement

PROBLEM = "Sorry, there was a technical problem. Please try again."


@pytest.fixture(scope="module")
def read_only_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    instance = tmp_path_factory.mktemp("read-only-db") / "instance"
    healthy = create_app({"INSTANCE_PATH": str(instance)})
    with healthy.app_context():
        get_engine().dispose()  # tables exist before the database turns read-only
    db = Path(instance) / "haven.sqlite3"
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "HAVEN_DATABASE_URL": f"sqlite:///file:{db}?mode=ro&uri=true",
        }
    )
    server = LiveServer(app).start()
    yield server.url
    server.stop()


@pytest.fixture
def ro_context(browser: Browser, read_only_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=read_only_url)
    context.route(EXIT_URL + "**", fulfill_exit_page)
    yield context
    context.close()


def test_accepting_cookies_shows_the_error_and_sets_nothing(ro_context: BrowserContext) -> None:
    page = ro_context.new_page()
    page.goto("/")
    if not page.get_by_role("button", name="Accept additional cookies").count():
        pytest.skip("the cookie consent component is not in this checkout yet")
    wait_for_enhancement(page)
    page.get_by_role("button", name="Accept additional cookies").click()
    expect(page.get_by_role("alert")).to_contain_text(PROBLEM)
    expect(page.get_by_text("Your cookie preferences have been saved")).to_be_hidden()
    names = {cookie["name"] for cookie in ro_context.cookies()}
    assert not {"haven_consent", "demo_analytics", "demo_preferences"} & names, names
    page.reload()
    expect(page.get_by_role("region", name="Cookies on").first).to_be_visible()
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(EXIT_URL + "**")


def test_sending_feedback_shows_the_error_and_keeps_the_text(ro_context: BrowserContext) -> None:
    page = ro_context.new_page()
    response = page.goto("/feedback")
    if response is None or response.status == 404:
        pytest.skip("the feedback component is not in this checkout yet")
    wait_for_enhancement(page)
    text = "The opening times table does not say when the hub closes for lunch."
    page.get_by_role("textbox", name="Your feedback").fill(text)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("alert").filter(has_text=PROBLEM)).to_be_visible()
    expect(page.get_by_role("textbox", name="Your feedback")).to_have_value(text)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
