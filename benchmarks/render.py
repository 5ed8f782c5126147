"""Server render cost: `/` with all the chrome against the same page without it.

Three measures, each comparing pairs measured side by side, interleaved:

- :func:`run_server`: the demo app under gunicorn (sync workers, one per
  core) on 127.0.0.1, loaded by a threaded Python client with a fixed number
  of requests per round; rounds of the pages interleaved (their order
  alternating), so they share any noise on the machine. Reports requests/s
  (the median round, and the median of the per-round ratios) and, because on
  a small shared machine the Python client and other work distort wall time,
  the server's own CPU time per request (read from ``/proc``).
- :func:`run_in_process`: the same pages straight through the WSGI app in
  this process, by CPU time (:func:`benchmarks.parts.page_cpu`).
- :func:`run_macros`: the CPU time to render each YAML example through its
  macro, kept and anew (:func:`benchmarks.parts.macro_times`).
"""

from __future__ import annotations

import os
import statistics
import tempfile
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
    # Requests per server CPU-second, with ÷ without, over all rounds.
    cpu_ratio: float | None
    rounds: int


def run_server(
    requests_per_round: int = 400,
    rounds: int = 3,
    concurrency: int = 8,
    root: Path = servers.ROOT,
) -> ServerComparison:
    """Requests/s of ``/`` with and without the components, and of the bare article.

    Two gunicorn servers run side by side (only one is loaded at a time): the
    demo as shipped, and the demo with every component switched off in its
    config, so both serve the same template, layout and article. The bare
    page (the article alone, no layout) is the floor. ``root`` is the
    checkout served (an older commit, for a before-and-after comparison).
    """
    workers = max(2, os.cpu_count() or 2)
    pages = [
        ("`/` with all components", "on", "/"),
        ("`/` with the components switched off", "off", "/"),
        ("the article alone, no layout (floor)", "off", "/_bench/bare"),
    ]
    seen: dict[str, list[servers.LoadResult]] = {name: [] for name, _, _ in pages}
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        on = {"INSTANCE_PATH": str(Path(tmp) / "on")}
        off = {"INSTANCE_PATH": str(Path(tmp) / "off"), **components_off()}
        with (
            servers.gunicorn(on, workers=workers, root=root) as server_on,
            servers.gunicorn(off, workers=workers, root=root) as server_off,
        ):
            chosen = {"on": server_on, "off": server_off}
            for round_number in range(rounds):
                # With first, then without first: neither always meets a warmer machine.
                order = pages[:2] if round_number % 2 == 0 else pages[1::-1]
                for name, which, path in [*order, pages[2]]:
                    seen[name].append(
                        servers.burst(
                            chosen[which],
                            [servers.get(path)] * requests_per_round,
                            concurrency=concurrency,
                            time_limit=120,
                        )
                    )
    results = [_summary(name, path, seen[name]) for name, _, path in pages]
    with_runs, without_runs = seen[pages[0][0]], seen[pages[1][0]]
    ratios = [a.per_second / b.per_second for a, b in zip(with_runs, without_runs, strict=True)]
    with_cpu, without_cpu = results[0].cpu_ms, results[1].cpu_ms
    return ServerComparison(
        results=results,
        ratio=statistics.median(ratios),
        ratio_low=min(ratios),
        ratio_high=max(ratios),
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
    return ServerResult(
        name,
        path,
        len(runs[0].replies) if runs else 0,
        statistics.median(run.per_second for run in runs),
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
