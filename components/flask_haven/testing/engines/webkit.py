"""WebKit (WebKitGTK's MiniBrowser) through Selenium and WebKitWebDriver.

Safari's engine is not available on Linux; WebKitGTK is the same WebCore and
JavaScriptCore, so behaviour that depends on the engine (history, key events,
CSP, cookies) is what an iPhone's browser does. It has no headless mode, so
it needs an X display: :class:`~flask_haven.testing.engines.xvfb.Xvfb`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from .base import EngineUnavailable, WebDriverEngine
from .keys import webdriver_key
from .watchdog import free_port, kill_process_group, start_within

WEBKIT_DRIVER_NAMES = ("WebKitWebDriver",)
MINIBROWSER_PATHS = (
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser",
)


def find_webkit() -> tuple[str | None, str | None]:
    """``(WebKitWebDriver, MiniBrowser)`` paths on this machine (``None`` where absent).

    ``HAVEN_WEBKIT_DRIVER`` and ``HAVEN_WEBKIT_BROWSER`` override the search.
    """
    driver = os.environ.get("HAVEN_WEBKIT_DRIVER") or next(
        (found for name in WEBKIT_DRIVER_NAMES if (found := shutil.which(name))), None
    )
    browser = os.environ.get("HAVEN_WEBKIT_BROWSER") or next(
        (path for path in MINIBROWSER_PATHS if Path(path).exists()), None
    )
    return driver, browser


class WebKitEngine(WebDriverEngine):
    """A WebKitGTK MiniBrowser window on the X display ``display``."""

    name = "webkit"

    def __init__(
        self,
        *,
        display: str | None = None,
        base_url: str | None = None,
        javascript: bool = True,
        timeout: float = 60,
    ) -> None:
        super().__init__(base_url=base_url, javascript=javascript)
        self._display = display or os.environ.get("DISPLAY")
        if not self._display:
            raise EngineUnavailable("webkit: no X display (WebKitGTK needs Xvfb)")
        driver, browser = find_webkit()
        if driver is None or browser is None:
            raise EngineUnavailable(
                "webkit: no WebKitWebDriver/MiniBrowser (Debian package `webkit2gtk-driver`)"
            )
        self._paths = (driver, browser)
        self._timeout = timeout
        self._driver = self._start(javascript)

    def _start(self, javascript: bool) -> Any:
        try:
            from selenium import webdriver
            from selenium.webdriver.webkitgtk.options import Options
            from selenium.webdriver.webkitgtk.service import Service
        except ImportError:
            raise EngineUnavailable(
                "webkit: the Python client is missing (pip install 'flask-haven[engines]')"
            ) from None
        driver_path, browser_path = self._paths
        options = Options()
        options.binary_location = browser_path
        options.add_argument("--automation")
        # WebKitWebDriver waits for a load event before every command; after
        # Back to a page restored from the back/forward cache none comes, and
        # every later command hung. So the driver never waits, and
        # _navigate/back wait for the new document themselves.
        options.page_load_strategy = "none"
        if not javascript:
            options.add_argument("--enable-javascript=false")
        # A port per session: WebKitWebDriver exits if an earlier session holds it.
        # Its own process group, so a hung start can be stopped with MiniBrowser.
        service = Service(
            executable_path=driver_path,
            port=free_port(),
            env={**os.environ, "DISPLAY": str(self._display), "SE_OFFLINE": "true"},
            popen_kw={"start_new_session": True},
        )
        # Selenium Manager never runs when the driver path is given; offline all the same.
        os.environ.setdefault("SE_OFFLINE", "true")

        def abandon() -> None:
            process = getattr(service, "process", None)
            kill_process_group(process.pid if process else None)

        self._service = service
        self._before = ""
        driver = start_within(
            "webkit",
            self._timeout,
            lambda: webdriver.WebKitGTK(options=options, service=service),
            abandon,
        )
        driver.set_script_timeout(10)
        # Xvfb has no window manager: size the window like a desktop browser's.
        driver.set_window_size(1280, 1000)
        _bound_commands(driver, seconds=30)
        return driver

    def _navigate(self, url: str) -> None:
        self._mark_document()
        self._driver.get(url)
        self._wait_for_new_document()

    def _mark_document(self) -> None:
        # Set through WebDriver, so it works with the page's JavaScript off too.
        self._before = str(self._driver.current_url)
        self._driver.execute_script("window.__havenOldDocument = true")

    def _wait_for_new_document(self, timeout: float = 10) -> None:
        # Poll the address first: a script sent while WebKit swaps the page's
        # process (a cross-site navigation, or one from the back/forward
        # cache) was seen never to return.
        self.wait_until(
            lambda: (
                self._driver.current_url != self._before
                or not self._driver.execute_script("return window.__havenOldDocument")
            ),
            timeout=timeout,
            message="the next page did not start loading",
        )
        self.wait_until(
            lambda: self._driver.execute_script(
                "return !window.__havenOldDocument && document.readyState === 'complete'"
            ),
            timeout=timeout,
            message="the next page did not load",
        )

    @property
    def driver(self) -> Any:
        """The Selenium ``WebDriver``, for what only it can do."""
        return self._driver

    def _script(self, body: str, args: list[Any]) -> Any:
        return self._driver.execute_script(body, *args)

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        code = webdriver_key(key)
        ActionChains(self._driver).key_down(code).key_up(code).perform()

    @property
    def url(self) -> str:
        return str(self._driver.current_url)

    def back(self) -> None:
        self._mark_document()
        self._driver.back()
        self._wait_for_new_document()

    def cookies(self) -> dict[str, str]:
        return {c["name"]: c["value"] for c in self._driver.get_cookies()}

    def delete_cookies(self) -> None:
        self._driver.delete_all_cookies()

    def _set_javascript(self, enabled: bool) -> None:
        # MiniBrowser takes JavaScript on or off only at start: a new session
        # (under half a second here), which also means a fresh cookie jar.
        self.quit()
        self._driver = self._start(enabled)

    def quit(self) -> None:
        try:
            self._driver.quit()
        finally:
            process = getattr(self._service, "process", None)
            if process is not None and process.poll() is None:
                kill_process_group(process.pid)


def _bound_commands(driver: Any, *, seconds: float) -> None:
    """Make each WebDriver command fail after ``seconds`` instead of waiting forever.

    A script sent while WebKitGTK swaps a page's process was seen never to
    be answered; by default Selenium would wait on that socket for ever and
    hang the whole test run. Selenium offers no public setting on a driver it
    built, so the connection pool is rebuilt with the new timeout.
    """
    executor = driver.command_executor
    config = getattr(executor, "_client_config", None)
    rebuild = getattr(executor, "_get_connection_manager", None)
    if config is None or rebuild is None:
        return
    config.timeout = seconds
    executor._conn = rebuild()
