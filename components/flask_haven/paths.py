"""Return paths: the one check that a URL from a form stays on this site."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

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
