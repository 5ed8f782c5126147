"""flask-haven for QA teams: test the components, and any site's cookie banner and CSP.

Installed with ``pip install flask-haven[testing]`` (or ``pip install -e
'.[testing]'`` from a checkout); the pytest plugin
(:mod:`flask_haven.testing.plugin`) is registered automatically. See
``docs/testing.md``. ``python -m flask_haven.testing.audit URL...`` runs the
cookie, accessibility and CSP checks over a list of pages.
"""

from ..consent.policy import load_policy
from ._support import ComponentMissing, settings
from .assertions import (
    assert_accessible,
    assert_no_console_errors,
    assert_no_csp_violations,
    assert_no_non_essential_cookies,
    assert_strict_csp,
)
from .axe import WCAG_22_AA_TAGS
from .compliance import (
    COMMON_ESSENTIAL,
    assert_nothing_set_after_refusal,
    assert_nothing_set_before_choice,
    assert_reject_as_prominent,
)
from .helpers import ExitStub, wait_for_enhancement
from .pages import (
    CookieBanner,
    CookieSettings,
    ErrorNotice,
    ErrorSummary,
    FeedbackForm,
    PhaseBanner,
    QuickExit,
)

__all__ = [
    "COMMON_ESSENTIAL",
    "WCAG_22_AA_TAGS",
    "ComponentMissing",
    "CookieBanner",
    "CookieSettings",
    "ErrorNotice",
    "ErrorSummary",
    "ExitStub",
    "FeedbackForm",
    "PhaseBanner",
    "QuickExit",
    "assert_accessible",
    "assert_no_console_errors",
    "assert_no_csp_violations",
    "assert_no_non_essential_cookies",
    "assert_nothing_set_after_refusal",
    "assert_nothing_set_before_choice",
    "assert_reject_as_prominent",
    "assert_strict_csp",
    "find_chromium",
    "load_policy",
    "settings",
    "wait_for_enhancement",
]


def __getattr__(name: str) -> object:
    # Imported on first use, so ``python -m flask_haven.testing.browser`` (which
    # `make test` runs) does not find its own module already imported.
    if name == "find_chromium":
        from .browser import find_chromium

        return find_chromium
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
