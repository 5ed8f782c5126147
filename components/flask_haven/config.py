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
    Setting(
        "HAVEN_LANGUAGES",
        ("en",),
        "Locales the site is published in; the first is the default. Without a locale hook "
        "or `HAVEN_LOCALE`, each request gets the best match for the browser's "
        '`Accept-Language` among these. A bilingual site sets `("en", "cy")`. '
        "See docs/i18n.md.",
    ),
    Setting(
        "HAVEN_LOCALE",
        None,
        "One locale for every request (a site in one language, such as `cy`); "
        "`None` chooses per request. A `@haven.locale_selector` hook comes first.",
    ),
    Setting(
        "HAVEN_TRANSLATION_DIRECTORIES",
        (),
        "Extra folders of `<locale>/LC_MESSAGES/flask_haven.mo` catalogues, to add a language "
        "or correct ours; they win over the built-in ones.",
    ),
    Setting(
        "HAVEN_SERVICE_NAME",
        "",
        "Name of the service, shown in the layout's header and used in the banner texts. "
        'A string, or one per language: `{"en": ..., "cy": ...}`.',
    ),
    Setting(
        "HAVEN_URL_PREFIX",
        "/_haven",
        "Where the extension's own routes (static bundles, quick exit clearing and counting) "
        "are mounted.",
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
        "Keyboard trigger: `escape`, `escape-twice`, `shift-thrice`, or `none` (the link alone, "
        "no key).",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_TEXT",
        None,
        "Text of the quick exit link (a string or one per language); `None` means our "
        "translated default, *Leave this site*.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_HINT",
        None,
        "The hint beside the quick exit link (a string or one per language); `None` means our "
        "translated sentence for the trigger, *Quickly exit this site by pressing the Escape key*.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_CLEAR_SITE_DATA",
        False,
        "On exit, also ask the browser to clear this site's cookies and storage "
        "(`Clear-Site-Data`). Clears the consent cookie too; see docs/quick-exit.md.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_POSITION",
        "top",
        "Where the quick exit bar sits on narrow screens (up to 40em): `top` (sticky) or "
        "`bottom` (docked at the bottom, within thumb reach). Wider screens always show it at the "
        "top.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_IGNORE_IN_FIELDS",
        False,
        "Ignore the key trigger while the person types in a text field (with focus outside the "
        "field, the key works again). Off by default: the promise is that one Escape leaves.",
    ),
    Setting(
        "HAVEN_QUICK_EXIT_COUNTS",
        False,
        "Count exits per day on the server, with no identifier and no cookie (a `sendBeacon` "
        "after the exit has started, or the link's `ping` without JavaScript); read them with "
        "`flask haven stats`.",
    ),
    Setting(
        "HAVEN_JOURNEY_PROTECTION",
        False,
        "With JavaScript, moving between this site's pages (links, GET forms, and POST forms "
        "answered with a redirect) replaces the current history entry instead of adding one, so "
        "after the quick exit Back goes to the page before the visit. See docs/quick-exit.md.",
    ),
    Setting(
        "HAVEN_DISCREET_TITLE",
        None,
        "The neutral document title of pages the site marks as sensitive (`haven.sensitive` on "
        "the view, or `{% set haven_sensitive = true %}` in the template): a string or one per "
        "language; `None` means our translated default, *Information*.",
    ),
    Setting(
        "HAVEN_NO_STORE",
        True,
        "Send `Cache-Control: no-store` on every HTML page, so a page left through the "
        "quick exit is never shown again from the browser's cache. `False` turns it off "
        "(then use `haven.no_store` on single views to protect only sensitive pages).",
    ),
    Setting(
        "HAVEN_SHARED_CACHE_MAX_AGE",
        None,
        "Seconds a shared cache (a CDN, nginx) may keep a first-visit page: a `GET` with no "
        "cookie whose page sets none. Sent as `CDN-Cache-Control: max-age=N`; browsers still get "
        "`no-store`. `None` marks nothing. See docs/caching.md.",
    ),
    Setting(
        "HAVEN_HSTS_MAX_AGE",
        31_536_000,
        "Seconds of `Strict-Transport-Security` sent on HTTPS responses (one year; at least "
        "180 days is the useful minimum); `None` sends none (your proxy sends its own).",
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
        "HAVEN_DATABASE_TIMEOUT",
        3.0,
        "Seconds a database wait may take (SQLite's busy timeout; PostgreSQL's connect, lock "
        "and statement timeouts) before the person sees the error notice with their text kept. "
        "Keep it well under your server's worker timeout (gunicorn: 30 s).",
    ),
    Setting(
        "HAVEN_FEEDBACK_RETENTION_DAYS",
        365,
        "Days stored feedback is kept; `flask haven purge` deletes older rows "
        "(`--dry-run` counts them). `None` keeps it until you delete it.",
    ),
    Setting(
        "HAVEN_CONSENT_LOG_RETENTION_DAYS",
        730,
        "Days consent-log rows are kept (long enough to show a choice was asked for, within a "
        "typical two-year limit); `flask haven purge` deletes older rows. `None` keeps them.",
    ),
    Setting(
        "HAVEN_ASSETS_AUTO_BUILD",
        None,
        "Rebuild the JS/CSS bundles when their sources change. `None` follows `app.debug`. "
        "Needs the `build` extra and a source checkout; otherwise (an installed wheel) the "
        "prebuilt bundles are served and the log says so once.",
    ),
    Setting(
        "HAVEN_SECURE_SESSION_COOKIE",
        False,
        "Replace Flask's default session interface with one that marks the session cookie "
        "`Secure` on every HTTPS request. Off by default: the site's session is the site's.",
    ),
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
        "Keep an anonymous record of each choice (random reference, choices, policy revision, "
        "time, and the digest of the exact text shown) in the database of "
        "`HAVEN_DATABASE_URL`. No IP address or user agent is stored. The cookies page shows "
        "the person their reference; `flask haven export-consent` exports the log.",
    ),
    Setting(
        "HAVEN_CONSENT_REASK",
        "changes",
        "When a new policy revision asks people again: `'changes'` only about a purpose "
        "that is new, or changed since the person allowed it (refusals are remembered "
        "until the choice expires); `'revision'` about everything at every revision.",
    ),
    Setting(
        "HAVEN_CONSENT_COOKIE_DOMAIN",
        None,
        "Share the choice across subdomains: a parent domain such as `'example.org'` for the "
        "consent cookie's `Domain` (refused cookies are then cleared there too). `None` keeps "
        "it to the host that set it.",
    ),
    Setting(
        "HAVEN_CONSENT_GOOGLE_CONSENT_MODE",
        None,
        "Tell Google's tags what the person chose (Consent Mode v2): a mapping of category to "
        "Google consent types, such as `{'analytics': ['analytics_storage']}`. `None` sends "
        "nothing. See docs/cookies.md.",
    ),
    Setting(
        "HAVEN_CONSENT_RATE_LIMIT",
        "60/minute",
        "Most consent saves (banner buttons and cookies page) per client in a sliding window, "
        "which also bounds the consent-log rows one client can write; `None` turns it off.",
    ),
    Setting(
        "HAVEN_CONSENT_MAX_REQUEST_BYTES",
        16_384,
        "Largest body a consent save may have; a bigger one is refused with 413 before it is read.",
    ),
    Setting(
        "HAVEN_COOKIE_BANNER_TEXT",
        None,
        "What the cookie banner says above its buttons: one paragraph or a list of them, each a "
        "string or one per language. Words in [square brackets] link to the cookies page. `None` "
        "means our translated default, which lists the optional categories.",
    ),
    Setting(
        "HAVEN_COOKIE_BANNER_SAVED_TEXT",
        None,
        "The banner's confirmation after a choice (a string or one per language); words in "
        "[square brackets] link to the cookies page. `None` means our translated default.",
    ),
    Setting(
        "HAVEN_CONSENT_SETTINGS_URL",
        "/cookies",
        "Where the site's cookies page is (an endpoint such as `'cookies'`, an app-relative "
        "path, or an https URL); the banner's Customise cookies link points there.",
    ),
    # Phase banner and feedback.
    Setting(
        "HAVEN_PHASE",
        "beta",
        "Phase shown in the phase banner under the header: `alpha` or `beta`; "
        "`None` removes the banner.",
    ),
    Setting(
        "HAVEN_PHASE_BANNER_TEXT",
        None,
        "Message beside the phase tag (a string or one per language); `None` means our "
        "translated default, *This site is new and we are still improving it.* Words in "
        "[square brackets] become the feedback link, in place of the link after the message.",
    ),
    Setting(
        "HAVEN_PHASE_BANNER_LINK_TEXT",
        None,
        "Text of the banner's link to the feedback page (a string or one per language); "
        "`None` means our translated default, *Tell us what you think*.",
    ),
    Setting(
        "HAVEN_FEEDBACK_URL",
        None,
        "Where the banner links: an endpoint, an app-relative path or an https URL. `None` "
        "means the feedback blueprint's page if the app registered it, else no link.",
    ),
    Setting(
        "HAVEN_FEEDBACK_BASE_TEMPLATE",
        "haven/layout.html",
        "Template the feedback pages extend (a site's own base template, which itself "
        "extends `haven/layout.html`).",
    ),
    Setting(
        "HAVEN_FEEDBACK_MAX_LENGTH",
        1200,
        "Most characters the feedback text may have; the server enforces it.",
    ),
    Setting(
        "HAVEN_FEEDBACK_QUESTIONS",
        (),
        "Optional extra questions, each a dict with `name`, `legend` and `options` "
        "(list of `{value, text}`), shown as radios. See docs/feedback.md.",
    ),
    Setting(
        "HAVEN_FEEDBACK_SINKS",
        (),
        "Callables given each stored feedback (`flask_haven.feedback.Feedback`) after it is "
        "committed, for example to e-mail it. A sink that fails is logged; the stored copy stays.",
    ),
    Setting(
        "HAVEN_FEEDBACK_RATE_LIMIT",
        "20/minute",
        "Most feedback posts per client (`request.remote_addr`) in a sliding window: "
        "`N/second`, `N/minute` or `N/hour`; `None` turns the limit off.",
    ),
    Setting(
        "HAVEN_FEEDBACK_RATE_LIMIT_STORE",
        None,
        "An object with `hit(key, limit, window_seconds) -> bool` to count posts instead of "
        "the storage of `HAVEN_RATE_LIMIT_STORAGE_URI`; `None` uses that storage.",
    ),
    Setting(
        "HAVEN_RATE_LIMIT_STORAGE_URI",
        "memory://",
        "Where every rate limit counts (via the `limits` library): `memory://` counts in each "
        "process; `redis://host:port/db` counts once for all workers and hosts and survives "
        "restarts (install `flask-haven[redis]`). See docs/security.md for clients behind a proxy.",
    ),
    Setting(
        "HAVEN_FEEDBACK_MAX_REQUEST_BYTES",
        None,
        "Largest feedback post body accepted; a bigger one gets a clear error, not a crash. "
        "`None` means enough for the longest valid feedback (12 bytes a character) plus 16 KiB.",
    ),
    Setting(
        "HAVEN_ERROR_PAGES",
        True,
        "Answer HTTP errors (400, 403, 404, 405, 413, 429, 500, 503 and any other) with a "
        "plain-language page in the layout, or JSON when the request prefers it. "
        "See docs/errors.md.",
    ),
    Setting(
        "HAVEN_ERROR_LAYOUT",
        "haven/layout.html",
        "Template the error pages extend, so they wear the site's own header and footer.",
    ),
    Setting(
        "HAVEN_ERROR_MESSAGES",
        {},
        'Per-status texts replacing ours: `{404: {"title": ..., "message": ...}}`.',
    ),
    Setting(
        "HAVEN_ERROR_TEXT",
        None,
        "The error notice's message when a call gives none, also used by the notices the script "
        "makes (a string or one per language); `None` means our translated default, *Sorry, "
        "there was a technical problem. Please try again.*",
    ),
    Setting(
        "HAVEN_REQUEST_ID_HEADER",
        "X-Request-ID",
        "Header that carries a request id from a proxy, and that echoes it on every response. "
        "An incoming id is used only if it is a short safe token. `None`: always make our own.",
    ),
    Setting(
        "HAVEN_TRUST_REQUEST_ID",
        False,
        "Use the request id a client sent in `HAVEN_REQUEST_ID_HEADER` (only when your proxy "
        "sets or replaces it); `False` makes our own for every request, so a visitor's header "
        "is never shown back on a page.",
    ),
    Setting(
        "HAVEN_MAINTENANCE",
        False,
        "Maintenance mode: every request gets the 503 page with `Retry-After`, except health "
        "checks and static files. The environment variable `HAVEN_MAINTENANCE=1` also turns it on.",
    ),
    Setting(
        "HAVEN_MAINTENANCE_RETRY_AFTER",
        3600,
        "Seconds sent in `Retry-After` during maintenance (a whole number above 0).",
    ),
    Setting(
        "HAVEN_MAINTENANCE_EXEMPT_PATHS",
        ("/healthz",),
        "Exact paths still served during maintenance (health checks). The extension's own "
        "`HAVEN_URL_PREFIX + '/healthz'`, static files and quick exit are always served.",
    ),
)

DEFAULTS: dict[str, Any] = {setting.key: setting.default for setting in SETTINGS}

QUICK_EXIT_TRIGGERS = ("escape", "escape-twice", "shift-thrice", "none")
QUICK_EXIT_POSITIONS = ("top", "bottom")


def is_absolute_http_url(value: object) -> bool:
    """True for ``http://host/...`` or ``https://host/...`` and nothing else."""
    if not isinstance(value, str) or value != value.strip():
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
