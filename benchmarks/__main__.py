"""Run every benchmark and write docs/performance.md."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from . import quick_exit, render, sizes

REPORT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
JS_BUDGET, CSS_BUDGET = 4096, 3072


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60, help="quick exit runs in the browser")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per render measure")
    options = parser.parse_args()

    bundles = sizes.bundle_sizes()
    parts = sizes.part_sizes()
    latency, browser = quick_exit.run(options.runs)
    renders = render.run(options.seconds)

    lines = [
        "# Performance",
        "",
        "Measured by `make benchmark` (`python -m benchmarks`), which rewrites this file.",
        f"Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{_commit()}`, on {_machine()};",
        f"{browser} (headless).",
        "",
        "## Asset weight",
        "",
        f"Budget for the whole library: JS under {JS_BUDGET} B gzip, CSS under {CSS_BUDGET} B gzip",
        "(enforced by `tests/test_assets.py`).",
        "",
        "| file | raw B | gzip B | brotli B |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {s.name} | {s.raw} | {s.gzip} | {s.brotli} |" for s in bundles]
    lines += [
        "",
        "Each part minified on its own (a part's gzip size is a little more than its share",
        "of the bundle, since gzip compresses the bundle as one stream):",
        "",
        "| part | raw B | gzip B | brotli B |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {s.name} | {s.raw} | {s.gzip} | {s.brotli} |" for s in parts]
    lines += [
        "",
        "## Quick exit latency",
        "",
        f"{latency[0].runs} exits from `/`, Escape pressed by Playwright, exit page stubbed",
        "with `page.route`. Target: content hidden within one frame.",
        "",
        "| measure | median ms | p95 ms |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {s.name} | {s.median:.2f} | {s.p95:.2f} |" for s in latency]
    full, bare = renders
    lines += [
        "",
        "## Server render cost",
        "",
        "Requests per second through Flask's test client (no network), best of three.",
        "",
        "| page | requests/s |",
        "| --- | ---: |",
        f"| {full.name} | {full.per_second:.0f} |",
        f"| {bare.name} | {bare.per_second:.0f} |",
        f"| ratio, full ÷ bare (in-process; a real server adds the same fixed cost to both) | "
        f"{full.per_second / bare.per_second:.2f} |",
        "",
        "## Reproduce",
        "",
        "```sh",
        "make benchmark          # or: .venv/bin/python -m benchmarks --runs 60 --seconds 3",
        "```",
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
