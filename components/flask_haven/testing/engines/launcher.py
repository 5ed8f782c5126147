"""Start any of the three engines by name, with the display WebKit needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import ENGINE_NAMES, Engine, EngineUnavailable
from .xvfb import Xvfb

if TYPE_CHECKING:
    from playwright.sync_api import Playwright


class Launcher:
    """Starts engines by name and owns what they share (an Xvfb for WebKit).

    ``playwright`` is a running Playwright to start Chromium with (see
    :class:`~flask_haven.testing.engines.chromium.ChromiumEngine`). Every
    start is bounded by ``timeout`` seconds; an engine that cannot start
    raises :class:`~flask_haven.testing.engines.EngineUnavailable`.
    """

    def __init__(self, *, timeout: float = 30, playwright: Playwright | None = None) -> None:
        self.timeout = timeout
        self.playwright = playwright
        self._xvfb: Xvfb | None = None

    def display(self) -> str:
        """An X display of our own, started on first use.

        Always our own Xvfb, even when ``DISPLAY`` is set: browser windows
        must not pop up on a developer's desktop or steal its focus (a focus
        change mid-test makes key events go elsewhere).
        """
        if self._xvfb is None:
            self._xvfb = Xvfb(timeout=min(self.timeout, 10))
        return self._xvfb.display

    def launch(self, name: str, *, base_url: str | None = None, javascript: bool = True) -> Engine:
        """A new session of engine ``name`` (one of :data:`ENGINE_NAMES`).

        A start that fails for a passing reason (it timed out) is tried once
        more before :class:`~flask_haven.testing.engines.EngineUnavailable`
        is raised; one that cannot work (nothing installed) is not.
        """
        try:
            return self._launch(name, base_url=base_url, javascript=javascript)
        except EngineUnavailable as error:
            if not error.transient:
                raise
        return self._launch(name, base_url=base_url, javascript=javascript)

    def _launch(self, name: str, *, base_url: str | None, javascript: bool) -> Engine:
        common: dict[str, Any] = {"base_url": base_url, "javascript": javascript}
        if name == "chromium":
            from .chromium import ChromiumEngine

            return ChromiumEngine(playwright=self.playwright, timeout=self.timeout, **common)
        if name == "firefox":
            from .firefox import FirefoxEngine

            return FirefoxEngine(timeout=self.timeout, **common)
        if name == "webkit":
            from .webkit import WebKitEngine

            return WebKitEngine(display=self.display(), timeout=self.timeout, **common)
        raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINE_NAMES)}")

    def close(self) -> None:
        """Stop the Xvfb, if one was started (end the engines' sessions first)."""
        if self._xvfb is not None:
            self._xvfb.stop()
            self._xvfb = None
