"""Every ``HAVEN_*`` setting, parsed and checked once, into typed frozen fields.

:func:`parse_settings` is the one place that reads ``HAVEN_*`` keys from
``app.config``. :class:`flask_haven.Haven` calls it at ``init_app``, so a bad
setting raises :class:`~flask_haven.HavenConfigError` at start-up (a failed
deployment, not a failed visitor), and keeps the result in the app's
:class:`~flask_haven.state.HavenState`. After that, views and templates read
these fields (``haven.settings`` in Jinja), never raw config: a value is
turned into its real type (a :class:`~flask_haven.consent.Policy`, a tuple of
:class:`~flask_haven.feedback.Question`, a :class:`~flask_haven.feedback.RateLimit`)
once, not on every request.

The one exception is ``HAVEN_MAINTENANCE``: it is documented as a switch a
site flips while running, so the maintenance hook reads it live (its type is
still checked here).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import (
    DEFAULTS,
    QUICK_EXIT_POSITIONS,
    QUICK_EXIT_TRIGGERS,
    HavenConfigError,
    is_absolute_http_url,
)
from .consent.codec import REASK_MODES
from .consent.policy import Policy, load_policy
from .feedback.ratelimit import RateLimitStore
from .feedback.settings import PHASES, Question, RateLimit, parse_questions, parse_rate_limit
from .i18n import LocalText, check_local_text, check_locale
from .paths import is_page_setting
from .ratelimit import check_storage_uri

DAY = 86_400
_TRUTHY = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class QuickExitSettings:
    """``HAVEN_QUICK_EXIT_*``."""

    enabled: bool
    url: str
    trigger: str
    clear_site_data: bool
    # "top" or "bottom": where the bar sits on narrow screens.
    position: str
    ignore_in_fields: bool
    counts: bool
    # Moving between the site's own pages replaces the history entry (with JavaScript).
    journey_protection: bool
    # The site's own link text and hint; None means the catalogue's.
    text: LocalText | None = None
    hint: LocalText | None = None


@dataclass(frozen=True)
class ConsentSettings:
    """``HAVEN_CONSENT_*``; ``policy`` is ``None`` when the cookie manager is off."""

    policy: Policy | None
    max_age_seconds: int
    honour_gpc: bool
    log: bool
    settings_url: str
    # Bounds on the save endpoints: posts per client, and body bytes.
    rate_limit: RateLimit | None
    max_request_bytes: int
    # "changes" or "revision": what a new policy revision asks again.
    reask: str = "changes"
    # Parent domain the consent cookie is shared on, or None (this host only).
    cookie_domain: str | None = None
    # Category -> Google Consent Mode types, or None (no bridge).
    google_consent_mode: Mapping[str, tuple[str, ...]] | None = None
    # The banner's own paragraphs and confirmation; empty/None means the catalogue's.
    banner_text: tuple[LocalText, ...] = ()
    saved_text: LocalText | None = None


@dataclass(frozen=True)
class FeedbackSettings:
    """``HAVEN_PHASE*`` and ``HAVEN_FEEDBACK_*``."""

    phase: str | None
    banner_text: LocalText | None
    banner_link_text: LocalText | None
    url: str | None
    base_template: str
    max_length: int
    questions: tuple[Question, ...]
    sinks: tuple[Callable[..., Any], ...]
    rate_limit: RateLimit | None
    # The site's shared store, or None for one in each process's memory.
    rate_limit_store: RateLimitStore | None
    max_request_bytes: int


@dataclass(frozen=True)
class ErrorSettings:
    """``HAVEN_ERROR_*``, ``HAVEN_REQUEST_ID_HEADER`` and ``HAVEN_MAINTENANCE_*``."""

    pages: bool
    layout: str
    messages: Mapping[int, Mapping[str, LocalText]]
    request_id_header: str | None
    trust_request_id: bool
    maintenance_retry_after: int
    maintenance_exempt_paths: tuple[str, ...]
    # The error notice's default message; None means the catalogue's.
    notice_text: LocalText | None = None


@dataclass(frozen=True)
class HavenSettings:
    """One app's flask-haven configuration, checked (``haven.settings`` in templates)."""

    languages: tuple[str, ...]
    locale: str | None
    translation_directories: tuple[Path, ...]
    service_name: LocalText
    # The neutral title of pages marked sensitive; None means our translated default.
    discreet_title: LocalText | None
    url_prefix: str
    no_store: bool
    # Seconds a shared cache may keep a first-visit page; None marks none shareable.
    shared_cache_max_age: int | None
    # Seconds of Strict-Transport-Security on HTTPS responses; None sends none.
    hsts_max_age: int | None
    security_headers: bool
    csp: str | None
    database_url: str | None
    database_timeout: float
    # Days rows are kept before `flask haven purge` deletes them; None keeps them.
    feedback_retention_days: int | None
    consent_log_retention_days: int | None
    assets_auto_build: bool
    secure_session_cookie: bool
    # Where every rate limit counts: memory:// or redis://host:port/db.
    rate_limit_storage_uri: str
    quick_exit: QuickExitSettings
    consent: ConsentSettings
    feedback: FeedbackSettings
    errors: ErrorSettings


def parse_settings(config: Mapping[str, Any], *, debug: bool = False) -> HavenSettings:
    """Check every ``HAVEN_*`` key of ``config`` and return them typed.

    Missing keys take their documented default (:data:`flask_haven.config.DEFAULTS`).
    ``debug`` is the app's, for ``HAVEN_ASSETS_AUTO_BUILD = None``.
    Raises :class:`HavenConfigError` naming the first setting that cannot work.
    """
    values = {**DEFAULTS, **{k: v for k, v in config.items() if k.startswith("HAVEN_")}}
    prefix = values["HAVEN_URL_PREFIX"]
    if not isinstance(prefix, str) or not prefix.startswith("/") or prefix.endswith("/"):
        raise HavenConfigError(
            f"HAVEN_URL_PREFIX must start with '/' and not end with one; got {prefix!r}."
        )
    auto_build = values["HAVEN_ASSETS_AUTO_BUILD"]
    return HavenSettings(
        *_languages(values),
        translation_directories=tuple(map(Path, values["HAVEN_TRANSLATION_DIRECTORIES"])),
        service_name=values["HAVEN_SERVICE_NAME"] or "",
        discreet_title=_discreet_title(values["HAVEN_DISCREET_TITLE"]),
        url_prefix=prefix,
        no_store=bool(values["HAVEN_NO_STORE"]),
        shared_cache_max_age=_shared_cache_max_age(values["HAVEN_SHARED_CACHE_MAX_AGE"]),
        hsts_max_age=_hsts(values["HAVEN_HSTS_MAX_AGE"]),
        security_headers=bool(values["HAVEN_SECURITY_HEADERS"]),
        csp=values["HAVEN_CSP"],
        database_url=str(values["HAVEN_DATABASE_URL"]) if values["HAVEN_DATABASE_URL"] else None,
        database_timeout=_database_timeout(values["HAVEN_DATABASE_TIMEOUT"]),
        feedback_retention_days=_days(values, "HAVEN_FEEDBACK_RETENTION_DAYS"),
        consent_log_retention_days=_days(values, "HAVEN_CONSENT_LOG_RETENTION_DAYS"),
        assets_auto_build=debug if auto_build is None else bool(auto_build),
        secure_session_cookie=bool(values["HAVEN_SECURE_SESSION_COOKIE"]),
        rate_limit_storage_uri=check_storage_uri(values["HAVEN_RATE_LIMIT_STORAGE_URI"]),
        quick_exit=_quick_exit(values),
        consent=_consent(values, has_secret_key=bool(config.get("SECRET_KEY")), config=config),
        feedback=_feedback(values),
        errors=_errors(values),
    )


def maintenance_from_environment() -> bool:
    """True when the environment variable ``HAVEN_MAINTENANCE`` switches maintenance on."""
    return os.environ.get("HAVEN_MAINTENANCE", "").strip().lower() in _TRUTHY


# -- one helper per area, called only from parse_settings ------------------------------


def _languages(values: Mapping[str, Any]) -> tuple[tuple[str, ...], str | None]:
    languages = values["HAVEN_LANGUAGES"]
    if isinstance(languages, str) or not languages:
        raise HavenConfigError(
            f"HAVEN_LANGUAGES must be a non-empty list of locales such as ('en', 'cy'); "
            f"got {languages!r}."
        )
    for language in languages:
        check_locale(language, "HAVEN_LANGUAGES")
    locale = values["HAVEN_LOCALE"]
    if locale is not None:
        check_locale(locale, "HAVEN_LOCALE")
    return tuple(languages), locale


def _quick_exit(values: Mapping[str, Any]) -> QuickExitSettings:
    exit_url = values["HAVEN_QUICK_EXIT_URL"]
    if not is_absolute_http_url(exit_url):
        raise HavenConfigError(
            f"HAVEN_QUICK_EXIT_URL must be an absolute http(s) URL such as "
            f"'https://www.bbc.co.uk/weather'; got {exit_url!r}."
        )
    trigger = values["HAVEN_QUICK_EXIT_TRIGGER"]
    if trigger not in QUICK_EXIT_TRIGGERS:
        raise HavenConfigError(
            f"HAVEN_QUICK_EXIT_TRIGGER must be one of {', '.join(QUICK_EXIT_TRIGGERS)}; "
            f"got {trigger!r}."
        )
    position = values["HAVEN_QUICK_EXIT_POSITION"]
    if position not in QUICK_EXIT_POSITIONS:
        raise HavenConfigError(
            f"HAVEN_QUICK_EXIT_POSITION must be one of {', '.join(QUICK_EXIT_POSITIONS)}; "
            f"got {position!r}."
        )
    for key in ("HAVEN_QUICK_EXIT_TEXT", "HAVEN_QUICK_EXIT_HINT"):
        check_local_text(values[key], key)
    return QuickExitSettings(
        enabled=bool(values["HAVEN_QUICK_EXIT_ENABLED"]),
        url=exit_url,
        trigger=trigger,
        clear_site_data=bool(values["HAVEN_QUICK_EXIT_CLEAR_SITE_DATA"]),
        position=position,
        ignore_in_fields=bool(values["HAVEN_QUICK_EXIT_IGNORE_IN_FIELDS"]),
        counts=bool(values["HAVEN_QUICK_EXIT_COUNTS"]),
        journey_protection=bool(values["HAVEN_JOURNEY_PROTECTION"]),
        text=values["HAVEN_QUICK_EXIT_TEXT"],
        hint=values["HAVEN_QUICK_EXIT_HINT"],
    )


def _discreet_title(value: object) -> LocalText | None:
    # An empty <title> is worse than a neutral one (browsers then show the
    # address), so a blank text is refused along with any other non-text.
    check_local_text(value, "HAVEN_DISCREET_TITLE")
    return value  # type: ignore[return-value]


def _consent(
    values: Mapping[str, Any], *, has_secret_key: bool, config: Mapping[str, Any]
) -> ConsentSettings:
    raw_policy = values["HAVEN_CONSENT_POLICY"]
    # Policy validation stays with the policy (validate_policy, run when a
    # Policy is built), called from here through load_policy.
    policy = None if raw_policy is None else load_policy(raw_policy)
    max_age_days = values["HAVEN_CONSENT_MAX_AGE_DAYS"]
    if not _whole(max_age_days, minimum=1):
        raise HavenConfigError(
            f"HAVEN_CONSENT_MAX_AGE_DAYS must be a whole number of days, 1 or more; "
            f"got {max_age_days!r}."
        )
    if policy is not None and not has_secret_key and not config.get("TESTING"):
        # The cookie is signed: without a key nobody's choice could be read back.
        raise HavenConfigError("HAVEN_CONSENT_POLICY needs the app's SECRET_KEY to be set.")
    settings_url = values["HAVEN_CONSENT_SETTINGS_URL"]
    if not is_page_setting(settings_url):
        raise HavenConfigError(
            f"HAVEN_CONSENT_SETTINGS_URL must be an endpoint name such as 'cookies', a path "
            f"starting with '/' or an https URL; got {settings_url!r}."
        )
    return ConsentSettings(
        policy=policy,
        max_age_seconds=max_age_days * DAY,
        honour_gpc=bool(values["HAVEN_CONSENT_HONOUR_GPC"]),
        log=bool(values["HAVEN_CONSENT_LOG"]),
        settings_url=settings_url,
        rate_limit=parse_rate_limit(values["HAVEN_CONSENT_RATE_LIMIT"], "HAVEN_CONSENT_RATE_LIMIT"),
        max_request_bytes=_consent_max_bytes(values["HAVEN_CONSENT_MAX_REQUEST_BYTES"]),
        reask=_reask(values["HAVEN_CONSENT_REASK"]),
        cookie_domain=_cookie_domain(values["HAVEN_CONSENT_COOKIE_DOMAIN"]),
        google_consent_mode=_google_consent_mode(
            values["HAVEN_CONSENT_GOOGLE_CONSENT_MODE"], policy
        ),
        banner_text=_paragraphs(values["HAVEN_COOKIE_BANNER_TEXT"], "HAVEN_COOKIE_BANNER_TEXT"),
        saved_text=_local_text(values, "HAVEN_COOKIE_BANNER_SAVED_TEXT"),
    )


# Google's consent types (Consent Mode v2 adds ad_user_data and ad_personalization).
GOOGLE_CONSENT_TYPES = (
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
)


def _reask(value: object) -> str:
    if value not in REASK_MODES:
        raise HavenConfigError(
            f"HAVEN_CONSENT_REASK must be {' or '.join(map(repr, REASK_MODES))}; got {value!r}."
        )
    assert isinstance(value, str)
    return value


def _cookie_domain(value: object) -> str | None:
    if value is None:
        return None
    domain = str(value).strip().lower().lstrip(".") if isinstance(value, str) else ""
    # One host name, at least two labels: a browser refuses a Domain of a
    # single label (or a public suffix, which it is the site's job to avoid).
    if not re.fullmatch(
        r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", domain
    ):
        raise HavenConfigError(
            "HAVEN_CONSENT_COOKIE_DOMAIN must be a parent domain such as 'example.org' "
            f"(no scheme, port or path) or None; got {value!r}."
        )
    return domain


def _google_consent_mode(
    value: object, policy: Policy | None
) -> Mapping[str, tuple[str, ...]] | None:
    if value is None:
        return None
    problem = None
    if not isinstance(value, Mapping) or not value:
        problem = "a non-empty mapping of category name to Google consent types"
    elif policy is None:
        problem = "used with HAVEN_CONSENT_POLICY (it maps the policy's categories)"
    else:
        for category, types in value.items():
            if policy.category(str(category)) is None:
                problem = f"categories of the policy; {category!r} is not one"
            elif (
                isinstance(types, str)
                or not types
                or not all(t in GOOGLE_CONSENT_TYPES for t in types)
            ):
                problem = (
                    f"lists of Google consent types ({', '.join(GOOGLE_CONSENT_TYPES)}); "
                    f"{category!r} has {types!r}"
                )
            if problem:
                break
    if problem:
        raise HavenConfigError(f"HAVEN_CONSENT_GOOGLE_CONSENT_MODE must be {problem}.")
    assert isinstance(value, Mapping)
    return MappingProxyType({str(k): tuple(v) for k, v in value.items()})


def _local_text(values: Mapping[str, Any], key: str) -> LocalText | None:
    check_local_text(values[key], key)
    return values[key]  # type: ignore[no-any-return]


def _paragraphs(value: object, key: str) -> tuple[LocalText, ...]:
    """``None``, one text, or a list of texts (each a string or one per language)."""
    if value is None:
        return ()
    items: list[Any] = list(value) if isinstance(value, list | tuple) else [value]
    if not items:
        raise HavenConfigError(f"{key} must be None, a text or a non-empty list of texts.")
    for item in items:
        check_local_text(item, key)
    return tuple(items)


def _consent_max_bytes(value: object) -> int:
    if not _whole(value, minimum=1024):
        raise HavenConfigError(
            f"HAVEN_CONSENT_MAX_REQUEST_BYTES must be a whole number of at least 1024; "
            f"got {value!r}."
        )
    assert isinstance(value, int)
    return value


def _phase_banner(values: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The phase and where its banner links, checked (the texts too)."""
    phase = values["HAVEN_PHASE"]
    if phase is not None and phase not in PHASES:
        raise HavenConfigError(f"HAVEN_PHASE must be 'alpha', 'beta' or None; got {phase!r}.")
    for key in ("HAVEN_PHASE_BANNER_TEXT", "HAVEN_PHASE_BANNER_LINK_TEXT"):
        check_local_text(values[key], key)
    url = values["HAVEN_FEEDBACK_URL"]
    if url is not None and not is_page_setting(url):
        raise HavenConfigError(
            f"HAVEN_FEEDBACK_URL must be an endpoint name such as 'feedback.form', a path "
            f"starting with '/', an https URL, or None; got {url!r}."
        )
    return phase, url


def _feedback(values: Mapping[str, Any]) -> FeedbackSettings:
    phase, url = _phase_banner(values)
    max_length = values["HAVEN_FEEDBACK_MAX_LENGTH"]
    if not _whole(max_length, minimum=1):
        raise HavenConfigError(
            f"HAVEN_FEEDBACK_MAX_LENGTH must be a positive whole number; got {max_length!r}."
        )
    max_bytes = values["HAVEN_FEEDBACK_MAX_REQUEST_BYTES"]
    if max_bytes is not None and not _whole(max_bytes, minimum=1024):
        raise HavenConfigError(
            f"HAVEN_FEEDBACK_MAX_REQUEST_BYTES must be None or a whole number of at least "
            f"1024; got {max_bytes!r}."
        )
    sinks = values["HAVEN_FEEDBACK_SINKS"]
    if not isinstance(sinks, list | tuple) or not all(callable(s) for s in sinks):
        raise HavenConfigError("HAVEN_FEEDBACK_SINKS must be a list of callables.")
    questions = parse_questions(values["HAVEN_FEEDBACK_QUESTIONS"])
    rate_limit = parse_rate_limit(values["HAVEN_FEEDBACK_RATE_LIMIT"])
    store = values["HAVEN_FEEDBACK_RATE_LIMIT_STORE"]
    if store is not None and not callable(getattr(store, "hit", None)):
        raise HavenConfigError(
            "HAVEN_FEEDBACK_RATE_LIMIT_STORE must be None or have a hit(key, limit, "
            "window_seconds) method."
        )
    base_template = values["HAVEN_FEEDBACK_BASE_TEMPLATE"]
    if not isinstance(base_template, str):
        raise HavenConfigError("HAVEN_FEEDBACK_BASE_TEMPLATE must be a template name.")
    return FeedbackSettings(
        phase=phase,
        banner_text=values["HAVEN_PHASE_BANNER_TEXT"],
        banner_link_text=values["HAVEN_PHASE_BANNER_LINK_TEXT"],
        url=url,
        base_template=base_template,
        max_length=max_length,
        questions=questions,
        sinks=tuple(sinks),
        rate_limit=rate_limit,
        rate_limit_store=store,
        # By default a percent-encoded UTF-8 character takes up to 12 bytes, so
        # the longest valid text always fits, with 16 KiB for the other fields.
        max_request_bytes=max_bytes if max_bytes is not None else max_length * 12 + 16_384,
    )


def _errors(values: Mapping[str, Any]) -> ErrorSettings:
    retry_after = values["HAVEN_MAINTENANCE_RETRY_AFTER"]
    if not _whole(retry_after, minimum=1):
        raise HavenConfigError(
            f"HAVEN_MAINTENANCE_RETRY_AFTER must be a whole number of seconds above 0; "
            f"got {retry_after!r}."
        )
    paths = values["HAVEN_MAINTENANCE_EXEMPT_PATHS"]
    if isinstance(paths, str) or not all(
        isinstance(path, str) and path.startswith("/") for path in paths
    ):
        raise HavenConfigError(
            f"HAVEN_MAINTENANCE_EXEMPT_PATHS must be a list of paths starting with '/'; "
            f"got {paths!r}."
        )
    messages = values["HAVEN_ERROR_MESSAGES"]
    if not isinstance(messages, Mapping) or not all(
        isinstance(code, int) and isinstance(text, Mapping) for code, text in messages.items()
    ):
        raise HavenConfigError(
            "HAVEN_ERROR_MESSAGES must map status codes (int) to "
            f'{{"title": ..., "message": ...}}; got {messages!r}.'
        )
    header = values["HAVEN_REQUEST_ID_HEADER"]
    if header is not None and not (isinstance(header, str) and re.fullmatch(r"[A-Za-z-]+", header)):
        raise HavenConfigError(
            f"HAVEN_REQUEST_ID_HEADER must be a header name or None; got {header!r}."
        )
    return ErrorSettings(
        pages=bool(values["HAVEN_ERROR_PAGES"]),
        layout=str(values["HAVEN_ERROR_LAYOUT"]),
        messages=MappingProxyType({code: dict(text) for code, text in messages.items()}),
        request_id_header=header,
        trust_request_id=bool(values["HAVEN_TRUST_REQUEST_ID"]),
        maintenance_retry_after=retry_after,
        maintenance_exempt_paths=tuple(paths),
        notice_text=_local_text(values, "HAVEN_ERROR_TEXT"),
    )


def _days(values: Mapping[str, Any], key: str) -> int | None:
    value = values[key]
    if value is not None and not _whole(value, minimum=1):
        raise HavenConfigError(f"{key} must be a whole number of days (1 or more) or None.")
    return value  # type: ignore[no-any-return]


def _hsts(value: object) -> int | None:
    if value is None:
        return None
    if not _whole(value, minimum=0):
        raise HavenConfigError(
            f"HAVEN_HSTS_MAX_AGE must be a whole number of seconds or None; got {value!r}."
        )
    assert isinstance(value, int)
    return value


def _shared_cache_max_age(value: object) -> int | None:
    if value is None:
        return None
    if not _whole(value, minimum=1):
        raise HavenConfigError(
            f"HAVEN_SHARED_CACHE_MAX_AGE must be a whole number of seconds (1 or more) or None; "
            f"got {value!r}."
        )
    assert isinstance(value, int)
    return value


def _database_timeout(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 20:
        raise HavenConfigError(
            f"HAVEN_DATABASE_TIMEOUT must be a number of seconds above 0 and at most 20 "
            f"(well under a worker timeout); got {value!r}."
        )
    return float(value)


def _whole(value: object, *, minimum: int) -> bool:
    """True for an ``int`` (not a ``bool``) of at least ``minimum``."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum
