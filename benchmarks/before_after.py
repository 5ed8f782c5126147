"""The chrome's cost before and after a change: this checkout against an older commit.

The older commit is unpacked with ``git archive`` into a temporary folder (the
repository is only read), then the same measurements run against both, in
turns (old, new, old, new...), so both meet the same load on a shared machine:

- in-process CPU, per page and per component: :mod:`benchmarks.parts` (this
  checkout's file) in a fresh process whose ``PYTHONPATH`` is the checkout's;
- requests/s and server CPU under gunicorn: :func:`benchmarks.render.run_server`
  serving each checkout.

``python -m benchmarks.before_after d30e9ba`` prints the figures as JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import render

ROOT = Path(__file__).resolve().parent.parent
PARTS = Path(__file__).resolve().parent / "parts.py"
# The last commit before issue 21 (the chrome kept, no per-visitor token).
BEFORE_CHROME_CACHE = "d30e9ba"


@contextlib.contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """Commit ``rev`` of this repository, unpacked in a temporary folder."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="haven-before-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


def parts_of(root: Path, *, rounds: int, requests: int, number: int) -> dict[str, Any]:
    """:mod:`benchmarks.parts` run against the checkout at ``root``, in a fresh process."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root / "components"), str(root)]),
    }
    output = subprocess.run(
        [
            sys.executable,
            str(PARTS),
            "--rounds",
            str(rounds),
            "--requests",
            str(requests),
            "--number",
            str(number),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


@dataclass
class Side:
    """One checkout's figures, gathered over its turns."""

    page: list[dict[str, Any]] = field(default_factory=list)
    macros: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    servers: list[render.ServerComparison] = field(default_factory=list)

    def add_parts(self, result: dict[str, Any]) -> None:
        self.page.append(result["page"])
        for macro in result["macros"]:
            key = (macro["component"], macro["example"])
            self.macros.setdefault(key, []).append(macro["kept_us"])

    def summary(self) -> dict[str, Any]:
        return {
            "in_process_ratio": statistics.median(p["ratio"] for p in self.page),
            "in_process_with_us": statistics.median(p["with_us"] for p in self.page),
            "in_process_without_us": statistics.median(p["without_us"] for p in self.page),
            "server_ratio": statistics.median(s.ratio for s in self.servers)
            if self.servers
            else None,
            "server_cpu_ratio": statistics.median(
                s.cpu_ratio for s in self.servers if s.cpu_ratio is not None
            )
            if any(s.cpu_ratio for s in self.servers)
            else None,
            "macros": {f"{c}/{e}": statistics.median(v) for (c, e), v in self.macros.items()},
        }


def compare(
    rev: str = BEFORE_CHROME_CACHE,
    *,
    turns: int = 2,
    rounds: int = 8,
    requests: int = 300,
    number: int = 200,
    server_seconds: float = 3.0,
    server_rounds: int = 6,
    progress: Any = None,
) -> dict[str, dict[str, Any]]:
    """Both checkouts' summaries: ``{"before": {...}, "after": {...}}``."""
    sides = {"before": Side(), "after": Side()}
    with checkout(rev) as old:
        roots = {"before": old, "after": ROOT}
        for turn in range(turns):
            for name in ("before", "after") if turn % 2 == 0 else ("after", "before"):
                if progress:
                    which = rev if name == "before" else "this checkout"
                    progress(f"{name} ({which}), turn {turn + 1} of {turns}")
                sides[name].add_parts(
                    parts_of(roots[name], rounds=rounds, requests=requests, number=number)
                )
                if server_rounds:
                    sides[name].servers.append(
                        render.run_server(server_seconds, server_rounds, root=roots[name])
                    )
    return {name: side.summary() for name, side in sides.items()}


if __name__ == "__main__":
    revision = sys.argv[1] if len(sys.argv) > 1 else BEFORE_CHROME_CACHE
    print(json.dumps(compare(revision, progress=lambda m: print(m, file=sys.stderr)), indent=2))
