"""Which responses a cache may keep, and what each one depends on.

Two caches, two answers:

- **The browser's cache** is on the person's device, where someone who
  watches them can look. Every HTML page gets ``Cache-Control: no-store``
  (``HAVEN_NO_STORE``, on by default), so a page left through the quick exit
  is never shown again from it, and Back after the exit finds nothing.
- **A shared cache** (a CDN, nginx, Varnish) is the site's own. A first visit
  (a ``GET`` with no cookie at all, whose page sets none) shows the same page
  to everyone at that URL and in that language: no token, no session, no
  nonce. With ``HAVEN_SHARED_CACHE_MAX_AGE`` such a page also gets
  ``CDN-Cache-Control: max-age=N`` (RFC 9213), which only a cache set up to
  honour it reads; the browser still gets ``no-store``.

Every HTML page also says what it was chosen by (``Vary``): ``Cookie`` (the
consent cookie decides the banner), ``Sec-GPC`` (Global Privacy Control
stands in for a refusal) and ``Accept-Language`` when the language came from
the browser. docs/caching.md explains the choice and has a tested nginx recipe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, Response, current_app, g, request, session

from .security import NO_STORE
from .state import current_state

if TYPE_CHECKING:
    from .settings import ConsentSettings

# RFC 9213's targeted field: a cache that knows it uses it instead of Cache-Control.
SHARED_CACHE_HEADER = "CDN-Cache-Control"
_LANGUAGE_FLAG = "haven_language_from_browser"


def language_came_from_browser() -> None:
    """Note that this request's language was chosen from ``Accept-Language``."""
    setattr(g, _LANGUAGE_FLAG, True)


def init_app(app: Flask) -> None:
    """Run :func:`apply_cache_headers` after every other ``after_request`` hook.

    Last, so it sees what the site's hooks and other extensions added (a
    cookie, a Cache-Control of their own) before it offers a page to a cache.
    """
    app.after_request_funcs.setdefault(None, []).insert(0, apply_cache_headers)


def apply_cache_headers(response: Response) -> Response:
    """Cache-Control for browsers, CDN-Cache-Control for shared caches, and Vary."""
    if response.mimetype != "text/html":
        return response
    settings = current_state().settings
    headers = response.headers
    # Decided before we touch it: a view (or another extension) that set its
    # own Cache-Control (``haven.no_store``, feedback, error pages) chose for
    # itself, and its page is never offered to a shared cache.
    view_chose = "Cache-Control" in headers
    if settings.no_store:
        headers["Cache-Control"] = NO_STORE
    _add_vary(response, settings.consent)
    max_age = settings.shared_cache_max_age
    if max_age is not None and not view_chose and is_first_visit_page(response):
        headers[SHARED_CACHE_HEADER] = f"max-age={max_age}"
    return response


def is_first_visit_page(response: Response) -> bool:
    """True when ``response`` is what every first-time visitor at this URL gets.

    A successful ``GET`` (or ``HEAD``) sent with no cookie and no credentials,
    answered without a cookie: then nothing in it belongs to one person.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    environ = request.environ
    if environ.get("HTTP_COOKIE") or environ.get("HTTP_AUTHORIZATION"):
        return False
    if "Set-Cookie" in response.headers:
        return False
    # The session is saved after this hook runs: ask whether it will set a cookie.
    return not current_app.session_interface.should_set_cookie(current_app, session)


def _add_vary(response: Response, consent: ConsentSettings) -> None:
    names = []
    if consent.policy is not None:
        names.append("Cookie")
        if consent.honour_gpc:
            names.append("Sec-GPC")
    if g.get(_LANGUAGE_FLAG):
        names.append("Accept-Language")
    if not names:
        return
    if "Vary" in response.headers:
        for name in names:
            response.vary.add(name)
    else:
        # One header written once: parsing Vary as a set on every page costs more.
        response.headers["Vary"] = ", ".join(names)
