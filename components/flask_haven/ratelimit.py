"""Rate limits and body bounds for every POST endpoint, shared by workers and hosts.

Counting is done by `limits <https://limits.readthedocs.io>`_ (the library
Flask-Limiter is built on) in the storage ``HAVEN_RATE_LIMIT_STORAGE_URI``
names: ``memory://`` counts in each process, ``redis://host:port/db`` counts
once for every worker and every host, and survives a worker restart.

The client is ``request.remote_addr``. Behind a proxy that is the proxy's
address, so a site must install Werkzeug's ``ProxyFix`` with the exact number
of proxies it runs (docs/security.md): then one client is one client, and a
forged ``X-Forwarded-For`` from the internet is ignored.
"""

from __future__ import annotations

import logging

from flask import request
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .config import HavenConfigError

log = logging.getLogger("flask_haven.ratelimit")

STORAGE_SCHEMES = ("memory", "redis")


def check_storage_uri(uri: object) -> str:
    """``uri`` if it is a storage URI we support, else raise :class:`HavenConfigError`."""
    if (
        not isinstance(uri, str)
        or uri.split("://", 1)[0] not in STORAGE_SCHEMES
        or ("://" not in uri)
    ):
        raise HavenConfigError(
            "HAVEN_RATE_LIMIT_STORAGE_URI must be 'memory://' or 'redis://host:port/db'; "
            f"got {uri!r}."
        )
    return uri


class LimitsRateLimitStore:
    """A sliding-window counter kept in a ``limits`` storage (memory or Redis).

    Has the ``hit(key, limit, window_seconds)`` method of
    :class:`flask_haven.feedback.RateLimitStore`, so it can stand wherever a
    store is used. If the storage cannot be reached (Redis down) the post is
    let through and the failure logged: a broken counter must not stop a
    person asking for help, and the body bounds still hold.
    """

    def __init__(self, uri: str) -> None:
        self.uri = check_storage_uri(uri)
        storage = storage_from_string(uri)
        # memory:// and redis:// give the synchronous storages; async:// is refused above.
        assert isinstance(storage, Storage)
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(self._storage)

    @staticmethod
    def _item(limit: int, window_seconds: float) -> RateLimitItem:
        return RateLimitItemPerSecond(limit, max(1, round(window_seconds)), namespace="HAVEN")

    def hit(self, key: str, limit: int, window_seconds: float) -> bool:
        """Record one post from ``key``; False once it has made ``limit`` in the window."""
        try:
            return bool(self._limiter.hit(self._item(limit, window_seconds), key))
        except Exception:
            log.exception("rate-limit storage %s failed; the post was let through", self.uri)
            return True

    def reset(self) -> None:
        """Forget every count (tests, or after changing the limits)."""
        self._storage.reset()


def client_key(scope: str) -> str:
    """The rate-limit key of this request's client for ``scope`` ("feedback", "consent")."""
    return f"{scope}:{request.remote_addr or 'unknown'}"


def bound_body(limit: int) -> None:
    """Refuse a body over ``limit`` bytes before anything parses it (413).

    Werkzeug checks ``Content-Length`` at once and stops reading a chunked
    body at the limit, so a 10 MB post costs nothing. A stricter
    ``MAX_CONTENT_LENGTH`` of the site's own still wins.
    """
    from flask import current_app

    site_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = min(limit, site_limit) if site_limit else limit
