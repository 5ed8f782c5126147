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
from playwright.sync_api import Browser, BrowserContext, Page, Route
from playwright.sync_api import Error as PlaywrightError

from demo_app import create_app
from flask_haven.testing import assert_no_console_errors, assert_no_csp_violations
from flask_haven.testing.watch import PageWatch, watch_context

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


DESKTOP = {"width": 1280, "height": 720}


@pytest.fixture(scope="session")
def _shared_context(
    browser: Browser, browser_context_args: dict[str, Any]
) -> Iterator[BrowserContext]:
    context = browser.new_context(**browser_context_args)
    watch_context(context)
    context.route(EXIT_URL + "**", fulfill_exit_page)
    yield context
    context.close()


@pytest.fixture(scope="session")
def _shared_no_js_context(
    browser: Browser, browser_context_args: dict[str, Any]
) -> Iterator[BrowserContext]:
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    watch_context(context)
    yield context
    context.close()


def _reset(page: Page) -> Page:
    """A used page made like a fresh one: no cookies, no emulation, desktop size."""
    watch = PageWatch.of(page)
    for seen in (watch.errors, watch.csp_violations, watch.violations, watch.documents):
        seen.clear()
    page.context.clear_cookies()
    page.emulate_media(reduced_motion="no-preference", forced_colors="none")
    page.set_viewport_size(DESKTOP)
    return page


@pytest.fixture
def shared_page(_shared_context: BrowserContext) -> Iterator[Page]:
    """One page for every check that needs no isolation of its own (the sweeps).

    A fresh context per check costs far more than the check (axe's 500 KB are
    compiled anew in each), so the sweeps load each page once in this one and
    run every check on that load. Reset to a fresh page's state before each
    test; console errors and CSP violations still fail the test that made them.
    """
    pages = _shared_context.pages
    page = _reset(pages[0] if pages else _shared_context.new_page())
    yield page
    assert_no_csp_violations(page)
    assert_no_console_errors(page)


@pytest.fixture
def shared_no_js_page(_shared_no_js_context: BrowserContext) -> Iterator[Page]:
    """Like :func:`shared_page`, with JavaScript off."""
    pages = _shared_no_js_context.pages
    page = _reset(pages[0] if pages else _shared_no_js_context.new_page())
    yield page
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
