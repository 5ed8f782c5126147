"""Security headers for pages that people at risk read.

The components need no inline script or style, so the policy can forbid both;
that is the main defence against injected script reading what a person typed
or where they went. Headers are added only where the response (or another
extension such as flask-talisman) has not set them already, so a site keeps
control of its own policy.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, make_response, request

from .state import current_state

DEFAULT_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

# The one Cache-Control value for pages that must never be shown again from a
# cache. ``no-store`` alone says it all: nothing stored means nothing to expire.
NO_STORE = "no-store"


def security_headers(csp: str | None) -> dict[str, str]:
    """The headers :func:`apply_security_headers` sets, for a given policy."""
    return {
        "Content-Security-Policy": csp or DEFAULT_CSP,
        # Nothing about the page a person was reading leaks to the next site.
        # ``same-origin``, not ``no-referrer``: under ``no-referrer`` a browser
        # sends ``Origin: null`` on our own form posts, and a browser without
        # Fetch Metadata would then have nothing to prove them ours (csrf.py).
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }


def apply_security_headers(response: Response) -> Response:
    """``after_request`` hook: add the strict headers the response lacks."""
    settings = current_state().settings
    if settings.security_headers:
        for name, value in security_headers(settings.csp).items():
            response.headers.setdefault(name, value)
        # Only over HTTPS (a browser ignores it on http://, and sending it
        # there would only mislead). Behind a proxy this needs ProxyFix so
        # that request.is_secure is true.
        if settings.hsts_max_age is not None and request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={settings.hsts_max_age}"
            )
    return response


F = TypeVar("F", bound=Callable[..., Any])


def no_store(view: F) -> F:
    """Decorate a view whose page must never be shown again from the cache.

    Browsers may keep a page in the back/forward cache or HTTP cache; after a
    quick exit, someone pressing Back should not see it. ``no-store`` also keeps
    the page out of Chromium's back/forward cache.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = NO_STORE
        return response

    return cast(F, wrapper)


def from_this_site() -> bool:
    """Did this request come from our own pages, or say nothing at all?

    The one reading of a request's source (:func:`~flask_haven.csrf.request_source`:
    Fetch Metadata, else ``Origin``, ``X-Requested-With`` or ``Referer``), with
    one difference from the consent routes: a request that says nothing (an
    old browser following our own link sends no ``Origin``) is let through,
    since the quick exit and its count must keep working there.
    """
    from .csrf import request_source

    return request_source() != "other"
