"""Sustained load on the demo under gunicorn: errors and worker memory over time.

python -m benchmarks.load                    # 30 s on each of /, /cookies, /feedback, /components/
python -m benchmarks.load --seconds 5        # a quick check (prints only with --no-write)

The acceptance test of issue 17: two gunicorn sync workers on 127.0.0.1, one
page at a time for a fixed time, from a client of 8 threads that each send
one request after another on a new connection until the time is up (and
never more than ``--max-requests`` in all: the loop is bounded twice). Every
reply is checked: status 200 and a complete page (it ends with ``</html>``);
anything else, a refused or dropped connection included, is an error. The
workers' resident memory (``VmRSS`` from ``/proc``) is sampled every second.
The script exits 1 if there was any error, or if a worker's RSS grew by more
than ``--rss-growth-mb`` from the end of the first page's run to the end.

The table it prints is kept in docs/performance.md between the
``load-benchmark`` markers (the main benchmark run keeps that block).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from demo_app import create_app

from . import servers

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- load-benchmark:start -->", "<!-- load-benchmark:end -->"
PAGES = ["/", "/cookies", "/feedback", "/components/"]
THREADS = 8


@dataclass
class PageRun:
    """One page's run: every reply's outcome and the workers' memory."""

    path: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # pid -> RSS in MB at the start and end of the run.
    rss_start: dict[int, float] = field(default_factory=dict)
    rss_end: dict[int, float] = field(default_factory=dict)
    rss_peak: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)


def rss_mb(pid: int) -> float | None:
    """A process's resident set size in MB (Linux), or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def worker_rss(server: servers.Server) -> dict[int, float]:
    found = {pid: rss_mb(pid) for pid in server.worker_pids()}
    return {pid: mb for pid, mb in found.items() if mb is not None}


def run_page(server: servers.Server, path: str, seconds: float, max_requests: int) -> PageRun:
    """Load ``path`` from THREADS threads until ``seconds`` pass or ``max_requests`` are sent."""
    run = PageRun(path, rss_start=worker_rss(server))
    lock = threading.Lock()
    sent = 0
    stop = threading.Event()
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal sent
        while time.monotonic() < deadline:
            with lock:
                if sent >= max_requests:
                    return
                sent += 1
            try:
                reply = servers.request(server, "GET", path, timeout=10)
            except Exception as error:  # a refused or dropped connection is a finding
                with lock:
                    run.errors.append(f"{type(error).__name__}: {error}")
                continue
            complete = reply.body.rstrip().endswith(b"</html>")
            with lock:
                if reply.status == 200 and complete:
                    run.latencies.append(reply.seconds)
                else:
                    run.errors.append(f"status {reply.status}, complete page: {complete}")

    def sample() -> None:
        while not stop.wait(1.0):
            run.rss_peak = max([run.rss_peak, *worker_rss(server).values()])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    clients = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    run.seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    run.rss_end = worker_rss(server)
    run.rss_peak = max([run.rss_peak, *run.rss_end.values()])
    return run


def _rss(values: dict[int, float]) -> str:
    return " / ".join(f"{mb:.1f}" for _, mb in sorted(values.items()))


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="per page (default 30)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per page, at most")
    parser.add_argument("--rss-growth-mb", type=float, default=3.0)
    parser.add_argument("--no-write", action="store_true", help="print only")
    options = parser.parse_args(argv)

    runs: list[PageRun] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="haven-load-") as tmp:
        instance = Path(tmp) / "instance"
        create_app({"INSTANCE_PATH": str(instance)})  # the shared secret key, as --preload would
        with servers.gunicorn({"INSTANCE_PATH": str(instance)}, workers=2) as server:
            # Each worker has served every page before memory is compared.
            for path in PAGES * 4:
                servers.request(server, "GET", path)
            pids = sorted(server.worker_pids())
            first = worker_rss(server)
            for path in PAGES:
                runs.append(run_page(server, path, options.seconds, options.max_requests))
                run = runs[-1]
                print(
                    f"{path}: {run.requests} requests in {run.seconds:.1f} s, {len(run.errors)} "
                    f"errors, RSS {_rss(run.rss_start)} -> {_rss(run.rss_end)} MB",
                    file=sys.stderr,
                    flush=True,
                )
            replaced = sorted(server.worker_pids()) != pids
            last = worker_rss(server)

    errors = sum(len(run.errors) for run in runs)
    total = sum(run.requests for run in runs)
    # Growth after the first page's run, when every worker has warmed up.
    settled = runs[0].rss_end
    growth = max((last.get(pid, 0.0) - mb for pid, mb in settled.items()), default=0.0)
    from .__main__ import _commit, _machine

    about = (
        f"`python -m benchmarks.load`: the demo under gunicorn, 2 sync workers on 127.0.0.1,"
        f" {options.seconds:g} s on each page in turn from a client of {THREADS} threads (one"
        " request after another, a new connection each, at most"
        f" {options.max_requests:,} per page). An error is any status but 200, a page"
        " cut short, or a refused or dropped connection. RSS is each worker's `VmRSS`,"
        " sampled every second; where two figures are given they are the two workers."
        f" Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{_commit()}`, on {_machine()};"
        f" load average {load_before:.1f} when it started (the client shares the machine)."
    )
    lines = [
        START,
        "## Sustained load",
        "",
        *textwrap.wrap(about, 100, break_on_hyphens=False),
        "",
        "| page | requests | requests/s | errors | median ms | p95 ms "
        "| worker RSS at start, MB | at end, MB | peak, MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        lines.append(
            f"| `{run.path}` | {run.requests:,} | {run.requests / run.seconds:.0f} "
            f"| {len(run.errors)} "
            f"| {1000 * statistics.median(run.latencies or [0]):.1f} "
            f"| {1000 * _percentile(run.latencies, 0.95):.1f} "
            f"| {_rss(run.rss_start)} | {_rss(run.rss_end)} | {run.rss_peak:.1f} |"
        )
    verdict = (
        f"**{errors} errors in {total:,} requests.** Worker RSS before the first run"
        f" {_rss(first)} MB, after the last {_rss(last)} MB: at most"
        f" {growth:+.1f} MB after the first page's run"
        f" (limit {options.rss_growth_mb:g} MB)."
        + (" A worker was replaced during the run." if replaced else " No worker was replaced.")
    )
    lines += ["", *textwrap.wrap(verdict, 100, break_on_hyphens=False), END]
    block = "\n".join(lines)
    print(block)
    if not options.no_write:
        write_block(REPORT, block, START, END)
    ok = errors == 0 and growth <= options.rss_growth_mb and not replaced
    return 0 if ok else 1


def write_block(report: Path, block: str, start: str, end: str) -> None:
    """Put ``block`` (from ``start`` to ``end``) into the report, replacing the old one."""
    text = report.read_text(encoding="utf-8")
    if start in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        marker = "\n## Reproduce"
        if marker in text:
            head, rest = text.split(marker, 1)
            text = head.rstrip("\n") + "\n\n" + block + "\n" + marker + rest
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
