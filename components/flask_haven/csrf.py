"""Cross-site request protection for the components' own forms.

Two mechanisms, one per kind of form:

- **The consent forms** (the cookie banner and the cookies page) carry no
  token. A token needs a session, and a session is a cookie: a first visit
  would get one before the person chose anything, and every visitor would get
  different HTML, which no shared cache can serve. They are protected instead
  by what the browser says about where a request came from
  (:func:`came_from_this_site`): Fetch Metadata (``Sec-Fetch-Site``), else
  ``Origin``, else a custom header or ``Referer``, in the same spirit as Go
  1.25's ``CrossOriginProtection``; the cookies themselves are ``SameSite``.
- **The feedback form** keeps flask-wtf's signed, time-limited token
  (:func:`csrf_token`, :func:`csrf_is_valid`): its page starts a session
  anyway. A site keeps whatever CSRF set-up it has for its own forms.

The model and its limits are in docs/security.md.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from flask import request
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import ValidationError

FIELD_NAME = "csrf_token"

# What a browser with Fetch Metadata says of a request we may act on: sent by a
# page of this origin, or started by the person (typed, bookmarked). Anything
# else ("same-site": a sibling subdomain, "cross-site") is refused.
_OUR_FETCH_SITES = frozenset({"same-origin", "none"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def csrf_token() -> str:
    """A token for a hidden ``csrf_token`` field (also a Jinja global)."""
    return str(generate_csrf())


def csrf_is_valid() -> bool:
    """True if the request carries a valid token in the form or the header."""
    token = request.form.get(FIELD_NAME) or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


def came_from_this_site() -> bool:
    """True when the browser vouches that one of this site's pages sent the request.

    What the consent routes require before they act (:func:`request_source`
    is ``"ours"``). A request that proves nothing is refused, and nothing is
    recorded: an old browser posting from our own pages sends at least a
    ``Referer`` (our ``Referrer-Policy`` is ``same-origin``), so only a
    request stripped of every header lands there. Non-browser clients send
    ``Sec-Fetch-Site: same-origin`` themselves.
    """
    return request_source() == "ours"


def request_source() -> Literal["ours", "other", "unknown"]:
    """Where the browser says this request came from: our pages, elsewhere, or unknown.

    The first of these headers that is present (and not empty) decides:

    1. ``Sec-Fetch-Site`` (every current browser): ``same-origin`` or ``none``
       (typed, bookmarked) is ours, anything else (``same-site``: a sibling
       subdomain; ``cross-site``) is not.
    2. ``Origin`` (older browsers; ``null`` proves nothing): the same host.
    3. ``X-Requested-With`` (our script's ``fetch``) is ours: another origin
       could only send this header after a CORS preflight, which we never approve.
    4. ``Referer``: the same host.

    ``"unknown"`` when none is there. The same design as Go 1.25's
    ``CrossOriginProtection``, which also reads only these headers.
    """
    headers = request.headers
    fetch_site = headers.get("Sec-Fetch-Site", "").strip().lower()
    if fetch_site:
        return "ours" if fetch_site in _OUR_FETCH_SITES else "other"
    origin = headers.get("Origin", "").strip()
    if origin and origin != "null":
        return "ours" if _is_this_host(origin) else "other"
    if headers.get("X-Requested-With", "").strip():
        return "ours"
    referer = headers.get("Referer", "").strip()
    if referer:
        return "ours" if _is_this_host(referer) else "other"
    return "unknown"


def _is_this_host(url: str) -> bool:
    """``url``'s host (and port) is the one this request was sent to.

    The scheme is left out, as Go does: behind a TLS-terminating proxy the app
    may see ``http`` for a page the browser loaded over ``https``.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme not in _DEFAULT_PORTS or not parts.netloc:
        return False
    return _host_key(parts.netloc, parts.scheme) == _host_key(request.host, parts.scheme)


def _host_key(netloc: str, scheme: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1]
    default = ":" + _DEFAULT_PORTS[scheme]
    return host.removesuffix(default) if host.endswith(default) else host
