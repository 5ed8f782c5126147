"""Export cost against the number of stored rows: time and peak memory.

python -m benchmarks.export                      # 100,000 / 300,000 / 1,000,000 rows
python -m benchmarks.export --rows 10000 20000   # a quick check

Each size gets a fresh SQLite database filled directly (fast, in batches),
then the real command, ``flask haven export-feedback`` (CSV and JSON), runs
in its own process with its output sent to /dev/null. The peak resident
memory is that process's ``ru_maxrss``. The table it prints is kept in
docs/performance.md between the ``export-benchmark`` markers (the main
benchmark run keeps that block when it rewrites the page).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo_app import create_app

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- export-benchmark:start -->", "<!-- export-benchmark:end -->"
BATCH = 10_000


def fill(instance: Path, rows: int) -> None:
    """Create the tables with the app, then insert ``rows`` feedback rows."""
    create_app({"INSTANCE_PATH": str(instance)}).test_client().get("/feedback")
    with create_app({"INSTANCE_PATH": str(instance)}).app_context():
        from flask_haven.db import get_engine

        get_engine().dispose()
    answers = json.dumps({"satisfaction": "satisfied"})
    with sqlite3.connect(instance / "haven.sqlite3") as db:
        for start in range(0, rows, BATCH):
            db.executemany(
                "INSERT INTO haven_feedback (created_at, text, answers, return_to) "
                "VALUES (?, ?, ?, ?)",
                [
                    (
                        "2026-11-30 12:00:00.000000",
                        f"Feedback number {i}: the opening times table was clear, thanks.",
                        answers,
                        "/news",
                    )
                    for i in range(start, min(rows, start + BATCH))
                ],
            )


def run_export(instance: Path, output_format: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one ``flask haven export-feedback`` process."""
    app = f"demo_app:create_app({{'INSTANCE_PATH': {str(instance)!r}}})"
    command = [
        sys.executable, "-m", "flask", "--app", app,
        "haven", "export-feedback", "--format", output_format,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"export failed with status {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--no-write", action="store_true", help="print only")
    options = parser.parse_args()
    lines = [
        START,
        "| rows | CSV seconds | CSV peak RSS | JSON seconds | JSON peak RSS | µs per row (CSV) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rows in options.rows:
        with tempfile.TemporaryDirectory() as tmp:
            instance = Path(tmp) / "instance"
            fill(instance, rows)
            csv_s, csv_mb = run_export(instance, "csv")
            json_s, json_mb = run_export(instance, "json")
        lines.append(
            f"| {rows:,} | {csv_s:.1f} | {csv_mb:.0f} MB | {json_s:.1f} | {json_mb:.0f} MB "
            f"| {1e6 * csv_s / rows:.1f} |"
        )
        print(lines[-1], flush=True)
    lines.append(END)
    if not options.no_write:
        text = REPORT.read_text(encoding="utf-8")
        block = "\n".join(lines)
        if START in text:
            head, rest = text.split(START, 1)
            text = head + block + rest.split(END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        REPORT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
