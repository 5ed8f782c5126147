"""A bounded burst of concurrent requests against gunicorn with two workers.

No 5xx, no dropped connections, every page complete; the requests are many
enough to keep both workers and the shared SQLite file busy at once, and few
enough to finish in seconds.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
from pathlib import Path

import pytest

from benchmarks import servers
from flask_haven import assets

from ..pages import all_pages

CONCURRENCY = 16


def bundle_paths() -> list[str]:
    manifest = json.loads((assets.DIST_DIR / assets.MANIFEST_NAME).read_text())
    return [f"/_haven/static/dist/{name}" for name in manifest.values()]


def test_burst_of_page_loads(server: servers.Server) -> None:
    pages = all_pages()
    reference = {path: servers.request(server, "GET", path).body for path in pages}
    paths = (pages + bundle_paths()) * 12
    result = servers.burst(
        server, [servers.get(path) for path in paths], concurrency=CONCURRENCY, time_limit=60
    )
    assert not result.errors, result.errors[:5]
    assert len(result.replies) == len(paths)
    assert result.statuses() == {200: len(paths)}, result.statuses()
    for reply in result.replies:
        if reply.headers["content-type"].startswith("text/html"):
            assert reply.body.rstrip().endswith(b"</html>"), "a page was cut short"
    # Every worker renders the same page: nothing depends on which one answered.
    for path in pages:
        assert servers.request(server, "GET", path).body == reference[path]


def test_unknown_pages_under_load_are_404_not_5xx(server: servers.Server) -> None:
    paths = ["/nope", "/components/nope/", "/components/quick-exit/nope/preview"] * 20
    result = servers.burst(server, [servers.get(p) for p in paths], concurrency=CONCURRENCY)
    assert not result.errors
    assert result.statuses() == {404: len(paths)}


def _secret_key(path: str, barrier: object) -> str:
    from demo_app import _instance_secret

    barrier.wait()  # type: ignore[attr-defined]
    return _instance_secret(Path(path))


@pytest.mark.xfail(
    reason="demo_app._instance_secret races: workers starting together on a fresh "
    "instance can each write their own key, or read an empty one (reported to the lead)",
    strict=False,
)
def test_workers_share_one_secret_key() -> None:
    """gunicorn forks its workers at once; each builds the app on the same instance.

    If they end up with different keys, a session (and its CSRF token) made by
    one worker is refused by the other; an empty key breaks sessions outright.
    """
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager, context.Pool(6) as pool:
        for _ in range(40):
            with tempfile.TemporaryDirectory() as tmp:
                barrier = manager.Barrier(6)
                keys = pool.starmap(_secret_key, [(tmp, barrier)] * 6)
            assert "" not in keys, "a worker read an empty secret key"
            assert len(set(keys)) == 1, "workers started with different secret keys"
