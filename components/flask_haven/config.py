"""Every ``HAVEN_*`` setting, its default and what it is for.

This table is the single source of truth: :class:`flask_haven.Haven` applies the
defaults with ``app.config.setdefault`` and ``docs/configuration.md`` is checked
against it by a test, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class HavenConfigError(ValueError):
    """A ``HAVEN_*`` setting is unusable; raised by ``init_app`` at start-up.

    Failing at start-up, not on the first request, means a bad deployment is
    caught by its health check instead of by a person who needed to leave.
    """


@dataclass(frozen=True)
class Setting:
    """One documented configuration key."""

    key: str
    default: Any
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting("HAVEN_LANG", "en", "Value of the `lang` attribute on `<html>` in the layout."),
    Setting(
        "HAVEN_SERVICE_NAME",
        "",
        "Name of the service, shown in the layout's header and used in the banner texts.",
    ),
    Setting(
        "HAVEN_URL_PREFIX",
        "/_haven",
        "Where the extension's own routes (static bundles, quick exit clearing) are mounted.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_ENABLED",
        True,
        "Render the quick exit at the top of every page that extends the layout.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_URL",
        "https://www.bbc.co.uk/weather",
        "Neutral page the quick exit leaves to. Must be an absolute http(s) URL.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_TRIGGER",
        "escape",
        "Keyboard trigger: `escape`, `escape-twice` or `shift-thrice`.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_CLEAR_SITE_DATA",
        False,
        "On exit, also ask the browser to clear this site's cookies and storage "
        "(`Clear-Site-Data`). Clears the consent cookie too; see docs/quick-exit.md.",
    ),
    Setting(
        "HAVEN_NO_STORE",
        False,
        "Send `Cache-Control: no-store` on every HTML page, so a page left through the "
        "quick exit is never shown again from the browser's cache. "
        "Use `haven.no_store` on single views instead to protect only sensitive pages.",
    ),
    Setting(
        "HAVEN_SECURITY_HEADERS",
        True,
        "Add a strict Content-Security-Policy, `Referrer-Policy`, `X-Content-Type-Options` "
        "and frame protection to responses that do not already set them.",
    ),
    Setting(
        "HAVEN_CSP",
        None,
        "Content-Security-Policy to send; `None` means the strict default "
        "(`flask_haven.security.DEFAULT_CSP`).",
    ),
    Setting(
        "HAVEN_DATABASE_URL",
        None,
        "SQLAlchemy URL for what the components store (feedback, consent log). "
        "`None` means SQLite in the instance folder (`haven.sqlite3`).",
    ),
    Setting(
        "HAVEN_ASSETS_AUTO_BUILD",
        None,
        "Rebuild the JS/CSS bundles when their sources change. `None` follows `app.debug`. "
        "Needs the `build` extra; production serves the prebuilt bundles in the wheel.",
    ),
    # --- cookie consent (issue 4): add its settings below this line ---
    Setting(
        "HAVEN_CONSENT_POLICY",
        None,
        "The cookie policy: a `flask_haven.consent.Policy`, a dict or the path of a YAML file "
        "(see docs/cookies.md). `None` turns the cookie banner and consent checks off.",
    ),
    Setting(
        "HAVEN_CONSENT_MAX_AGE_DAYS",
        365,
        "How long a choice counts (and the consent cookie lives), in days; "
        "people are asked again after it.",
    ),
    Setting(
        "HAVEN_CONSENT_HONOUR_GPC",
        True,
        "Take a `Sec-GPC: 1` request header, from someone who has not chosen, as a no to "
        "every optional category (no banner; the cookies page explains why).",
    ),
    Setting(
        "HAVEN_CONSENT_LOG",
        False,
        "Keep an anonymous record of each choice (random id, choices, policy version, time) "
        "in the database of `HAVEN_DATABASE_URL`. No IP address or user agent is stored.",
    ),
    Setting(
        "HAVEN_CONSENT_SETTINGS_URL",
        "/cookies",
        "Where the site's cookies page is; the banner's Customise cookies link points there.",
    ),
    #
    #
    # --- phase banner and feedback (issue 5): add its settings below this line ---
    #
    #
    # --- error notice, error pages, maintenance (issue 6): add settings below this line ---
    #
    #
)

DEFAULTS: dict[str, Any] = {setting.key: setting.default for setting in SETTINGS}

QUICK_EXIT_TRIGGERS = ("escape", "escape-twice", "shift-thrice")


def validate(config: dict[str, Any]) -> None:
    """Raise :class:`HavenConfigError` for any setting that cannot work."""
    exit_url = config["HAVEN_QUICK_EXIT_URL"]
    if not is_absolute_http_url(exit_url):
        raise HavenConfigError(
            f"HAVEN_QUICK_EXIT_URL must be an absolute http(s) URL such as "
            f"'https://www.bbc.co.uk/weather'; got {exit_url!r}."
        )
    trigger = config["HAVEN_QUICK_EXIT_TRIGGER"]
    if trigger not in QUICK_EXIT_TRIGGERS:
        raise HavenConfigError(
            f"HAVEN_QUICK_EXIT_TRIGGER must be one of {', '.join(QUICK_EXIT_TRIGGERS)}; "
            f"got {trigger!r}."
        )
    prefix = config["HAVEN_URL_PREFIX"]
    if not isinstance(prefix, str) or not prefix.startswith("/") or prefix.endswith("/"):
        raise HavenConfigError(
            f"HAVEN_URL_PREFIX must start with '/' and not end with one; got {prefix!r}."
        )


def is_absolute_http_url(value: object) -> bool:
    """True for ``http://host/...`` or ``https://host/...`` and nothing else."""
    if not isinstance(value, str) or value != value.strip():
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
