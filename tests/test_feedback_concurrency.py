"""Many clients posting at once to the running app on SQLite: nothing lost, nothing doubled."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask

from demo_app import create_app
from flask_haven.feedback import Feedback
from flask_haven.testing.plugin import LiveServer

from .feedback_helpers import stored

THREADS = 8
POSTS_PER_THREAD = 40  # 320 in all


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def client_posts(base_url: str, worker: int) -> list[tuple[str, int]]:
    """One client (own cookies and CSRF token) posting its share; (text, status) each."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form = opener.open(f"{base_url}/feedback", timeout=30).read().decode()
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match
    results = []
    for n in range(POSTS_PER_THREAD):
        text = f"worker {worker} item {n}: «ünïcode» 🚲 and a\nsecond line"
        body = urllib.parse.urlencode(
            {"csrf_token": match.group(1), "feedback": text, "satisfaction": "neither"}
        ).encode()
        try:
            status = opener.open(f"{base_url}/feedback", data=body, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        results.append((text, status))
    return results


def assert_concurrent_posts_stored_once(app: Flask) -> list[Feedback]:
    """Serve ``app``, let THREADS clients post at once; every item stored exactly once.

    Returns what was stored, for further checks.
    """
    server = LiveServer(app).start()
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            batches = list(pool.map(lambda w: client_posts(server.url, w), range(THREADS)))
    finally:
        server.stop()
    sent = [text for batch in batches for text, _ in batch]
    statuses = {status for batch in batches for _, status in batch}
    assert statuses == {303}, statuses
    items = stored(app)
    assert len(items) == len(sent) == THREADS * POSTS_PER_THREAD
    assert sorted(item.text for item in items) == sorted(sent)
    return items


def test_eight_clients_posting_at_once_store_every_item_exactly_once(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_FEEDBACK_RATE_LIMIT": None})
    items = assert_concurrent_posts_stored_once(app)
    assert len({item.id for item in items}) == len(items)
    assert all(item.answers == {"satisfaction": "neither"} for item in items)


SERVE_ONE_WORKER = """
import sys
from werkzeug.serving import make_server
from flask import Flask

from demo_app import create_app
from flask_haven.feedback import Feedback

app = create_app({"INSTANCE_PATH": sys.argv[1], "HAVEN_FEEDBACK_RATE_LIMIT": None})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def test_several_worker_processes_share_the_sqlite_file(tmp_path: Path) -> None:
    """Like gunicorn with 4 workers: 4 processes, 8 clients, one SQLite file (WAL)."""
    import subprocess
    import sys

    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": instance})  # writes the shared secret key first
    root = Path(__file__).resolve().parent.parent
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SERVE_ONE_WORKER, str(instance)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(4)
    ]
    try:
        urls = [f"http://127.0.0.1:{int(w.stdout.readline())}" for w in workers]  # type: ignore[union-attr]
        with ThreadPoolExecutor(THREADS) as pool:
            batches = list(pool.map(lambda w: client_posts(urls[w % 4], w), range(THREADS)))
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=10)
            worker.stdout.close()  # type: ignore[union-attr]
    sent = [text for batch in batches for text, _ in batch]
    assert {status for batch in batches for _, status in batch} == {303}
    items = stored(app)
    assert len(items) == len(sent)
    assert sorted(item.text for item in items) == sorted(sent)
