"""Return paths: the one check that a URL from a form or a link stays on this site.

Every route that redirects to a place named by the request (the banner, the
cookies page, feedback and its thank-you page, a site's own language switch)
calls :func:`safe_return_path`. It decides the way browsers parse a URL, not
the way Python does: the WHATWG URL parser drops tabs and newlines anywhere,
reads a backslash as a slash, and several layers (Werkzeug, proxies, the
browser) may decode percent-escapes or fold full-width characters on the way.
A value is kept only if *every* one of those readings is a path on this site.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import has_request_context, request, url_for

# Far longer than any real page address; a longer one is refused, not cut.
MAX_RETURN_PATH = 2000

# How many layers of percent-decoding we follow. Each layer is a component
# that might decode once; a value still changing after this many is refused.
_MAX_DECODE_ROUNDS = 4


def _browser_readings(value: str) -> list[str]:
    """The forms ``value`` can take on its way to a browser's URL parser."""
    readings = [value]
    current = value
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(current, errors="replace")
        if decoded == current:
            break
        readings.append(decoded)
        current = decoded
    else:
        # Still decoding: nobody writes a link like that on purpose.
        readings.append("//")
    # NFKC folds full-width and other compatibility forms (U+FF0F to "/").
    readings += [unicodedata.normalize("NFKC", reading) for reading in readings]
    return readings


def _as_browser_reads(reading: str) -> str:
    # The WHATWG parser removes ASCII tab and newline anywhere and reads "\" as "/".
    return reading.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


def _is_local_path(reading: str) -> bool:
    if not reading.startswith("/") or reading.startswith("//"):
        return False
    try:
        parts = urlsplit(reading)
    except ValueError:
        return False
    return not (parts.scheme or parts.netloc) and parts.path.startswith("/")


def safe_return_path(
    value: object, *, keep_query: bool = True, max_length: int = MAX_RETURN_PATH
) -> str | None:
    """``value`` if it is a path on this site (``/...``), else ``None``.

    Rejects every way of leaving the site a browser accepts: ``//host``,
    ``/\\host`` and ``/<tab>/host`` (browsers read a backslash as ``/`` and
    drop tabs and newlines), the same written with percent-escapes or
    full-width characters, schemes, whitespace, control and other unprintable
    characters (so a CR/LF can never reach a ``Location`` header).
    ``keep_query=False`` drops the query and fragment, for a path that is
    stored (feedback): they can hold search terms or other personal details;
    ``max_length`` then fits its column.
    """
    if not isinstance(value, str) or not value.startswith("/") or len(value) > max_length:
        return None
    if "\\" in value or not value.isprintable() or "\ufffd" in value:
        return None
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in value):
        return None
    readings = _browser_readings(value)
    if not all(_is_local_path(_as_browser_reads(reading)) for reading in readings):
        return None
    # A decoded control character (``%0d%0a``) is harmless in a Location
    # header, which keeps the escapes, but has no business in a return path.
    if any(unicodedata.category(ch) in ("Cc", "Cf") for reading in readings for ch in reading):
        return None
    parts = urlsplit(value)
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
