"""Where flask-haven keeps what it knows: one object per app, one per request.

- :class:`HavenState`, in ``app.extensions["haven"]``: the app's checked
  :class:`~flask_haven.settings.HavenSettings` and the services built from
  them once at ``init_app`` (bundle manifest, translations, consent manager,
  rate-limit store, database engine).
- :class:`RequestState`, on ``flask.g``: what one request is, worked out once
  before anything renders (:func:`resolve_request_state`, a ``before_request``
  hook): its consent (the signed cookie, GPC and the banner's one-time flash)
  and its page locale. Templates only read it, so rendering has no side
  effects: nothing pops a flash or clears a cookie while a page renders.

This module imports nothing else from the package at run time, so every
other module can import it without a cycle; the services are typed through
``TYPE_CHECKING`` imports and reached through the state object.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from flask import current_app, g, request

if TYPE_CHECKING:
    from babel import Locale
    from sqlalchemy import Engine

    from .assets import AssetManifest
    from .chrome import FragmentCache
    from .consent.manager import ConsentManager, RequestConsent
    from .extension import Haven
    from .feedback.ratelimit import RateLimitStore
    from .i18n import Translator
    from .ratelimit import LimitsRateLimitStore
    from .settings import HavenSettings

EXTENSION_KEY = "haven"
_REQUEST_KEY = "haven_request"

# Endpoints that serve files, and the quick exit's counter (which must read and
# set no cookie): nothing about consent or language matters there, so the
# resolver leaves them alone (no cookie decoding, no session access).
_FILE_ENDPOINTS = frozenset({"haven.static", "static", "haven.quick_exit_count"})


@dataclass(eq=False)
class HavenState:
    """One app's flask-haven state: settings (frozen) and the services built from them.

    ``settings`` is replaced as a whole, never edited, by the rare caller that
    must change one at run time (a test shrinking the rate limit).
    """

    settings: HavenSettings
    extension: Haven
    assets: AssetManifest
    translator: Translator
    consent: ConsentManager
    # The feedback form's counter: ``limiter`` unless the site passed its own store.
    rate_limit_store: RateLimitStore
    # The ``limits``-backed counter of HAVEN_RATE_LIMIT_STORAGE_URI, for every POST endpoint.
    limiter: LimitsRateLimitStore
    # Endpoint of the mounted feedback form: found on first use, since a site
    # may register the blueprint before or after Haven(app).
    feedback_endpoint: str | None = None
    feedback_endpoint_known: bool = False
    # Created on first use, so a database that is down never stops the site
    # (quick exit and all) from starting.
    engine: Engine | None = None
    engine_lock: threading.Lock = field(default_factory=threading.Lock)
    # The chrome's finished fragments (flask_haven/chrome.py), made on first use.
    fragments: FragmentCache | None = None


@dataclass(eq=False)
class RequestState:
    """What the current request is: its consent and its page locale, resolved once."""

    consent: RequestConsent
    locale: Locale


def current_state() -> HavenState:
    """The current app's :class:`HavenState` (needs an app context)."""
    return state_of(current_app)


def state_of(app: object) -> HavenState:
    """``app``'s :class:`HavenState`; a clear error when ``Haven(app)`` never ran."""
    extensions = getattr(app, "extensions", {})
    state = extensions.get(EXTENSION_KEY)
    if state is None:
        raise RuntimeError("flask-haven is not set up on this app: call Haven(app) first")
    return cast("HavenState", state)


def request_state() -> RequestState:
    """The current request's :class:`RequestState`.

    Normally resolved by the ``before_request`` hook; resolved here instead
    when code runs in a request context that skipped the hooks (a
    ``test_request_context``, a CLI render).
    """
    resolved: RequestState | None = g.get(_REQUEST_KEY)
    if resolved is None:
        resolved = _resolve()
    return resolved


def peek_request_state() -> RequestState | None:
    """The request state if it was resolved, else ``None`` (never resolves)."""
    resolved: RequestState | None = g.get(_REQUEST_KEY)
    return resolved


def resolve_request_state() -> None:
    """``before_request``: work out the request's consent and locale before any view runs."""
    if request.endpoint in _FILE_ENDPOINTS:
        return
    _resolve()


def _resolve() -> RequestState:
    state = current_state()
    resolved = RequestState(consent=state.consent.resolve(), locale=state.translator.page_locale())
    setattr(g, _REQUEST_KEY, resolved)
    return resolved
