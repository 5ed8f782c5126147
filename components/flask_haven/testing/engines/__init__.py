"""Run the same browser tests in Chromium, Firefox and WebKit.

Playwright can drive only Chromium on many machines (it cannot download its
own Firefox or WebKit there). This layer drives each engine with the client
that works for it, behind one small interface, :class:`Engine`:

- Chromium through Playwright;
- Firefox through Marionette (``firefox-esr`` and ``marionette-driver``);
- WebKit through Selenium and WebKitWebDriver (``webkit2gtk-driver``), under
  an Xvfb display.

Tests find things by role and accessible name, press real keys, read the
address, the history and the cookies, and can turn the page's JavaScript off.
The pytest plugin's ``haven_engine`` fixture runs a test once per engine
(``--haven-engines``); see ``docs/engines.md``.
"""

from .base import ENGINE_NAMES, Engine, EngineError, EngineUnavailable
from .csp import CspReportCollector
from .discovery import EngineReport, ensure_engines, find_engines
from .fixtures import EnginePool
from .launcher import Launcher
from .pages import CookieBanner, CookieSettings, ErrorNotice, FeedbackForm, QuickExit
from .xvfb import Xvfb

__all__ = [
    "ENGINE_NAMES",
    "CookieBanner",
    "CookieSettings",
    "CspReportCollector",
    "Engine",
    "EngineError",
    "EnginePool",
    "EngineReport",
    "EngineUnavailable",
    "ErrorNotice",
    "FeedbackForm",
    "Launcher",
    "QuickExit",
    "Xvfb",
    "ensure_engines",
    "find_engines",
]
