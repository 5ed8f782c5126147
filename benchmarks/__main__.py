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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import before_after, browser, export, lighthouse, load, quick_exit, render, sizes, suite

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
QUICK_REPORT = ROOT / ".benchmarks" / "performance-quick.md"
JS_BUDGET, CSS_BUDGET = 5120, 4096
RATIO_TARGET = 0.9
LIGHTHOUSE_PAGES = ["/", "/cookies", "/feedback"]


@dataclass(frozen=True)
class Plan:
    """How much of each benchmark to run."""

    exits: int
    seconds: float
    rounds: int
    cpu_rounds: int
    cpu_requests: int
    macro_number: int
    cls_runs: int
    accepts: int
    all_pages: bool
    lighthouse_pages: int


FULL = Plan(exits=60, seconds=3.0, rounds=12, cpu_rounds=20, cpu_requests=200, macro_number=500,
            cls_runs=5, accepts=40, all_pages=True, lighthouse_pages=3)  # fmt: skip
QUICK = Plan(exits=5, seconds=1.0, rounds=2, cpu_rounds=4, cpu_requests=100, macro_number=50,
             cls_runs=1, accepts=3, all_pages=False, lighthouse_pages=1)  # fmt: skip


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


def _ratio_verdict(ratio: float) -> str:
    verdict = "meets" if ratio >= RATIO_TARGET else "misses"
    return f"**{ratio:.2f}** ({verdict} the target of {RATIO_TARGET})"


def _load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def _server_section(plan: Plan, before: str, step: Callable[[str], None]) -> list[str]:
    """The server's cost of the chrome: gunicorn, in-process CPU, each macro, before and after."""
    step("server render cost under gunicorn")
    load_before = _load_average()
    server = render.run_server(plan.seconds, plan.rounds)
    step("in-process CPU, with and without the components")
    in_process = render.run_in_process(plan.cpu_rounds, plan.cpu_requests)
    step("macro render times")
    macros = render.run_macros(number=plan.macro_number)
    switches = ", ".join(f"`{k}={v!r}`" for k, v in render.components_off().items())
    lines = [
        "",
        "## Server render cost",
        "",
        "“With” is the demo's `/` as shipped; “without” is the same page, layout and",
        f"article with every component switched off in the config ({switches}).",
        "The machine is shared with other work (other test suites, browsers), so every",
        "comparison is of a pair measured side by side (at once under gunicorn; in turns,",
        "A, B, A, B…, in process), and in-process figures are CPU time of the process",
        "(`time.process_time`), not wall time: another process's load does not count as ours.",
        f"The machine's load average was {load_before} when this section started, on "
        f"{os.cpu_count()} cores.",
        "",
        "### Under gunicorn",
        "",
        f"Two gunicorn servers ({max(2, os.cpu_count() or 2)} sync workers each) on 127.0.0.1, "
        "with and without the",
        f"components, loaded **side by side**: in each of {server.rounds} rounds, both at once",
        f"for {plan.seconds:g} s, each by 4 client threads (a new connection per request). So both",
        "meet the same load from the rest of the machine at every moment: one after the other, a",
        "round's requests/s on a busy machine is mostly luck. Each served about half of what",
        "it would alone; the ratio is the point. The floor is loaded alone after each round.",
        "Server CPU is the workers' user + system time (from `/proc`), which the client",
        "sharing the machine cannot distort.",
        "",
        "| page | requests/s | server CPU ms per request | statuses |",
        "| --- | ---: | ---: | --- |",
    ]
    for result in server.results:
        cpu = f"{result.cpu_ms:.2f}" if result.cpu_ms is not None else "n/a"
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
        lines.append(f"| {result.name} | {result.per_second:.0f} | {cpu} | {statuses} |")
    lines += [
        "",
        f"Requests/s, with ÷ without the components (median of the {server.rounds} rounds' "
        f"ratios, range {server.ratio_low:.2f} to {server.ratio_high:.2f}; all rounds "
        f"together {server.ratio_total:.2f}): {_ratio_verdict(server.ratio)}."
        + (
            f" Requests per server CPU-second, with ÷ without: {_ratio_verdict(server.cpu_ratio)}."
            if server.cpu_ratio
            else ""
        ),
        "",
        "### In-process CPU",
        "",
        f"The same two pages straight through the WSGI app (no HTTP, no test client), "
        f"{in_process['requests']} requests per round, {in_process['rounds']} rounds in turns; "
        "CPU µs per request (median round):",
        "",
        "| page | CPU µs per request |",
        "| --- | ---: |",
        f"| `/` with all components | {in_process['with_us']:.0f} |",
        f"| `/` with the components switched off | {in_process['without_us']:.0f} |",
        "",
        f"CPU, without ÷ with (median of the rounds' ratios, range "
        f"{in_process['ratio_low']:.2f} to {in_process['ratio_high']:.2f}): "
        f"{_ratio_verdict(in_process['ratio'])}. The best round of each, compared: "
        f"{in_process['ratio_of_best']:.2f}.",
    ]
    if before != "none":
        step(f"before and after, against {before}")
        lines += _before_after_section(before, plan, step)
    lines += [
        "",
        "### Each macro",
        "",
        "CPU µs to render each YAML example through its macro, called from its template's",
        f"module inside a request (median of 5 runs of {plan.macro_number} calls). *Kept*:",
        "what every page after the first pays (the chrome keeps its finished fragments,",
        "`flask_haven/chrome.py`); *anew*: with the kept fragments dropped before each",
        "call, what the first page pays (or every page while Jinja reloads templates, in",
        "debug mode). Only the chrome (quick exit, cookie banner, phase banner) is kept.",
        "",
        "| component | example | kept µs | anew µs |",
        "| --- | --- | ---: | ---: |",
    ]
    lines += [
        f"| {m.component} | {m.example} | {m.kept_us:.1f} | {m.anew_us:.1f} |" for m in macros
    ]
    return lines


def _before_after_section(before: str, plan: Plan, step: Callable[[str], None]) -> list[str]:
    figures = before_after.compare(
        before,
        turns=2 if plan.all_pages else 1,
        rounds=max(plan.cpu_rounds // 2, 2),
        requests=plan.cpu_requests,
        number=max(plan.macro_number // 2, 20),
        server_seconds=plan.seconds,
        server_rounds=max(plan.rounds // 2, 1),
        progress=step,
    )
    old, new = figures["before"], figures["after"]

    def ratio(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else "n/a"

    lines = [
        "",
        "### Before and after",
        "",
        f"Commit `{before}` (before the chrome kept its fragments and the consent forms",
        "dropped their per-visitor token) against this checkout, measured in the same run,",
        "in turns (`python -m benchmarks.before_after`):",
        "",
        "| measure | before | after |",
        "| --- | ---: | ---: |",
        f"| in-process CPU, without ÷ with | {ratio(old['in_process_ratio'])} | "
        f"{ratio(new['in_process_ratio'])} |",
        f"| in-process CPU µs, `/` with all components | {old['in_process_with_us']:.0f} | "
        f"{new['in_process_with_us']:.0f} |",
        f"| in-process CPU µs, `/` without them | {old['in_process_without_us']:.0f} | "
        f"{new['in_process_without_us']:.0f} |",
        f"| gunicorn requests/s, with ÷ without | {ratio(old['server_ratio'])} | "
        f"{ratio(new['server_ratio'])} |",
        f"| gunicorn requests per CPU-second, with ÷ without | "
        f"{ratio(old['server_cpu_ratio'])} | {ratio(new['server_cpu_ratio'])} |",
        "",
        "Each component as a page pays for it (CPU µs per call, kept where kept). Only the",
        "chrome is kept: the other components render as before; “n/a” is an example the",
        "older commit did not have. The first page of each kind (and every page in debug",
        "mode) pays the *anew* figure in the table below.",
        "",
        "| component | example | before µs | after µs |",
        "| --- | --- | ---: | ---: |",
    ]
    for key, after_us in new["macros"].items():
        component, example = key.split("/", 1)
        before_us = old["macros"].get(key)
        shown = f"{before_us:.1f}" if before_us is not None else "n/a"
        lines.append(f"| {component} | {example} | {shown} | {after_us:.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small, fast smoke run")
    parser.add_argument("--output", type=Path, help="where to write the report")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["npm", "browser", "server", "lighthouse"]
    )
    parser.add_argument(
        "--before",
        default=before_after.BEFORE_CHROME_CACHE,
        help="an older commit to compare the server cost with (`none` to skip)",
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
        lines += _server_section(plan, options.before, step)

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
    # .load and .suite): they take minutes and are run on their own.
    previous = output.read_text(encoding="utf-8") if output.exists() else ""
    for start, end in [(part.START, part.END) for part in (load, export, suite)]:
        if start in previous:
            kept = previous.split(start, 1)[1].split(end, 1)[0]
            lines += ["", start + kept + end]
    lines += [
        "",
        "## Reproduce",
        "",
        "```sh",
        "make benchmark                  # = .venv/bin/python -m benchmarks (about 10 minutes)",
        ".venv/bin/python -m benchmarks --quick   # smoke run, writes .benchmarks/",
        ".venv/bin/python -m benchmarks --before none   # without the before-and-after runs",
        ".venv/bin/python -m benchmarks.before_after d30e9ba   # that comparison alone, as JSON",
        "PYTHONPATH=. .venv/bin/python benchmarks/parts.py   # in-process CPU alone, as JSON",
        ".venv/bin/python -m benchmarks.load      # sustained load (2 min; exit 1 on an error)",
        ".venv/bin/python -m benchmarks.export    # stored rows against time and memory (10 min)",
        ".venv/bin/python -m benchmarks.suite     # what the test suite costs (14 min)",
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
