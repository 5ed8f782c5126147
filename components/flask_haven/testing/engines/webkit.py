"""WebKit (WebKitGTK's MiniBrowser) through Selenium and WebKitWebDriver.

Safari's engine is not available on Linux; WebKitGTK is the same WebCore and
JavaScriptCore, so behaviour that depends on the engine (history, key events,
CSP, cookies) is what an iPhone's browser does. It has no headless mode, so
it needs an X display: :class:`~flask_haven.testing.engines.xvfb.Xvfb`.

Two things about WebKitWebDriver shape this adapter (both shown in
``docs/engines.md``):

- **A script can go unanswered for ever.** WebKitGTK answers a WebDriver
  script when it finishes, or fails it when the document it runs in goes
  away; with the page's JavaScript off, the "goes away" notice never comes,
  so a script still pending while the page is replaced (a poll just after a
  form is sent) is never answered: no script timeout or page-load timeout
  covers it. So every command has a deadline, and a script that has none of
  its answer after :data:`SCRIPT_ANSWER_TIMEOUT` is sent again: the document
  it ran in is gone, so sending it again asks the page that replaced it.
- **The driver's address is the provisional one.** It changes the moment a
  navigation starts, before the new page commits, while the old document,
  its history length included, is still the one scripts see. So
  :attr:`WebKitEngine.url` asks the document itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .base import EngineError, EngineUnavailable, WebDriverEngine
from .keys import webdriver_key
from .watchdog import free_port, kill_process_group, start_within

WEBKIT_DRIVER_NAMES = ("WebKitWebDriver",)
MINIBROWSER_PATHS = (
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser",
)

#: Seconds any WebDriver command may take before it fails (none should take one).
COMMAND_TIMEOUT = 10.0
#: Seconds to wait for a script's answer before sending it again (once). Our
#: scripts answer in milliseconds; an unanswered one never answers.
SCRIPT_ANSWER_TIMEOUT = 3.0


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


class _Session:
    """One MiniBrowser and its WebKitWebDriver, with JavaScript on or off for good."""

    def __init__(self, driver: Any, service: Any) -> None:
        self.driver = driver
        self.service = service

    def quit(self) -> None:
        try:
            # A quit that fails or hangs changes nothing: the processes are stopped below.
            with contextlib.suppress(Exception), _answer_within(self.driver, 5):
                self.driver.quit()
        finally:
            process = getattr(self.service, "process", None)
            if process is not None and process.poll() is None:
                kill_process_group(process.pid)
                process.wait(timeout=5)


class WebKitEngine(WebDriverEngine):
    """A WebKitGTK MiniBrowser window on the X display ``display``.

    MiniBrowser takes JavaScript on or off only when it starts, so the engine
    keeps one window for each (the second started on first use):
    :meth:`set_javascript` switches between them at no cost.
    """

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
        self._sessions: dict[bool, _Session] = {}
        self._before = ""
        self._marks = 0
        #: Scripts WebKitGTK left unanswered and that were sent again.
        self.unanswered_scripts = 0
        self._session(javascript)

    def _session(self, javascript: bool) -> _Session:
        if javascript not in self._sessions:
            try:
                session = self._start(javascript)
            except EngineUnavailable as error:
                if not error.transient:
                    raise
                session = self._start(javascript)  # once more, as Launcher.launch does
            self._sessions[javascript] = session
        return self._sessions[javascript]

    def _start(self, javascript: bool) -> _Session:
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
            env={
                # Xvfb has no GPU: accelerated compositing went through Mesa's
                # software GL and cost a third of WebKit's CPU time here.
                "WEBKIT_DISABLE_COMPOSITING_MODE": "1",
                **os.environ,
                "DISPLAY": str(self._display),
                "SE_OFFLINE": "true",
            },
            popen_kw={"start_new_session": True},
        )
        # Selenium Manager never runs when the driver path is given; offline all the same.
        os.environ.setdefault("SE_OFFLINE", "true")

        def abandon() -> None:
            process = getattr(service, "process", None)
            if process is not None:
                kill_process_group(process.pid)
                process.wait(timeout=5)

        driver = start_within(
            "webkit",
            self._timeout,
            lambda: webdriver.WebKitGTK(options=options, service=service),
            abandon,
        )
        _set_command_timeout(driver, COMMAND_TIMEOUT)
        driver.set_script_timeout(10)
        # Xvfb has no window manager: size the window like a desktop browser's.
        driver.set_window_size(1280, 1000)
        return _Session(driver, service)

    @property
    def driver(self) -> Any:
        """The Selenium ``WebDriver`` of the current window, for what only it can do."""
        return self._sessions[self.javascript].driver

    def _navigate(self, url: str) -> None:
        self._mark_document()
        self.driver.get(url)
        self._wait_for_new_document()

    def _mark_document(self) -> None:
        # A token of its own per navigation: a page restored from the
        # back/forward cache keeps the mark it had when it was left, so a
        # plain flag would make it look like the page being left.
        # Set through WebDriver, so it works with the page's JavaScript off too.
        self._marks += 1
        self._before = str(self.driver.current_url)
        self._script("window.__havenLeaving = arguments[0]", [self._marks])

    def _wait_for_new_document(self, timeout: float = 10) -> None:
        # The driver's (provisional) address changes first; only then is a
        # script sure to reach the new document rather than the old one.
        is_new = "return window.__havenLeaving !== arguments[0]"
        self.wait_until(
            lambda: self.driver.current_url != self._before or self._script(is_new, [self._marks]),
            timeout=timeout,
            message="the next page did not start loading",
        )
        self.wait_until(
            lambda: self._script(is_new + " && document.readyState === 'complete'", [self._marks]),
            timeout=timeout,
            message="the next page did not load",
        )

    def _script(self, body: str, args: list[Any]) -> Any:
        from urllib3.exceptions import TimeoutError as NoAnswer

        for attempt in (1, 2):
            try:
                with _answer_within(self.driver, SCRIPT_ANSWER_TIMEOUT):
                    return self.driver.execute_script(body, *args)
            except NoAnswer:
                if attempt == 2:
                    raise EngineError(
                        f"webkit: a script went unanswered twice ({SCRIPT_ANSWER_TIMEOUT:g}s each)"
                    ) from None
                self.unanswered_scripts += 1
        raise AssertionError("unreachable")  # pragma: no cover

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        code = webdriver_key(key)
        ActionChains(self.driver).key_down(code).key_up(code).perform()

    @property
    def url(self) -> str:
        """The current document's own address (``location.href``): the driver's
        is the provisional address of a navigation that has not committed yet."""
        return str(self._script("return location.href", []))

    def back(self) -> None:
        self._mark_document()
        self.driver.back()
        self._wait_for_new_document()

    def cookies(self) -> dict[str, str]:
        return {c["name"]: c["value"] for c in self.driver.get_cookies()}

    def delete_cookies(self) -> None:
        self.driver.delete_all_cookies()

    def _set_javascript(self, enabled: bool) -> None:
        self._session(enabled)

    def quit(self) -> None:
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            session.quit()


@contextmanager
def _answer_within(driver: Any, seconds: float) -> Iterator[None]:
    """Give the driver's commands in the block ``seconds`` to answer (then the default again)."""
    config = getattr(driver.command_executor, "_client_config", None)
    if config is None:
        yield
        return
    config.timeout = seconds
    try:
        yield
    finally:
        config.timeout = COMMAND_TIMEOUT


def _set_command_timeout(driver: Any, seconds: float) -> None:
    """Make each WebDriver command fail after ``seconds`` instead of waiting for ever.

    Selenium's default is to wait on the driver's socket without limit, so
    one unanswered command would hang the whole test run; and urllib3 would
    send an unanswered GET three more times. Selenium reads the timeout from
    its client configuration on every request, and offers no public setting
    for it (or for retries) on a driver it built, so the connection pool is
    rebuilt from that configuration without retries.
    """
    executor = driver.command_executor
    config = getattr(executor, "_client_config", None)
    rebuild = getattr(executor, "_get_connection_manager", None)
    if config is None or rebuild is None:
        return
    config.timeout = seconds
    config.init_args_for_pool_manager = {"init_args_for_pool_manager": {"retries": False}}
    old, executor._conn = executor._conn, rebuild()
    old.clear()  # closes the old pool's sockets
