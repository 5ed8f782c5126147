"""The demo app under a real multi-process server, and a bounded load client.

Shared by the benchmarks and the reliability tests (``tests/reliability/``):
gunicorn with sync workers on 127.0.0.1, each worker building the app from
:func:`benchmarks.wsgi.app_from_env`, and a threaded client that sends a fixed
number of requests within a time limit and records every status.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running gunicorn: its URL and the process, for CPU accounting."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)

    def worker_pids(self) -> list[int]:
        """The worker processes (Linux only; empty elsewhere)."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def cpu_seconds(self) -> float | None:
        """User + system CPU time used so far by the master and its workers."""
        total = 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        return total


@contextmanager
def gunicorn(
    config: dict[str, Any],
    *,
    workers: int = 2,
    ready_path: str = "/",
    start_timeout: float = 30.0,
    log_dir: Path | None = None,
    config_file: Path | None = None,
    root: Path = ROOT,
) -> Iterator[Server]:
    """Serve the demo app with ``workers`` gunicorn sync workers on a free port.

    ``config`` is passed (as JSON) to :func:`benchmarks.wsgi.app_from_env`, so
    each worker builds ``create_app(config)`` itself, exactly as a deployment
    with an app factory does. ``root`` is the checkout served (another one, an
    older commit, for a before-and-after comparison).
    """
    port = free_port()
    log = (log_dir or Path(config.get("INSTANCE_PATH", "/tmp"))) / f"gunicorn-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HAVEN_BENCH_CONFIG": json.dumps(config, default=str),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(root / "components"), str(root), os.environ.get("PYTHONPATH")])
        ),
    }
    # A config file (a deployment's own) chooses the worker class; without
    # one, sync workers, gunicorn's default and the worst case.
    worker_args = ["-c", str(config_file)] if config_file else ["--worker-class", "sync"]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        *worker_args,
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "256",
        "--timeout",
        "30",
        "--graceful-timeout",
        "3",
        "--log-level",
        "warning",
        "benchmarks.wsgi:app_from_env()",
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_ready(server, ready_path, workers, start_timeout)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(server: Server, path: str, workers: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{server.log.read_text()}")
        try:
            if request(server, "GET", path).status < 500 and len(server.worker_pids()) >= workers:
                # Every worker answers once before we measure or test.
                for _ in range(workers * 2):
                    request(server, "GET", path)
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {timeout}s:\n{server.log.read_text()}")


@dataclass
class Reply:
    """What the load client saw for one request."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float
    set_cookies: list[str] = field(default_factory=list)


def request(
    server: Server,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 15.0,
) -> Reply:
    """One HTTP request on a fresh connection (sync workers close it anyway)."""
    host, port = server.host_port
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    start = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        return Reply(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            data,
            elapsed,
            response.headers.get_all("Set-Cookie") or [],
        )
    finally:
        connection.close()


@dataclass
class LoadResult:
    """The outcome of one bounded burst."""

    replies: list[Reply]
    errors: list[str]
    seconds: float
    cpu_seconds: float | None

    @property
    def per_second(self) -> float:
        return len(self.replies) / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.cpu_seconds is None or not self.replies:
            return None
        return 1000 * self.cpu_seconds / len(self.replies)

    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for reply in self.replies:
            counts[reply.status] = counts.get(reply.status, 0) + 1
        return counts


class _Tally:
    """The replies and errors of several client threads, gathered under one lock."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()

    def error(self, text: str) -> None:
        with self._lock:
            self.errors.append(text)

    def send(self, request_one: Callable[[], Reply]) -> None:
        """Send one request; its reply, or the failure to get one, is counted."""
        try:
            reply = request_one()
        except Exception as error:  # a refused or dropped connection is a finding
            self.error(f"{type(error).__name__}: {error}")
            return
        with self._lock:
            self.replies.append(reply)


def _measured(server: Server, tally: _Tally, load: Callable[[], None]) -> LoadResult:
    """Run ``load`` and return what ``tally`` gathered, with its wall time and the
    server's CPU seconds over it."""
    cpu_before = server.cpu_seconds()
    start = time.perf_counter()
    load()
    seconds = time.perf_counter() - start
    cpu_after = server.cpu_seconds()
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return LoadResult(tally.replies, tally.errors, seconds, cpu)


def burst(
    server: Server,
    jobs: Sequence[Callable[[Server], Reply]],
    *,
    concurrency: int = 8,
    time_limit: float = 60.0,
) -> LoadResult:
    """Run every job (a function sending one request) from ``concurrency`` threads.

    Bounded twice: by the number of jobs and by ``time_limit`` (jobs not
    started by then are skipped and counted as errors, so a hung server fails
    a test instead of hanging it).
    """
    tally = _Tally()
    deadline = time.monotonic() + time_limit

    def run(job: Callable[[Server], Reply]) -> None:
        if time.monotonic() > deadline:
            tally.error("not started: time limit reached")
        else:
            tally.send(lambda: job(server))

    def load() -> None:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(run, jobs))

    return _measured(server, tally, load)


def load_for(
    server: Server, path: str, *, concurrency: int = 4, seconds: float = 3.0
) -> LoadResult:
    """Load ``path`` from ``concurrency`` threads, each sending one request after
    another until ``seconds`` have passed; every reply and the server's CPU.

    Two of these run at once against two servers (:func:`benchmarks.render.run_server`)
    meet the same load from the rest of the machine, moment by moment, so the
    ratio of what each served is fair even on a busy machine.
    """
    tally = _Tally()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            tally.send(lambda: request(server, "GET", path))

    def load() -> None:
        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    return _measured(server, tally, load)


def get(path: str, headers: dict[str, str] | None = None) -> Callable[[Server], Reply]:
    """A job that loads ``path``."""
    return lambda server: request(server, "GET", path, headers=headers)
