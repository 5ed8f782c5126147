"""Collects console errors and CSP violations from a Playwright page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page

# Runs before any page script; reports CSP violations through a binding, which
# (unlike page state) survives navigations. Injected by Playwright, so our own
# CSP does not block it.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', function (e) {
  window.__havenReportCsp(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    ' on ' + e.documentURI)
})
"""

_watches: WeakKeyDictionary[Any, PageWatch] = WeakKeyDictionary()


class PageWatch:
    """Errors and CSP violations seen by one page (across its navigations)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.csp_violations: list[str] = []

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

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            text = message.text
            location = message.location.get("url", "") if message.location else ""
            # Chromium logs CSP violations as console errors too; keep them together.
            if "Content Security Policy" in text:
                self.csp_violations.append(text)
            else:
                self.errors.append(f"{text} ({location})" if location else text)

    def _on_page_error(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error.message}")


def watch_context(context: BrowserContext) -> None:
    """Watch every page opened in ``context`` from now on."""

    def report(source: Any, text: str) -> None:
        page = source.get("page") if isinstance(source, dict) else None
        if page is not None and page in _watches:
            message = f"CSP: {text}"
            if message not in _watches[page].csp_violations:
                _watches[page].csp_violations.append(message)

    def attach(page: Page) -> None:
        watch = _watches.setdefault(page, PageWatch())
        page.on("console", watch._on_console)
        page.on("pageerror", watch._on_page_error)

    context.expose_binding("__havenReportCsp", report)
    context.add_init_script(_CSP_LISTENER)
    for page in context.pages:
        attach(page)
    context.on("page", attach)
