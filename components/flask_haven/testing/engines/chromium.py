"""Chromium through Playwright (the project's usual driver), as an :class:`Engine`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..browser import find_chromium, launch_args
from .base import Engine, EngineUnavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright


class ChromiumEngine(Engine):
    """A Chromium tab driven by Playwright.

    Pass ``playwright`` to share a running Playwright (pytest-playwright's
    ``playwright`` fixture): Playwright's sync API allows one instance per
    thread, so a second one would refuse to start.
    """

    name = "chromium"

    def __init__(
        self,
        *,
        playwright: Playwright | None = None,
        base_url: str | None = None,
        javascript: bool = True,
        timeout: float = 60,
    ) -> None:
        super().__init__(base_url=base_url, javascript=javascript)
        found = find_chromium()
        if not found.path:
            raise EngineUnavailable("chromium: no Chromium found (run `make browser`)")
        self._own_playwright = None
        if playwright is None:
            from playwright.sync_api import sync_playwright

            self._own_playwright = sync_playwright().start()
            playwright = self._own_playwright
        try:
            # Playwright's own launch timeout guards the start (its objects are
            # tied to this thread, so it cannot be started in a watchdog thread).
            options: dict[str, Any] = {
                "headless": True,
                "timeout": timeout * 1000,
                **launch_args(found),
            }
            self._browser: Browser = playwright.chromium.launch(**options)
        except Exception as error:
            self._stop_own_playwright()
            raise EngineUnavailable(
                f"chromium: did not start within {timeout:g}s: {error}", transient=True
            ) from None
        self._context, self._page = self._new_context(javascript)

    def _new_context(self, javascript: bool) -> tuple[BrowserContext, Page]:
        context = self._browser.new_context(java_script_enabled=javascript)
        return context, context.new_page()

    def _stop_own_playwright(self) -> None:
        if self._own_playwright is not None:
            self._own_playwright.stop()
            self._own_playwright = None

    @property
    def page(self) -> Page:
        """The Playwright page, for what only Playwright can do (routes, emulation)."""
        return self._page

    def _navigate(self, url: str) -> None:
        self._page.goto(url, wait_until="load")

    def _script(self, body: str, args: list[Any]) -> Any:
        handle = self._page.evaluate_handle(
            "(args) => (function () {\n" + body + "\n}).apply(null, args)", args
        )
        element = handle.as_element()
        if element is not None:
            return element
        value = handle.json_value()
        handle.dispose()
        return value

    def _click(self, element: Any) -> None:
        element.click()

    def _type(self, element: Any, text: str) -> None:
        element.fill("")
        element.type(text)

    def press(self, key: str) -> None:
        self._page.keyboard.press(key)

    @property
    def url(self) -> str:
        # Asked of the document itself: Playwright's page.url was seen to lag
        # seconds behind a location.replace here, while the document had changed.
        try:
            return str(self._page.evaluate("() => location.href"))
        except Exception:  # a navigation is replacing the document right now
            return self._page.url

    def back(self) -> None:
        self._page.go_back(wait_until="load")

    def cookies(self) -> dict[str, str]:
        urls = [self.url] if self.url.startswith("http") else []
        return {c["name"]: c["value"] for c in self._context.cookies(urls) if "name" in c}

    def delete_cookies(self) -> None:
        self._context.clear_cookies()

    def _set_javascript(self, enabled: bool) -> None:
        # JavaScript is a property of a Playwright context: make a new one.
        self._context.close()
        self._context, self._page = self._new_context(enabled)

    def quit(self) -> None:
        try:
            self._context.close()
            self._browser.close()
        finally:
            self._stop_own_playwright()
