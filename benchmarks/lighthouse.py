"""Lighthouse scores (accessibility, best practices, performance) with the system Chromium.

Lighthouse comes from npm into ``.benchmarks/lighthouse/`` (git-ignored; not
a dependency of the project) on first use. Each page is audited against the
demo app under gunicorn, as a visitor would load it, with Lighthouse's
default mobile profile and simulated throttling.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import servers

CACHE = servers.ROOT / ".benchmarks" / "lighthouse"
PACKAGE = "lighthouse@12"
CATEGORIES = ("accessibility", "best-practices", "performance")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


@dataclass(frozen=True)
class Audit:
    """Lighthouse's scores for one page (0-100), or why there are none."""

    path: str
    scores: dict[str, int] = field(default_factory=dict)
    failing: tuple[str, ...] = ()
    problem: str = ""


def _lighthouse() -> tuple[Path | None, str]:
    """The lighthouse CLI, installing it into the cache folder if needed."""
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary, ""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed"
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", PACKAGE],
            capture_output=True,
            check=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"`npm install {PACKAGE}` failed: {error}"
    return (binary, "") if binary.exists() else (None, "lighthouse did not install")


def chromium_path() -> str | None:
    """Chromium for Lighthouse: ``CHROME_PATH`` if set, else the one our tests use."""
    if os.environ.get("CHROME_PATH"):
        return os.environ["CHROME_PATH"]
    from flask_haven.testing.browser import find_chromium

    return find_chromium().path


def run(paths: list[str]) -> tuple[list[Audit], str]:
    """Audit each path; returns the audits and Lighthouse's version (or a problem)."""
    binary, problem = _lighthouse()
    chrome = chromium_path()
    if binary is None or chrome is None:
        problem = problem or "no Chromium found"
        return [Audit(path, problem=problem) for path in paths], ""
    audits, version = [], ""
    env = {**os.environ, "CHROME_PATH": chrome}
    with tempfile.TemporaryDirectory(prefix="haven-lh-") as tmp:
        config = {"INSTANCE_PATH": str(Path(tmp) / "instance")}
        with servers.gunicorn(config, workers=2) as server:
            for path in paths:
                report = Path(tmp) / "report.json"
                command = [
                    str(binary),
                    server.url + path,
                    "--output=json",
                    f"--output-path={report}",
                    f"--chrome-flags={CHROME_FLAGS}",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--quiet",
                ]
                try:
                    subprocess.run(command, env=env, capture_output=True, check=True, timeout=240)
                    data = json.loads(report.read_text())
                except (OSError, ValueError, subprocess.SubprocessError) as error:
                    audits.append(Audit(path, problem=f"lighthouse failed: {error}"[:300]))
                    continue
                version = data.get("lighthouseVersion", "")
                if data.get("runtimeError"):
                    audits.append(Audit(path, problem=str(data["runtimeError"])[:300]))
                    continue
                scores = {
                    key: round(100 * (data["categories"][key]["score"] or 0)) for key in CATEGORIES
                }
                failing = tuple(
                    sorted(
                        audit["id"]
                        for audit in data["audits"].values()
                        if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
                        and audit.get("score") is not None
                        and audit["score"] < 0.9
                    )
                )
                audits.append(Audit(path, scores, failing))
    return audits, version
