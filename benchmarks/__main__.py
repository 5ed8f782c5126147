"""Run every benchmark and write docs/performance.md.

python -m benchmarks            # the full run; rewrites docs/performance.md
python -m benchmarks --quick    # a smoke run in about a minute; writes
                                # .benchmarks/performance-quick.md instead
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import browser, export, lighthouse, load, quick_exit, render, sizes

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
QUICK_REPORT = ROOT / ".benchmarks" / "performance-quick.md"
JS_BUDGET, CSS_BUDGET = 5120, 3072
RATIO_TARGET = 0.9
LIGHTHOUSE_PAGES = ["/", "/cookies", "/feedback"]


@dataclass(frozen=True)
class Plan:
    """How much of each benchmark to run."""

    exits: int
    requests: int
    rounds: int
    macro_number: int
    cls_runs: int
    accepts: int
    all_pages: bool
    lighthouse_pages: int


FULL = Plan(exits=60, requests=1000, rounds=5, macro_number=500, cls_runs=5, accepts=40,
            all_pages=True, lighthouse_pages=3)  # fmt: skip
QUICK = Plan(exits=5, requests=200, rounds=1, macro_number=50, cls_runs=1, accepts=3,
             all_pages=False, lighthouse_pages=1)  # fmt: skip


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


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _commit() -> str:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "components", "demo_app")
    return f"{commit} (with uncommitted changes to the library)" if dirty else commit


def _site_pages() -> list[str]:
    """The demo's own pages that exist in this checkout (the cookies and feedback
    pages arrive with their components)."""
    from demo_app import create_app

    app = create_app({"INSTANCE_PATH": str(ROOT / ".benchmarks" / "instance")})
    client = app.test_client()
    return [path for path in LIGHTHOUSE_PAGES if client.get(path).status_code == 200]


def _pages(plan: Plan) -> list[str]:
    from tests.page_list import SITE_PAGES, all_pages

    pages = all_pages() if plan.all_pages else list(SITE_PAGES)
    return pages + [p for p in _site_pages() if p not in pages]


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small, fast smoke run")
    parser.add_argument("--output", type=Path, help="where to write the report")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["npm", "browser", "server", "lighthouse"]
    )
    options = parser.parse_args(argv)
    plan = QUICK if options.quick else FULL
    output = options.output or (QUICK_REPORT if options.quick else REPORT)
    started = time.monotonic()
    command = "python -m benchmarks" + (" --quick" if options.quick else "")

    def step(name: str) -> None:
        print(f"[{time.monotonic() - started:5.0f}s] {name}", file=sys.stderr, flush=True)

    step("asset weight")
    bundles = sizes.bundle_sizes()
    parts = sizes.part_sizes()
    theirs = [] if "npm" in options.skip else sizes.npm_sizes()

    lines = [
        "# Performance",
        "",
        f"Written by `{command}` (`make benchmark` runs the full set).",
        f"Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{_commit()}`,",
        f"on {_machine()}.",
        "The machine is shared with other work, so absolute numbers are noisy; the",
        "comparisons (each pair measured in the same run, interleaved) are the point.",
        "",
        "## Asset weight",
        "",
        f"Budget for the whole library: JS under {JS_BUDGET} B gzip, CSS under {CSS_BUDGET} B gzip",
        "(enforced by `tests/test_assets.py`). gzip is level 9, brotli quality 11.",
        "",
        "| file | raw B | gzip B | brotli B |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| flask-haven {s.name} | {s.raw} | {s.gzip} | {s.brotli} |" for s in bundles]
    total_gzip = sum(s.gzip for s in bundles)
    total_brotli = sum(s.brotli for s in bundles)
    lines += [f"| **flask-haven, JS + CSS** | {sum(s.raw for s in bundles)} | "
              f"{total_gzip} | {total_brotli} |"]  # fmt: skip
    lines += [
        "",
        "### Next to what a site would use instead",
        "",
        "Fetched from the npm registry in this run (`npm pack <name>`, latest version),",
        "measured the same way. These are each package's prebuilt, minified browser",
        "files, which is what a site without a build step of its own serves. GOV.UK",
        "Frontend's bundle holds every GOV.UK component (a site can build a smaller one",
        "from its Sass and ES modules); vanilla-cookieconsent is the cookie banner alone.",
        "",
    ]
    if not theirs:
        lines += ["Skipped in this run (`--skip npm`).", ""]
    else:
        lines += [
            "| package | file | raw B | gzip B | brotli B | gzip x ours |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        ours = {"js": bundles[[b.name for b in bundles].index("bundle (js)")].gzip,
                "css": bundles[[b.name for b in bundles].index("bundle (css)")].gzip}  # fmt: skip
        for package in theirs:
            if package.problem:
                lines.append(f"| {package.package} | not measured: {package.problem} | | | | |")
                continue
            for s in package.sizes:
                kind = "css" if s.name.endswith(".css") else "js"
                lines.append(
                    f"| {package.package} {package.version} | `{s.name}` | {s.raw} | {s.gzip} | "
                    f"{s.brotli} | {s.gzip / ours[kind]:.1f} |"
                )
            gz = sum(s.gzip for s in package.sizes)
            lines.append(
                f"| **{package.package}, JS + CSS** | | {sum(s.raw for s in package.sizes)} | "
                f"{gz} | {sum(s.brotli for s in package.sizes)} | {gz / total_gzip:.1f} |"
            )
        lines.append("")
    lines += [
        "### Each part of ours",
        "",
        "Each source file minified on its own (a part's gzip size is a little more than",
        "its share of the bundle, since gzip compresses the bundle as one stream):",
        "",
        "| part | raw B | gzip B | brotli B |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {s.name} | {s.raw} | {s.gzip} | {s.brotli} |" for s in parts]

    if "server" not in options.skip:
        step("server render cost under gunicorn")
        full, off, bare = render.run_server(plan.requests, plan.rounds)
        step("macro render times")
        macros = render.run_macros(number=plan.macro_number)
        ratio = full.per_second / off.per_second
        # Requests per server CPU-second, with ÷ without.
        cpu_ratio = off.cpu_ms / full.cpu_ms if full.cpu_ms and off.cpu_ms else None
        verdict = "meets" if ratio >= RATIO_TARGET else "misses"
        lines += [
            "",
            "## Server render cost",
            "",
            f"The demo app under gunicorn ({max(2, os.cpu_count() or 2)} sync workers) on",
            f"127.0.0.1; a Python client with 8 threads sends {plan.requests} requests per",
            f"round, a new connection each; {plan.rounds} round(s) of each page, interleaved;",
            "best round shown. Server CPU is the workers' user + system time over the round",
            "(from `/proc`), so it is not distorted by the client sharing the machine.",
            "“Switched off” is the same demo page and layout with every component turned",
            f"off in the config ({', '.join(f'`{k}={v!r}`' for k, v in render.components_off().items())}).",  # noqa: E501
            "",
            "| page | requests/s | server CPU ms per request | statuses |",
            "| --- | ---: | ---: | --- |",
        ]
        for result in (full, off, bare):
            cpu = f"{result.cpu_ms:.2f}" if result.cpu_ms is not None else "n/a"
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
            lines.append(f"| {result.name} | {result.per_second:.0f} | {cpu} | {statuses} |")
        lines += [
            "",
            f"Ratio of requests/s, with ÷ without the components: **{ratio:.2f}** ({verdict}"
            f" the target of {RATIO_TARGET})."
            + (
                f" Requests per server CPU-second, with ÷ without: **{cpu_ratio:.2f}**."
                if cpu_ratio
                else ""
            ),
            "",
            "### Each macro",
            "",
            "Median time to render each YAML example through its macro (`timeit`, template",
            f"compiled once, {plan.macro_number} renders x 5 repeats, inside a request context):",
            "",
            "| component | example | µs per render |",
            "| --- | --- | ---: |",
        ]
        lines += [f"| {m.component} | {m.example} | {m.microseconds:.1f} |" for m in macros]

    if "browser" not in options.skip:
        step("quick exit latency, side by side with GOV.UK Frontend")
        latency, version = quick_exit.run(plan.exits, progress=step)
        lines += [
            "",
            "## Browser",
            "",
            f"{version.split(',')[0]}, headless, driven by Playwright.",
            "",
            "### Quick exit latency, side by side with GOV.UK Frontend",
            "",
            "Ours and GOV.UK Frontend's Exit this page, measured in the same run. Target:",
            "content hidden within one frame, and medians no slower than GOV.UK's.",
            "",
            *quick_exit.section(latency, version),
        ]
        if browser.has_cookie_banner():
            step("cookie banner accept latency")
            accept = browser.run_accept(plan.accepts)
            lines += [
                "",
                "### Cookie banner accept latency",
                "",
                f"{accept[0].runs} fresh visits to `/`, “Accept additional cookies” clicked by",
                "Playwright; the banner posts with `fetch` to the demo server (Werkzeug, in",
                "process, consent log in SQLite) and shows the confirmation when it answers.",
                "",
                "| measure | median ms | p95 ms |",
                "| --- | ---: | ---: |",
            ]
            lines += [f"| {s.name} | {s.median:.2f} | {s.p95:.2f} |" for s in accept]
        else:
            lines += ["", "### Cookie banner accept latency", "", "Not in this checkout yet."]
        step("layout shift")
        pages = _pages(plan)
        states = browser.CONSENT_STATES if browser.has_cookie_banner() else None
        shifts, _ = browser.run_cls(pages, runs=plan.cls_runs, states=states)
        worst = max(s.worst for s in shifts)
        states = sorted({s.state for s in shifts})
        lines += [
            "",
            "### Layout shift",
            "",
            f"CLS (sum of `layout-shift` entries without recent input) on {len(pages)} pages",
            f"({'every demo page, gallery page and example preview' if plan.all_pages else 'the site pages'}),"  # noqa: E501
            f" {plan.cls_runs} load(s) each, per viewport and consent state ({', '.join(states)}).",
            f"Target: 0 everywhere. **Worst seen: {worst:g}.**",
            "",
            "| page | state | viewport | runs | median | p95 | worst |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| `{s.path}` | {s.state} | {s.viewport} | {s.summary.runs} | "
            f"{s.summary.median:g} | {s.summary.p95:g} | {s.worst:g} |"
            for s in shifts
        ]
        moved = [s for s in shifts if s.worst > 0]
        if moved:
            lines += [
                "",
                "What moved, where any shift was seen (elements named by the browser):",
                "",
            ]
            lines += [
                f"- `{s.path}`, {s.state}, {s.viewport}: {', '.join(f'`{n}`' for n in s.shifted)}"
                for s in moved
            ]

    if "lighthouse" not in options.skip:
        step("lighthouse")
        wanted = LIGHTHOUSE_PAGES[: plan.lighthouse_pages]
        present = _site_pages()
        audits, lh_version = lighthouse.run([p for p in wanted if p in present])
        lines += [
            "",
            "## Lighthouse",
            "",
            f"Lighthouse {lh_version or '(not run)'} from npm, with the system Chromium",
            f"(`CHROME_PATH`, `{lighthouse.CHROME_FLAGS}`), default mobile profile with",
            "simulated throttling, against the demo app under gunicorn. Scores out of 100;",
            "“below 0.9” lists the scored audits that did not pass.",
            "",
            "| page | accessibility | best practices | performance | audits below 0.9 |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for audit in audits:
            if audit.problem:
                lines.append(f"| `{audit.path}` | not run: {audit.problem} | | | |")
                continue
            s = audit.scores
            failing = ", ".join(f"`{a}`" for a in audit.failing) or "none"
            lines.append(
                f"| `{audit.path}` | {s['accessibility']} | {s['best-practices']} | "
                f"{s['performance']} | {failing} |"
            )
        for path in wanted:
            if path not in present:
                lines.append(f"| `{path}` | not run: no such page in this checkout | | | |")

    # Keep the sections the long benchmarks maintain (python -m benchmarks.export,
    # python -m benchmarks.load): they take minutes and are run on their own.
    previous = output.read_text(encoding="utf-8") if output.exists() else ""
    for start, end in ((load.START, load.END), (export.START, export.END)):
        if start in previous:
            kept = previous.split(start, 1)[1].split(end, 1)[0]
            lines += ["", start + kept + end]
    lines += [
        "",
        "## Reproduce",
        "",
        "```sh",
        "make benchmark                  # = .venv/bin/python -m benchmarks (about 5 minutes)",
        ".venv/bin/python -m benchmarks --quick   # smoke run, writes .benchmarks/",
        ".venv/bin/python -m benchmarks.load      # sustained load (2 min; exit 1 on an error)",
        ".venv/bin/python -m benchmarks.export    # stored rows against time and memory (10 min)",
        "```",
        "",
        "Needs the dev extra (`pip install -e '.[dev]'`, which brings gunicorn and brotli),",
        "Chromium (`make browser`) and, for the comparison and Lighthouse, `npm` with",
        "access to the npm registry; without `npm` those sections say so and the rest runs.",
        "",
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines), encoding="utf-8")
    step(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
