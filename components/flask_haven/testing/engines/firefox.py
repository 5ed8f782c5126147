"""Firefox through Marionette, the remote protocol built into Firefox itself.

No geckodriver is needed: ``marionette-driver`` (Mozilla's own client) starts
Firefox with a fresh profile and talks to it directly.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import warnings
from typing import Any

from .base import EngineUnavailable, WebDriverEngine
from .keys import webdriver_key
from .watchdog import free_port, start_within

FIREFOX_NAMES = ("firefox-esr", "firefox")

#: Seconds any Marionette command may take before it fails.
COMMAND_TIMEOUT = 20.0

# Quiet, repeatable sessions: no first-run pages, no background traffic (this
# machine's network refuses it, and a test must not depend on it).
FIREFOX_PREFS: dict[str, Any] = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": False,
    "app.update.disabledForTesting": True,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.update.enabled": False,
}


def find_firefox() -> str | None:
    """The path of a Firefox on this machine (``firefox-esr`` first), or ``None``."""
    for name in FIREFOX_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class FirefoxEngine(WebDriverEngine):
    """A Firefox tab, headless, in a fresh profile, driven by Marionette."""

    name = "firefox"

    def __init__(
        self, *, base_url: str | None = None, javascript: bool = True, timeout: float = 60
    ) -> None:
        super().__init__(base_url=base_url, javascript=javascript)
        binary = find_firefox()
        if binary is None:
            raise EngineUnavailable("firefox: no Firefox (Debian package `firefox-esr`)")
        try:
            from marionette_driver.marionette import Marionette
        except ImportError:
            raise EngineUnavailable(
                "firefox: the Python client is missing (pip install 'flask-haven[engines]')"
            ) from None
        holder: list[Any] = []
        # Firefox's own log goes to a folder of ours. Never os.devnull: Marionette
        # deletes an existing log file before starting, and as root that deletes
        # /dev/null itself (Firefox then writes its log into a plain file there).
        self._log_dir = tempfile.mkdtemp(prefix="haven-firefox-")

        def start() -> Any:
            # While it waits for Firefox, Marionette probes the port with
            # sockets it never closes; their ResourceWarnings are its, not ours.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                client = Marionette(
                    bin=binary,
                    headless=True,
                    port=free_port(),
                    startup_timeout=int(timeout),
                    # Each command may take this long before it fails (default 60 s).
                    socket_timeout=COMMAND_TIMEOUT,
                    gecko_log=os.path.join(self._log_dir, "gecko.log"),
                    prefs={**FIREFOX_PREFS, "javascript.enabled": javascript},
                )
                gc.collect()
            holder.append(client)
            client.start_session()
            return client

        def abandon() -> None:
            if holder:
                _close(holder[0])

        self._client = start_within("firefox", timeout, start, abandon)

    @property
    def client(self) -> Any:
        """The ``marionette_driver.marionette.Marionette`` client, for what only it can do."""
        return self._client

    def _navigate(self, url: str) -> None:
        self._client.navigate(url)

    def _script(self, body: str, args: list[Any]) -> Any:
        # sandbox=None: run in the page's own scope, so page globals (window.haven) are seen.
        return self._client.execute_script(body, script_args=args, sandbox=None)

    def press(self, key: str) -> None:
        code = webdriver_key(key)
        self._client.actions.sequence("key", "keyboard").key_down(code).key_up(code).perform()

    @property
    def url(self) -> str:
        return str(self._client.get_url())

    def back(self) -> None:
        self._client.go_back()

    def cookies(self) -> dict[str, str]:
        return {c["name"]: c["value"] for c in self._client.get_cookies()}

    def delete_cookies(self) -> None:
        self._client.delete_all_cookies()

    def set_pref(self, name: str, value: Any) -> None:
        """Set a Firefox preference for this session (as ``about:config`` would)."""
        self._client.set_pref(name, value)

    def _set_javascript(self, enabled: bool) -> None:
        # A live preference: the next document loaded honours it, no restart needed.
        self._client.set_pref("javascript.enabled", enabled)

    def quit(self) -> None:
        try:
            _close(self._client)
        finally:
            shutil.rmtree(self._log_dir, ignore_errors=True)


def _close(client: Any) -> None:
    # cleanup() stops Firefox and removes the profile; dropping the instance
    # afterwards stops mozprofile's finaliser printing ImportErrors at exit.
    try:
        client.cleanup()
    finally:
        client.instance = None
