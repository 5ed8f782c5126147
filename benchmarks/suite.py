"""What the test suite costs: CPU per test file, and the least wall time the cores allow.

python -m benchmarks.suite              # about 14 minutes; rewrites its block in the report
python -m benchmarks.suite --no-write   # print only (docs/performance.md is the report)

Two runs of the whole suite, on a machine doing nothing else:

1. one worker (``-n 0``), with the CPU time of every test file counted from
   ``/proc/stat`` at each test's start and end. One test runs at a time, so
   everything the machine did meanwhile is that test's: the browsers, the
   servers, the subprocesses and pytest itself;
2. ``make test``'s own run (``-n auto --dist loadfile``), timed.

The first run's CPU divided by the cores is the least wall time any split of
this work over those cores can take: no scheduling can do better, so it says
whether a wall-time target is within reach without removing checks.
Linux only (``/proc/stat``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from .load import write_block

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- suite-benchmark:start -->", "<!-- suite-benchmark:end -->"
TARGET_SECONDS = 180  # issue 14's target for pytest's wall time
LOG = "HAVEN_SUITE_BENCHMARK_LOG"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (every process)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    # user, nice, system, irq, softirq (idle, iowait and steal are not work done here).
    busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
    return busy / os.sysconf("SC_CLK_TCK")


# The plugin half: loaded into the one-worker run with ``-p benchmarks.suite``.
def pytest_runtest_logstart(nodeid: str, location: object) -> None:
    _record(nodeid, "start")


def pytest_runtest_logfinish(nodeid: str, location: object) -> None:
    _record(nodeid, "end")


def _record(nodeid: str, event: str) -> None:
    path = os.environ.get(LOG)
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps([nodeid, event, time.time(), busy_seconds()]) + "\n")


def per_file(log: Path) -> dict[str, tuple[float, float, int]]:
    """Each test file's CPU seconds, wall seconds and test count, from the log."""
    started: dict[str, tuple[float, float]] = {}
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for line in log.read_text(encoding="utf-8").splitlines():
        nodeid, event, wall, cpu = json.loads(line)
        if event == "start":
            started[nodeid] = (wall, cpu)
            continue
        wall0, cpu0 = started.pop(nodeid)
        total = totals[nodeid.split("::")[0]]
        total[0] += cpu - cpu0
        total[1] += wall - wall0
        total[2] += 1
    return {name: (cpu, wall, int(count)) for name, (cpu, wall, count) in totals.items()}


def timed_run(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, machine CPU seconds and exit status of one pytest run."""
    cpu, wall = busy_seconds(), time.monotonic()
    status = subprocess.run(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL).returncode
    return time.monotonic() - wall, busy_seconds() - cpu, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=12, help="files listed (default 12)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    options = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0))
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="haven-suite-") as tmp:
        log = Path(tmp) / "tests.jsonl"
        env = {**os.environ, LOG: str(log)}
        print("suite: the whole suite on one worker (about 8 minutes)", file=sys.stderr)
        serial = timed_run([*PYTEST, "-n", "0", "-p", "benchmarks.suite"], env)
        files = per_file(log)
    print("suite: the whole suite as make test runs it", file=sys.stderr)
    parallel = timed_run([*PYTEST, "-n", "auto", "--dist", "loadfile"], dict(os.environ))
    from .__main__ import _commit, _machine

    floor = serial[1] / cores
    about = (
        "`python -m benchmarks.suite`: the whole suite run twice on an otherwise idle machine,"
        " first on one worker (`-n 0`), with each test file's CPU counted from `/proc/stat`"
        " (every process: browsers, servers, subprocesses, pytest), then as `make test` runs it"
        f" (`-n auto --dist loadfile`). Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit"
        f" `{_commit()}`, on {_machine()}; load average {load_before:.1f} when it started."
    )
    lines = [
        START,
        "## Test suite",
        "",
        *textwrap.wrap(about, 100, break_on_hyphens=False),
        "",
        "| run | pytest wall | CPU, all processes | cores busy | result |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, (wall, cpu, status) in (("one worker", serial), ("`make test`", parallel)):
        result = "passed" if status == 0 else f"exit {status}"
        lines.append(f"| {name} | {wall:.0f} s | {cpu:.0f} s | {cpu / wall:.2f} | {result} |")
    lines += ["", "| test file | CPU s | share | tests |", "| --- | ---: | ---: | ---: |"]
    ranked = sorted(files.items(), key=lambda item: -item[1][0])
    for name, (cpu, _, count) in ranked[: options.top]:
        lines.append(f"| `{name}` | {cpu:.1f} | {cpu / serial[1]:.0%} | {count} |")
    rest = ranked[options.top :]
    lines.append(
        f"| {len(rest)} other files | {sum(f[1][0] for f in rest):.1f} "
        f"| {sum(f[1][0] for f in rest) / serial[1]:.0%} | {sum(f[1][2] for f in rest)} |"
    )
    needed = 1 - TARGET_SECONDS * cores / serial[1]
    verdict = (
        f"**The work takes {serial[1]:.0f} CPU seconds, so on {cores} cores no split of it can"
        f" finish in less than {floor:.0f} s** ({serial[1]:.0f} / {cores}); `make test` took"
        f" {parallel[0]:.0f} s. A pytest wall time of {TARGET_SECONDS} s here would need"
        f" {max(needed, 0):.0%} of the CPU work gone, with both cores kept busy to the last second."
    )
    lines += ["", *textwrap.wrap(verdict, 100, break_on_hyphens=False), END]
    block = "\n".join(lines)
    print(block)
    if not options.no_write:
        write_block(REPORT, block, START, END)
    return 0 if serial[2] == 0 and parallel[2] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
