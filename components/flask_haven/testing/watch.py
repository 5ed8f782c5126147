"""Collects console errors, CSP violations and document loads from a Playwright page.

The plugin attaches a watch to every ``page`` fixture; :func:`watch_context`
does the same for a context you made yourself. The assertions in
:mod:`flask_haven.testing.assertions` read what it collected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, Response

# Runs before any page script and reports each CSP violation, with its
# details, through a binding (which, unlike page state, survives navigations).
# Injected by Playwright, so the page's own CSP does not block it.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', function (e) {
  window.__havenReportCsp({
    directive: e.effectiveDirective || e.violatedDirective,
    blocked: e.blockedURI || '',
    sample: e.sample || '',
    source: e.sourceFile || '',
    line: e.lineNumber || 0,
    column: e.columnNumber || 0,
    document: e.documentURI || '',
    disposition: e.disposition || 'enforce'
  })
})
"""

# Chromium's console text for a response with an error status.
_FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of \d+")


@dataclass(frozen=True)
class CspViolation:
    """One Content-Security-Policy violation, as the browser reported it."""

    directive: str
    blocked: str
    sample: str
    source: str
    line: int
    column: int
    document: str
    disposition: str = "enforce"

    def __str__(self) -> str:
        # "inline" / "eval" are what browsers report for code without a URL;
        # the sample (when the policy asks for 'report-sample') shows which.
        what = self.blocked or "inline"
        if self.sample:
            what += f" ({self.sample[:60]!r})"
        where = f"{self.source}:{self.line}:{self.column}" if self.source else self.document
        report_only = " [report-only]" if self.disposition == "report" else ""
        return f"{self.directive} blocked {what} at {where}{report_only}"


@dataclass(frozen=True)
class DocumentLoad:
    """A document the page's main frame loaded: its URL, status and CSP header."""

    url: str
    status: int
    csp: str | None


@dataclass
class PageWatch:
    """What one page reported, across all its navigations.

    ``errors`` holds console errors and uncaught exceptions as text, in order;
    tests may edit it. Errors that :meth:`unexpected_errors` leaves out are the
    browser's own reports of error pages the test opened on purpose.
    """

    errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    violations: list[CspViolation] = field(default_factory=list)
    documents: list[DocumentLoad] = field(default_factory=list)
    # Set by the plugin from the test's markers: regexes of allowed errors.
    allowed_errors: list[re.Pattern[str]] = field(default_factory=list)
    # Only documents of this origin count for "did the site send a CSP?";
    # a stubbed exit page or a third-party page is not the site under test.
    site_origin: str | None = None

    @classmethod
    def of(cls, page: Page) -> PageWatch:
        """The watch attached to ``page`` by :func:`watch_context`."""
        try:
            return _watches[page]
        except KeyError:
            raise RuntimeError(
                "this page is not watched: use the `page` fixture with the flask-haven "
                "plugin, or call flask_haven.testing.watch.watch_context(context) first"
            ) from None

    def add_violation(self, violation: CspViolation) -> None:
        """Record ``violation`` once, however many times the browser reports it."""
        if violation not in self.violations:
            self.violations.append(violation)
            self.csp_violations.append(str(violation))

    def unexpected_errors(self) -> list[str]:
        """``errors`` without those the test caused on purpose or allowed by a marker.

        A document the test navigated to (``page.goto`` of a 404 page, a form
        post answered with 400, sent as a document or by the journey script)
        makes Chromium log "Failed to load resource";
        that is the test's intent, not a fault of the page. So is the
        browser's own request for ``/favicon.ico``.
        """
        expected_urls = {doc.url for doc in self.documents if doc.status >= 400}
        kept = []
        for error in self.errors:
            if _FAILED_LOAD.match(error):
                url = error.rsplit(" (", 1)[-1].rstrip(")")
                if url in expected_urls or urlsplit(url).path == "/favicon.ico":
                    continue
            if any(pattern.search(error) for pattern in self.allowed_errors):
                continue
            kept.append(error)
        return kept

    def site_documents(self) -> list[DocumentLoad]:
        """The documents loaded from the site under test (all of them if it is not known)."""
        if self.site_origin is None:
            return list(self.documents)
        return [doc for doc in self.documents if _origin(doc.url) == self.site_origin]

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # The securitypolicyviolation event reports each violation with its
        # details; Chromium's console line for the same one would repeat it.
        if "Content Security Policy" in message.text:
            return
        location = message.location.get("url", "") if message.location else ""
        self.errors.append(f"{message.text} ({location})" if location else message.text)

    def _on_page_error(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error.message}")

    def _on_response(self, page: Page, response: Response) -> None:
        request = response.request
        # With journey protection the page posts its forms with fetch (header
        # Haven-Journey) and shows the answer as itself: a document it loaded.
        journey = request.resource_type == "fetch" and "haven-journey" in request.headers
        if not (request.resource_type == "document" or journey):
            return
        if response.frame != page.main_frame:
            return
        csp = response.headers.get("content-security-policy")
        self.documents.append(DocumentLoad(response.url, response.status, csp))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


_watches: WeakKeyDictionary[Any, PageWatch] = WeakKeyDictionary()
_watched_contexts: WeakKeyDictionary[Any, str | None] = WeakKeyDictionary()


def watch_context(context: BrowserContext, *, site: str | None = None) -> None:
    """Watch every page opened in ``context`` from now on.

    ``site`` is the base URL of the site under test; only its documents are
    checked for a Content-Security-Policy. Calling it twice is harmless.
    """
    origin = _origin(site) if site else None
    if context in _watched_contexts:
        for page in context.pages:
            if page in _watches and origin:
                _watches[page].site_origin = origin
        return
    _watched_contexts[context] = origin

    def report(source: Any, details: dict[str, Any]) -> None:
        page = source.get("page") if isinstance(source, dict) else None
        if page is not None and page in _watches:
            _watches[page].add_violation(
                CspViolation(
                    directive=str(details.get("directive", "")),
                    blocked=str(details.get("blocked", "")),
                    sample=str(details.get("sample", "")),
                    source=str(details.get("source", "")),
                    line=int(details.get("line") or 0),
                    column=int(details.get("column") or 0),
                    document=str(details.get("document", "")),
                    disposition=str(details.get("disposition", "enforce")),
                )
            )

    def attach(page: Page) -> None:
        watch = _watches.setdefault(page, PageWatch(site_origin=_watched_contexts.get(context)))
        page.on("console", watch._on_console)
        page.on("pageerror", watch._on_page_error)
        page.on("response", lambda response: watch._on_response(page, response))

    context.expose_binding("__havenReportCsp", report)
    context.add_init_script(_CSP_LISTENER)
    for page in context.pages:
        attach(page)
    context.on("page", attach)
