"""Costs against the number of stored rows: exports, purge and the schema upgrade.

python -m benchmarks.export                       # 250,000 / 500,000 / 1,000,000 rows
python -m benchmarks.export --rows 10000 20000    # a quick check

Each size gets a fresh SQLite database holding that many feedback rows and
as many consent-log rows, filled directly (fast, in batches). Then the real
commands run, each in its own process with its output sent to /dev/null:

- ``flask haven export-feedback``, as CSV and as JSON;
- ``flask haven db upgrade`` from revision 0001 (the database is put back to
  0001 first, as a site on the previous release has it), which builds the
  consent log's time index over every row;
- ``flask haven purge`` with every row past its retention, which deletes them
  all, a batch of 1,000 at a time.

Wall time on a shared machine swings with the other work on it, so each
command's CPU time (user + system, from ``wait4``) is recorded too: CPU
microseconds per row staying level from one size to the next is what shows
the cost is linear. Peak memory is the process's ``ru_maxrss``. The section
it writes is kept in docs/performance.md between the ``export-benchmark``
markers (the main benchmark run keeps that block).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from demo_app import create_app

from .load import write_block

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- export-benchmark:start -->", "<!-- export-benchmark:end -->"
BATCH = 10_000
# Old enough for any retention setting: purge deletes every row.
OLD = "2020-01-01 12:00:00.000000"


@dataclass(frozen=True)
class Cost:
    """One command's run: wall seconds, CPU seconds and peak RSS in MB."""

    seconds: float
    cpu: float
    peak_mb: float

    def per_row_us(self, rows: int, start_up: Cost) -> float:
        """CPU microseconds per row beyond what the same command costs on no rows."""
        return 1e6 * max(0.0, self.cpu - start_up.cpu) / rows


def fill(instance: Path, rows: int) -> None:
    """Create the tables with the app, then insert ``rows`` feedback and consent-log rows."""
    with create_app({"INSTANCE_PATH": str(instance)}).app_context():
        from flask_haven.db import get_engine

        get_engine().dispose()
    answers = json.dumps({"satisfaction": "satisfied"})
    choices = json.dumps({"analytics": True, "preferences": False})
    with sqlite3.connect(instance / "haven.sqlite3") as db:
        for start in range(0, rows, BATCH):
            numbers = range(start, min(rows, start + BATCH))
            db.executemany(
                "INSERT INTO haven_feedback (created_at, text, answers, return_to) "
                "VALUES (?, ?, ?, ?)",
                [
                    (OLD, f"Feedback number {i}: the opening times table was clear.", answers, "/")
                    for i in numbers
                ],
            )
            db.executemany(
                "INSERT INTO haven_consent_log (id, choices, policy_version, created_at) "
                "VALUES (?, ?, ?, ?)",
                [(f"record-{i:012d}", choices, "1", OLD) for i in numbers],
            )


def back_to_revision_0001(instance: Path) -> None:
    """The schema as revision 0001 left it: no consent-log time index yet."""
    with sqlite3.connect(instance / "haven.sqlite3") as db:
        db.execute("DROP INDEX ix_haven_consent_log_created_at")
        db.execute("UPDATE haven_alembic_version SET version_num = '0001'")


def run_command(instance: Path, *args: str) -> Cost:
    """Run ``flask haven <args>`` on the demo in its own process; measure it."""
    app = f"demo_app:create_app({{'INSTANCE_PATH': {str(instance)!r}}})"
    command = [sys.executable, "-m", "flask", "--app", app, "haven", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"flask haven {' '.join(args)} failed with status {process.returncode}")
    return Cost(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _cell(cost: Cost) -> str:
    return f"{cost.seconds:.1f} s ({cost.cpu:.1f} s CPU), {cost.peak_mb:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    parser.add_argument("--no-write", action="store_true", help="print only")
    options = parser.parse_args()
    from .__main__ import _commit

    load = os.getloadavg()[0]
    started = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    about = (
        "`flask haven export-feedback` streams: rows are read from the database in batches of"
        " 1,000 (a server-side cursor on PostgreSQL) and written as they come, and the CSV's"
        " answer columns are found by a first pass over the answers column alone. Before issue"
        " 17, 300,000 rows took 480 to 510 MB peak RSS. `flask haven db upgrade` (here from"
        " revision 0001, building the consent log's time index) lets the database do the work:"
        " no row passes through Python. `flask haven purge` deletes a batch of 1,000 rows per"
        " short transaction (here every row of both tables is past its retention)."
    )
    method = (
        "Measured with `python -m benchmarks.export`: SQLite, as many consent-log rows as"
        " feedback rows, each command in its own process with its output sent to `/dev/null`."
        " Each cell is wall time (CPU time, user + system), then peak RSS (`ru_maxrss`,"
        " interpreter and app included). Wall time depends on what else the shared machine is"
        f" doing (load average {load:.1f} when this run started, {started},"
        f" commit `{_commit()}`); CPU time does not, so **CPU µs"
        " per row** is the measure of linearity: level from one size to the next means the"
        " time is linear in rows. It is counted beyond the same command's cost on an empty"
        " database (the first line: interpreter, app and imports)."
    )
    lines = [
        START,
        "## Costs against stored rows",
        "",
        *textwrap.wrap(about, 100, break_on_hyphens=False),
        "",
        *textwrap.wrap(method, 100, break_on_hyphens=False),
        "",
        "| rows | CSV export | JSON export | db upgrade | purge "
        "| CPU µs per row: CSV / JSON / upgrade / purge |",
        "| ---: | --- | --- | --- | --- | ---: |",
    ]
    peaks: list[float] = []
    per_row_by_size: list[list[float]] = []
    base: tuple[Cost, ...] = ()
    for rows in [0, *options.rows]:
        with tempfile.TemporaryDirectory() as tmp:
            instance = Path(tmp) / "instance"
            fill(instance, rows)
            csv = run_command(instance, "export-feedback", "--format", "csv")
            as_json = run_command(instance, "export-feedback", "--format", "json")
            back_to_revision_0001(instance)
            upgrade = run_command(instance, "db", "upgrade")
            purge = run_command(instance, "purge")
        peaks += [csv.peak_mb, as_json.peak_mb, upgrade.peak_mb, purge.peak_mb]
        if not rows:
            # Start-up (interpreter, app, imports) on an empty database, taken off below.
            base = (csv, as_json, upgrade, purge)
            lines.append(
                f"| 0 (start-up) | {_cell(csv)} | {_cell(as_json)} | {_cell(upgrade)} "
                f"| {_cell(purge)} | |"
            )
            continue
        per_row = [
            csv.per_row_us(rows, base[0]),
            as_json.per_row_us(rows, base[1]),
            upgrade.per_row_us(rows, base[2]),
            purge.per_row_us(2 * rows, base[3]),
        ]
        per_row_by_size.append(per_row)
        lines.append(
            f"| {rows:,} | {_cell(csv)} | {_cell(as_json)} | {_cell(upgrade)} | {_cell(purge)} "
            f"| {' / '.join(f'{us:.1f}' for us in per_row)} |"
        )
        print(lines[-1], flush=True)
    spans = [
        f"{name} {min(column):.1f} to {max(column):.1f}"
        for name, column in zip(
            ("CSV", "JSON", "upgrade", "purge"), zip(*per_row_by_size, strict=True), strict=True
        )
    ]
    verdict = (
        f"CPU µs per row across the sizes: {', '.join(spans)}. "
        f"Highest peak RSS of any command at any size: **{max(peaks):.0f} MB** (target: under 100"
        " MB). The upgrade's CPU per row is per consent-log row (the index it builds); purge's"
        " counts the rows of both tables."
    )
    lines += ["", *textwrap.wrap(verdict, 100, break_on_hyphens=False), END]
    if not options.no_write:
        write_block(REPORT, "\n".join(lines), START, END)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
