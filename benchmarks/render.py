"""Server render cost: `/` with all the chrome against the same page without it.

Three measures, each comparing pairs measured side by side, interleaved:

- :func:`run_server`: the demo app under gunicorn (sync workers, one per
  core) on 127.0.0.1, with and without the components loaded side by side
  (at the same time) by a threaded Python client, so both meet the same load
  from the rest of a shared machine. Reports requests/s and the server's own
  CPU time per request (read from ``/proc``).
- :func:`run_in_process`: the same pages straight through the WSGI app in
  this process, by CPU time (:func:`benchmarks.parts.page_cpu`).
- :func:`run_macros`: the CPU time to render each YAML example through its
  macro, kept and anew (:func:`benchmarks.parts.macro_times`).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import parts, servers
from .parts import components_off

__all__ = ["components_off", "run_in_process", "run_macros", "run_server"]


@dataclass(frozen=True)
class ServerResult:
    """One page under the real server, over every round."""

    name: str
    path: str
    requests: int
    per_second: float
    cpu_ms: float | None
    statuses: dict[int, int]


@dataclass(frozen=True)
class ServerComparison:
    """The pages under gunicorn, and the with ÷ without ratios."""

    results: list[ServerResult]
    # Median over rounds of (requests/s with) ÷ (requests/s without), and its range.
    ratio: float
    ratio_low: float
    ratio_high: float
    # All rounds together: (requests ÷ seconds with) ÷ (requests ÷ seconds without).
    ratio_total: float
    # Requests per server CPU-second, with ÷ without, over all rounds.
    cpu_ratio: float | None
    rounds: int


def run_server(
    seconds: float = 3.0,
    rounds: int = 3,
    concurrency: int = 4,
    root: Path = servers.ROOT,
) -> ServerComparison:
    """Requests/s of ``/`` with and without the components, side by side.

    Two gunicorn servers: the demo as shipped, and the demo with every
    component switched off in its config, so both serve the same template,
    layout and article. In each round both are loaded *at the same time* for
    ``seconds``, ``concurrency`` client threads each: they share the machine
    and whatever else runs on it moment by moment, so what each served in the
    same wall time compares fairly (one after the other, a busy machine makes
    a round's figure mostly luck). The bare page (the article alone, no
    layout) is the floor, loaded alone after each round. ``root`` is the
    checkout served (an older commit, for a before-and-after comparison).
    """
    workers = max(2, os.cpu_count() or 2)
    names = (
        "`/` with all components",
        "`/` with the components switched off",
        "the article alone, no layout (floor)",
    )
    seen: dict[str, list[servers.LoadResult]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        on = {"INSTANCE_PATH": str(Path(tmp) / "on")}
        off = {"INSTANCE_PATH": str(Path(tmp) / "off"), **components_off()}
        with (
            servers.gunicorn(on, workers=workers, root=root) as server_on,
            servers.gunicorn(off, workers=workers, root=root) as server_off,
        ):
            for _ in range(rounds):
                side_by_side: dict[str, servers.LoadResult] = {}

                def load(
                    name: str,
                    server: servers.Server,
                    into: dict[str, servers.LoadResult] = side_by_side,
                ) -> None:
                    into[name] = servers.load_for(
                        server, "/", concurrency=concurrency, seconds=seconds
                    )

                threads = [
                    threading.Thread(target=load, args=(names[0], server_on)),
                    threading.Thread(target=load, args=(names[1], server_off)),
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                for name, result in side_by_side.items():
                    seen[name].append(result)
                seen[names[2]].append(
                    servers.load_for(
                        server_off, "/_bench/bare", concurrency=concurrency, seconds=seconds / 2
                    )
                )
    paths = ("/", "/", "/_bench/bare")
    results = [_summary(name, path, seen[name]) for name, path in zip(names, paths, strict=True)]
    with_runs, without_runs = seen[names[0]], seen[names[1]]
    ratios = [
        len(a.replies) / len(b.replies)
        for a, b in zip(with_runs, without_runs, strict=True)
        if b.replies
    ]
    with_cpu, without_cpu = results[0].cpu_ms, results[1].cpu_ms
    return ServerComparison(
        results=results,
        ratio=statistics.median(ratios),
        ratio_low=min(ratios),
        ratio_high=max(ratios),
        ratio_total=sum(len(r.replies) for r in with_runs)
        / max(1, sum(len(r.replies) for r in without_runs)),
        cpu_ratio=without_cpu / with_cpu if with_cpu and without_cpu else None,
        rounds=rounds,
    )


def _summary(name: str, path: str, runs: list[servers.LoadResult]) -> ServerResult:
    statuses: dict[int, int] = {}
    for run in runs:
        for status, count in run.statuses().items():
            statuses[status] = statuses.get(status, 0) + count
    cpu = [run.cpu_seconds for run in runs]
    replies = sum(len(run.replies) for run in runs)
    cpu_ms = (
        1000 * sum(c for c in cpu if c is not None) / replies
        if replies and all(c is not None for c in cpu)
        else None
    )
    seconds = sum(run.seconds for run in runs)
    return ServerResult(
        name,
        path,
        replies,
        replies / seconds if seconds else 0.0,
        cpu_ms,
        statuses,
    )


def run_in_process(rounds: int = 12, requests: int = 300) -> dict[str, Any]:
    """CPU µs per request of ``/`` with and without the components, in this process."""
    return parts.page_cpu(rounds, requests)


@dataclass(frozen=True)
class MacroResult:
    """CPU time to render one YAML example through its macro."""

    component: str
    example: str
    kept_us: float
    anew_us: float


def run_macros(number: int = 300, repeat: int = 5) -> list[MacroResult]:
    """Every example of every component, kept and anew (see :func:`parts.macro_times`)."""
    return [
        MacroResult(m["component"], m["example"], m["kept_us"], m["anew_us"])
        for m in parts.macro_times(number, repeat)
    ]
