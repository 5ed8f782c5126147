"""Browser tests: the demo app on a free port, driven by Playwright.

Uses the flask-haven pytest plugin (our own QA tooling): ``haven_app`` below
is served by ``haven_live_server`` and becomes Playwright's ``base_url``.
Every test also fails on console errors or CSP violations, unless marked
``allow_console_errors`` (for tests that make requests fail on purpose).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, Route
from playwright.sync_api import Error as PlaywrightError

from demo_app import create_app
from flask_haven.testing import assert_no_console_errors, assert_no_csp_violations

EXIT_URL = "https://www.bbc.co.uk/weather"
EXIT_PAGE = "<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_console_errors: the test makes requests fail on purpose"
    )


@pytest.fixture(scope="session")
def haven_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return create_app(
        {
            "INSTANCE_PATH": tmp_path_factory.mktemp("e2e") / "instance",
            # Demo pages that fail on purpose (issue 6); never on in a normal run.
            "DEMO_ERROR_ROUTES": True,
        }
    )


def fulfill_exit_page(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body=EXIT_PAGE)


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    """Every context answers the exit URL itself: there is no internet here,
    and a test must never depend on a third party's site."""
    context.route(EXIT_URL + "**", fulfill_exit_page)
    return context


@pytest.fixture(autouse=True)
def _page_stays_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "page" not in request.fixturenames:
        return
    page: Page = request.getfixturevalue("page")
    assert_no_csp_violations(page)
    if request.node.get_closest_marker("allow_console_errors") is None:
        assert_no_console_errors(page)


def wait_for_enhancement(page: Page) -> None:
    """Wait until the bundle has started the components."""
    page.wait_for_function("() => document.body.classList.contains('haven-js-enabled')")


def open_page(page: Page, path: str) -> Page:
    page.goto(path)
    wait_for_enhancement(page)
    return page


def report_after_quick_exit(page: Page, probe: str) -> list[Any]:
    """Run ``probe`` (a JS function) in a keydown listener that runs after the
    quick exit's, and collect what it returns, even while the page is leaving."""
    seen: list[Any] = []
    page.expose_function("__havenTestReport", lambda value: seen.append(value))
    # Compiled by Playwright's evaluate (exempt from the page's CSP), so the
    # listener itself needs no eval.
    page.evaluate(
        f"""() => window.addEventListener('keydown', async () => {{
              window.__havenTestReport(await ({probe})())
            }})"""
    )
    return seen


class HeldExit:
    """Holds every navigation to the exit page until :meth:`release`.

    Lets a test inspect the page mid-exit (content hidden, status announced)
    before the browser replaces it.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.routes: list[Route] = []
        page.route(EXIT_URL + "**", lambda route: self.routes.append(route))

    def release(self) -> None:
        for route in self.routes:
            # A navigation the page restarted was cancelled by the browser.
            with contextlib.suppress(PlaywrightError):
                fulfill_exit_page(route)
        self.routes.clear()
        self.page.unroute(EXIT_URL + "**")
        self.page.route(EXIT_URL + "**", fulfill_exit_page)


@pytest.fixture
def held_exit(page: Page) -> Iterator[HeldExit]:
    held = HeldExit(page)
    yield held
    held.release()
