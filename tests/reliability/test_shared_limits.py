"""Rate limits shared by every worker and host, on a real Redis server.

Issue 17, row 4: with the per-process counter, 200 feedback posts in 20 s
stored 40 (20 per worker), and `kill -HUP` reset the counts. With
``HAVEN_RATE_LIMIT_STORAGE_URI = redis://...`` every worker counts once,
and a restart of the workers forgets nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_client

from benchmarks import servers
from demo_app import create_app
from flask_haven.ratelimit import LimitsRateLimitStore

from .forms import feedback_post

LIMIT = 10


@pytest.fixture(scope="module")
def redis_db(redis_url: str) -> str:
    """The session's Redis, emptied for this module's counts."""
    redis_client.Redis.from_url(redis_url).flushdb()
    return redis_url


@pytest.fixture(scope="module")
def redis_server(
    tmp_path_factory: pytest.TempPathFactory, redis_db: str
) -> Iterator[tuple[servers.Server, Path]]:
    """The demo under gunicorn (2 sync workers) counting feedback posts in Redis."""
    instance = tmp_path_factory.mktemp("shared-limits") / "instance"
    create_app({"INSTANCE_PATH": str(instance)})
    config = {
        "INSTANCE_PATH": str(instance),
        "HAVEN_RATE_LIMIT_STORAGE_URI": redis_db,
        "HAVEN_FEEDBACK_RATE_LIMIT": f"{LIMIT}/minute",
    }
    with servers.gunicorn(config, workers=2) as running:
        yield running, instance


def _stored(instance: Path, run: str) -> int:
    with sqlite3.connect(instance / "haven.sqlite3") as db:
        (count,) = db.execute(
            "SELECT count(*) FROM haven_feedback WHERE text LIKE ?", (f"%{run}%",)
        ).fetchone()
    return int(count)


def test_a_burst_across_two_workers_stores_at_most_the_limit(
    redis_server: tuple[servers.Server, Path],
) -> None:
    server, instance = redis_server
    run = uuid.uuid4().hex[:8]
    jobs = [feedback_post(f"Burst {run} number {i}: the page helped.") for i in range(50)]
    result = servers.burst(server, jobs, concurrency=8, time_limit=60)
    assert not result.errors, result.errors[:5]
    statuses = result.statuses()
    assert statuses.get(303, 0) == LIMIT, statuses
    assert statuses.get(429, 0) == 50 - LIMIT, statuses
    assert _stored(instance, run) == LIMIT

    # Row 4: the counts survive the workers being replaced (kill -HUP).
    old_workers = set(server.worker_pids())
    os.kill(server.process.pid, signal.SIGHUP)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        workers = set(server.worker_pids())
        if len(workers) == 2 and not workers & old_workers:
            break
        time.sleep(0.1)
    else:
        pytest.fail("gunicorn did not replace its workers within 20 s")
    late = feedback_post(f"After restart {run}")(server)
    assert late.status == 429
    assert _stored(instance, run) == LIMIT


def test_two_hosts_share_one_count(redis_db: str) -> None:
    # Two stores stand for two hosts: each sees the other's posts.
    first, second = LimitsRateLimitStore(redis_db), LimitsRateLimitStore(redis_db)
    key = f"feedback:{uuid.uuid4().hex}"
    results = [store.hit(key, 3, 60) for store in (first, second, first, second)]
    assert results == [True, True, True, False]


def test_redis_down_lets_posts_through(caplog: pytest.LogCaptureFixture) -> None:
    # A free loopback port: nothing listens. A broken counter must not stop a
    # person asking for help; it is logged instead.
    store = LimitsRateLimitStore(f"redis://127.0.0.1:{servers.free_port()}/0")
    assert store.hit("feedback:x", 1, 60)
    assert "rate-limit storage" in caplog.text
