"""Pages keep coming while slow clients hold connections open (issue 17, row 10).

Two clients that send a request body one byte a second starved the demo's two
sync workers. The shipped configuration (docs/examples/deploy/gunicorn.conf.py,
threaded workers) keeps serving everyone else meanwhile.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import servers

CONFIG = Path(__file__).resolve().parents[2] / "docs" / "examples" / "deploy" / "gunicorn.conf.py"
SLOW_SECONDS = 8.0


@pytest.fixture(scope="module")
def threaded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Server]:
    instance = tmp_path_factory.mktemp("slow") / "instance"
    with servers.gunicorn(
        {"INSTANCE_PATH": str(instance)}, workers=2, config_file=CONFIG
    ) as running:
        yield running


def _slow_body(server: servers.Server, stop: threading.Event) -> None:
    """Start a feedback post and send its body one byte a second until told to stop."""
    with socket.create_connection(server.host_port, timeout=5) as sock:
        sock.sendall(
            b"POST /feedback HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000\r\n\r\n"
        )
        deadline = time.monotonic() + SLOW_SECONDS
        while not stop.is_set() and time.monotonic() < deadline:
            sock.sendall(b"a")
            stop.wait(1.0)


def test_pages_keep_coming_with_two_slow_body_clients(threaded_server: servers.Server) -> None:
    stop = threading.Event()
    slow = [
        threading.Thread(target=_slow_body, args=(threaded_server, stop), daemon=True)
        for _ in range(2)
    ]
    for thread in slow:
        thread.start()
    try:
        time.sleep(1.0)  # both slow clients are connected and sending
        timings = []
        for path in ["/", "/cookies", "/feedback", "/components/"] * 2:
            reply = servers.request(threaded_server, "GET", path, timeout=3.0)
            assert reply.status == 200, (path, reply.status)
            timings.append(reply.seconds)
        assert max(timings) < 2.0, timings
        assert all(thread.is_alive() for thread in slow), "a slow client was not slow"
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
