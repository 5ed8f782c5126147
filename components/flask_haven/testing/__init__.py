"""flask-haven for QA teams: test the components on your own site.

Installed with ``pip install flask-haven[testing]``; the pytest plugin
(:mod:`flask_haven.testing.plugin`) is registered automatically. See
``docs/testing.md`` for a ten-line example.
"""

from .assertions import (
    WCAG_22_AA_TAGS,
    assert_accessible,
    assert_no_console_errors,
    assert_no_csp_violations,
    assert_no_non_essential_cookies,
)
from .browser import find_chromium
from .pages import CookieBanner, CookieSettings, ErrorNotice, FeedbackForm, QuickExit

__all__ = [
    "WCAG_22_AA_TAGS",
    "CookieBanner",
    "CookieSettings",
    "ErrorNotice",
    "FeedbackForm",
    "QuickExit",
    "assert_accessible",
    "assert_no_console_errors",
    "assert_no_csp_violations",
    "assert_no_non_essential_cookies",
    "find_chromium",
]
