"""Return paths: the one check that a URL from a form stays on this site."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import has_request_context, request, url_for

# Far longer than any real page address; a longer one is refused, not cut.
MAX_RETURN_PATH = 2000


def safe_return_path(
    value: object, *, keep_query: bool = True, max_length: int = MAX_RETURN_PATH
) -> str | None:
    """``value`` if it is a path on this site (``/...``), else ``None``.

    Rejects every way of leaving the site a browser accepts: ``//host``,
    ``/\\host`` (browsers read a backslash as ``/``), schemes, whitespace,
    control and other unprintable characters. ``keep_query=False`` drops the
    query and fragment, for a path that is stored (feedback): they can hold
    search terms or other personal details; ``max_length`` then fits its column.
    """
    if not isinstance(value, str) or not value.startswith("/") or len(value) > max_length:
        return None
    if value.startswith("//") or "\\" in value or not value.isprintable():
        return None
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        return None
    if "\ufffd" in value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return value if keep_query else parts.path


def app_url(path: str) -> str:
    """An app-relative path (``/cookies``) as a URL that stays inside the app's prefix.

    Under ``SCRIPT_NAME`` (``DispatcherMiddleware``, ProxyFix ``x_prefix``)
    ``request.path`` and the paths in our settings leave the prefix out; a link
    or redirect built from them must put it back, or it leaves the app.
    """
    if has_request_context() and path.startswith("/") and not path.startswith("//"):
        return request.script_root + path
    return path


def page_url(value: str) -> str:
    """A setting that names a page: an endpoint (``"cookies"``, ``"site.cookies"``),
    an app-relative path (``"/cookies"``, prefixed like :func:`app_url`) or an
    absolute ``https://`` URL (used as it is)."""
    if value.startswith(("https://", "http://")):
        return value
    if value.startswith("/"):
        return app_url(value)
    return url_for(value)


def is_page_setting(value: object) -> bool:
    """True for a value :func:`page_url` accepts: a path, an https URL or an endpoint name."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(("/", "https://")):
        return not value.startswith("//")
    return all(part.isidentifier() for part in value.split("."))
