"""Per-client rate limiting for feedback posts.

The default store counts in the memory of each worker process, which is
enough to stop one client flooding the form from a script; a site with
several processes or servers that wants one shared count passes its own
store (for example on Redis) with the same ``hit`` method.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol


class RateLimitStore(Protocol):
    """Anything that can count hits per key in a sliding window."""

    def hit(self, key: str, limit: int, window_seconds: float) -> bool:
        """Record one hit for ``key``; True if it is within ``limit`` per window."""
        ...


class MemoryRateLimitStore:
    """A sliding-window counter in this process's memory (thread-safe).

    Keeps at most ``limit`` timestamps per client and forgets clients whose
    window has passed, so memory stays bounded by the clients of the last window.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, key: str, limit: int, window_seconds: float) -> bool:
        """Record a post from ``key``; False once it has made ``limit`` in the window.

        A refused post is not counted, so a client that waits out the window
        gets through again rather than being locked out for good.
        """
        now = self._clock()
        with self._lock:
            self._sweep(now, window_seconds)
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= window_seconds:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def retry_after(self, key: str, window_seconds: float) -> int:
        """Whole seconds until ``key`` may post again (at least 1)."""
        with self._lock:
            hits = self._hits.get(key)
            if not hits:
                return 1
            return max(1, int(window_seconds - (self._clock() - hits[0])) + 1)

    def _sweep(self, now: float, window_seconds: float) -> None:
        if now - self._last_sweep < window_seconds:
            return
        self._last_sweep = now
        for key in [
            k for k, hits in self._hits.items() if not hits or now - hits[-1] >= window_seconds
        ]:
            del self._hits[key]
