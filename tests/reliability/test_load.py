"""A bounded burst of concurrent requests against gunicorn with two workers.

No 5xx, no dropped connections, every page complete; the requests are many
enough to keep both workers and the shared SQLite file busy at once, and few
enough to finish in seconds.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import re
import sqlite3
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import servers
from demo_app import create_app
from flask_haven import assets

from ..page_list import all_pages
from .forms import CONSENT_COOKIE, consent_post, cookies_from, feedback_post

CONCURRENCY = 16


def bundle_paths() -> list[str]:
    return [f"/_haven/static/dist/{name}" for name in assets.bundle_names().values()]


# A signed, timestamped token (itsdangerous): CSRF tokens, also where the
# gallery shows an example's HTML source.
SIGNED_TOKEN = re.compile(rb"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,8}\.[A-Za-z0-9_-]{20,}")


def same_page(body: bytes) -> bytes:
    """A page with its per-visitor tokens masked, to compare renders."""
    return SIGNED_TOKEN.sub(b"TOKEN", body)


def test_burst_of_page_loads(server: servers.Server) -> None:
    pages = all_pages()
    reference = {path: same_page(servers.request(server, "GET", path).body) for path in pages}
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
        assert same_page(servers.request(server, "GET", path).body) == reference[path]


def test_unknown_pages_under_load_are_404_not_5xx(server: servers.Server) -> None:
    paths = ["/nope", "/components/nope/", "/components/quick-exit/nope/preview"] * 20
    result = servers.burst(server, [servers.get(p) for p in paths], concurrency=CONCURRENCY)
    assert not result.errors
    assert result.statuses() == {404: len(paths)}


def _secret_key(path: str, barrier: object) -> str:
    from demo_app import _instance_secret

    barrier.wait()  # type: ignore[attr-defined]
    return _instance_secret(Path(path))


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


@pytest.fixture(scope="module")
def post_server(instance: Path) -> Iterator[servers.Server]:
    """gunicorn with the rate limits off: every post comes from 127.0.0.1."""
    config = {
        "INSTANCE_PATH": str(instance),
        "HAVEN_FEEDBACK_RATE_LIMIT": None,
        "HAVEN_CONSENT_RATE_LIMIT": None,
    }
    with servers.gunicorn(config, workers=2) as running:
        yield running


def test_burst_of_consent_posts_feedback_posts_and_pages(
    instance: Path, post_server: servers.Server
) -> None:
    """Concurrent no-JS posts through both workers: each one stored once, none lost."""
    app = create_app({"INSTANCE_PATH": str(instance)})
    has_consent = "haven_consent.save" in app.view_functions
    has_feedback = "feedback.form" in app.view_functions
    if not (has_consent or has_feedback):
        pytest.skip("neither the cookie nor the feedback component is in this checkout yet")
    run = uuid.uuid4().hex[:8]
    texts = [f"Load test {run} number {i}: the opening times table helped." for i in range(40)]
    jobs = [servers.get(path) for path in ("/", "/components/")] * 20
    if has_consent:
        assert app.config["HAVEN_CONSENT_LOG"], "the demo logs consent; this test counts the log"
        jobs += [consent_post("accept")] * 30 + [consent_post("reject")] * 30
        jobs += [servers.get("/cookies")] * 20
    if has_feedback:
        jobs += [feedback_post(text) for text in texts] + [servers.get("/feedback")] * 20
    random.Random(9).shuffle(jobs)
    result = servers.burst(post_server, jobs, concurrency=12, time_limit=90)
    assert not result.errors, result.errors[:5]
    assert all(reply.status < 500 for reply in result.replies), result.statuses()

    consent_replies = [r for r in result.replies if CONSENT_COOKIE in cookies_from(r)]
    feedback_replies = [
        r for r in result.replies if r.headers.get("location", "").endswith("/feedback/thanks")
    ]
    pages = [r for r in result.replies if r.status == 200]
    assert len(consent_replies) == (60 if has_consent else 0), result.statuses()
    assert len(feedback_replies) == (40 if has_feedback else 0), result.statuses()
    assert len(pages) == 40 + 20 * has_consent + 20 * has_feedback, result.statuses()
    assert all(r.status == 303 for r in consent_replies + feedback_replies)

    with sqlite3.connect(instance / "haven.sqlite3") as db:
        if has_consent:
            logged = dict(db.execute("SELECT id, choices FROM haven_consent_log").fetchall())
        if has_feedback:
            stored = Counter(
                text
                for (text,) in db.execute("SELECT text FROM haven_feedback")
                if f"Load test {run} " in text
            )
    if has_feedback:
        assert stored == Counter(texts), "feedback lost or stored twice"
    if has_consent:
        # Every consent cookie names its log record; every record is named by one cookie.
        cookie_fields = [cookies_from(r)[CONSENT_COOKIE].split(".") for r in consent_replies]
        ids = Counter(fields[4] for fields in cookie_fields)
        assert all(count == 1 for count in ids.values()), "two people were given one record id"
        assert set(ids) <= set(logged), "a consent cookie names a record that was not logged"
        for fields in cookie_fields:
            choices = json.loads(logged[fields[4]])
            allowed = ":1:" in fields[3]  # <category>:<1 or 0>:<digest> per decision
            assert set(choices.values()) == {allowed}, (fields, choices)
        assert Counter(json.loads(logged[i])["analytics"] for i in ids) == {True: 30, False: 30}
