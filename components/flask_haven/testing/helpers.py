"""Helpers QA tests need around the components: enhancement and the exit page stub."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._support import require, seconds, settings

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route

# The stub sends a strict policy of its own, so a test that ends on it still
# passes assert_no_csp_violations and assert_strict_csp.
EXIT_STUB_CSP = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
EXIT_STUB_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>Exit page (test stub)</title></head>"
    "<body><h1>Exit page (test stub)</h1></body></html>"
)


def wait_for_enhancement(page: Page, *, timeout: float | None = None) -> None:
    """Wait until flask-haven's script has started the components.

    The bundle loads with ``defer`` and adds ``haven-js-enabled`` to
    ``<body>`` once it has; pressing keys before that tests the no-JS page.
    Fails within the presence timeout on a page with no component, and
    naming the URL if the script never starts (missing, or blocked by a CSP).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    # A page with no component has nothing to enhance: say so in seconds.
    require(
        page,
        page.locator('[data-module^="haven-"]'),
        "flask-haven component to enhance",
        'an element with data-module="haven-…"',
        None,
    )
    wait = settings.wait_timeout if timeout is None else timeout
    try:
        # An arrow function, not a bare expression: a bare one needs eval,
        # which a strict CSP forbids.
        page.wait_for_function(
            "() => document.body && document.body.classList.contains('haven-js-enabled')",
            timeout=wait,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"flask-haven's script did not start on {page.url} within {seconds(wait)} "
            "(no 'haven-js-enabled' class on <body>): is the bundle on the page, "
            "and does the CSP allow it?"
        ) from None


@dataclass
class ExitStub:
    """Answers the quick exit's URL locally, so no test ever leaves the machine.

    ``visits`` lists the URLs the browser asked for, in order.
    """

    url: str
    visits: list[str] = field(default_factory=list)

    def install(self, target: BrowserContext | Page) -> ExitStub:
        """Route ``url`` (and anything under it) on a context or a page."""
        target.route(self.url + "**", self.fulfill)
        return self

    def fulfill(self, route: Route) -> None:
        """Answer ``route`` with the stub page (a route handler)."""
        self.visits.append(route.request.url)
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": EXIT_STUB_CSP},
            body=EXIT_STUB_PAGE,
        )
