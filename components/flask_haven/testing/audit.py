"""``python -m flask_haven.testing.audit URL... [--json report.json]``: audit any site.

In the spirit of pa11y-ci: for each URL, in a fresh browser context (no
cookies), it checks

- ``csp``: the page sends a strict Content-Security-Policy and the browser
  reported no violation;
- ``cookies-before-choice``: nothing non-essential stored before a choice;
- ``axe``: no WCAG 2.2 A/AA violation;
- ``reject-as-prominent``: reject is on the banner's first layer, the same
  kind of control as accept, comparable in size and contrast, one action;
- ``cookies-after-refusal``: nothing non-essential stored after refusing.

It prints a readable summary, writes a JSON report with ``--json``, and exits
1 if any check failed (2 for a usage error), so CI can gate on it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._support import settings
from .axe import WCAG_22_AA_TAGS, run_axe
from .compliance import (
    check_nothing_after_refusal,
    check_nothing_before_choice,
    check_reject_as_prominent,
    find_banner_controls,
)
from .csp import strict_csp_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHECKS = ("csp", "cookies-before-choice", "axe", "reject-as-prominent", "cookies-after-refusal")


@dataclass
class CheckResult:
    """One check on one URL."""

    name: str
    problems: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class PageResult:
    """Every check on one URL."""

    url: str
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


def audit_page(
    browser: Browser,
    url: str,
    *,
    essential: Any = None,
    skip: tuple[str, ...] = (),
) -> PageResult:
    """Run every check not in ``skip`` on ``url`` in a fresh context."""
    from .watch import PageWatch, watch_context

    started = time.monotonic()
    result = PageResult(url)
    context = browser.new_context()
    watch_context(context, site=url)
    page = context.new_page()
    try:
        response = page.goto(url, wait_until="load")
    except Exception as error:  # an unreachable URL is a result, not a crash
        result.checks.append(CheckResult("load", [f"could not load {url}: {error}"]))
        context.close()
        return result
    _settle(page)

    def run(name: str, check: Callable[[], CheckResult]) -> None:
        if name not in skip:
            result.checks.append(check())

    def csp() -> CheckResult:
        header = response.headers.get("content-security-policy") if response else None
        problems = strict_csp_problems(header, where=page.url)
        problems += [str(v) for v in PageWatch.of(page).violations]
        return CheckResult("csp", problems, {"header": header})

    def axe() -> CheckResult:
        violations = run_axe(page, tags=WCAG_22_AA_TAGS)["violations"]
        problems = [
            f"{v['id']} ({v.get('impact')}): {v['help']} at "
            + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"])
            + _first_summary(v)
            for v in violations
        ]
        return CheckResult("axe", problems, {"violations": _trim(violations)})

    # Look for the banner once, for as long as a page object would; if there
    # is none, the banner checks need not wait for it again.
    accept, reject = find_banner_controls(page)
    banner_wait = settings.presence_timeout if accept or reject else 1
    run("csp", csp)
    run(
        "cookies-before-choice",
        lambda: CheckResult("cookies-before-choice", check_nothing_before_choice(page, essential)),
    )
    run("axe", axe)
    run(
        "reject-as-prominent",
        lambda: CheckResult(
            "reject-as-prominent", check_reject_as_prominent(page, timeout=banner_wait)
        ),
    )
    # After the prominence check has refused, the banner is either still
    # shown (found at once) or gone: no need to wait for it.
    refusal_wait = 1 if "reject-as-prominent" not in skip else banner_wait
    run(
        "cookies-after-refusal",
        lambda: CheckResult(
            "cookies-after-refusal",
            check_nothing_after_refusal(page, essential, timeout=refusal_wait),
        ),
    )
    context.close()
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _settle(page: Page) -> None:
    # Let trackers and banners run their first scripts before judging.
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=settings.wait_timeout)


def _first_summary(violation: dict[str, Any]) -> str:
    # The first node's fix summary carries the figures (contrast ratios…).
    for node in violation["nodes"]:
        summary = " ".join((node.get("failureSummary") or "").split()[:40])
        if summary:
            return f" ({summary})"
    return ""


def _trim(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "helpUrl": v["helpUrl"],
            "nodes": [
                {
                    "target": n["target"],
                    "html": n.get("html", ""),
                    "failureSummary": n.get("failureSummary", ""),
                }
                for n in v["nodes"]
            ],
        }
        for v in violations
    ]


def report(results: list[PageResult]) -> dict[str, Any]:
    """The JSON report: overall result, then each URL's checks."""
    return {
        "tool": "flask-haven audit",
        "passed": all(r.passed for r in results),
        "summary": {
            "urls": len(results),
            "failed": sum(not r.passed for r in results),
            "problems": sum(len(c.problems) for r in results for c in r.checks),
        },
        "results": [
            {
                "url": r.url,
                "passed": r.passed,
                "seconds": r.seconds,
                "checks": [{**asdict(c), "passed": c.passed} for c in r.checks],
            }
            for r in results
        ],
    }


def summary(results: list[PageResult]) -> str:
    """A readable summary: one line per URL, then each failed check's problems."""
    lines = []
    for result in results:
        lines.append(f"{'PASS' if result.passed else 'FAIL'} {result.url}")
        for check in result.checks:
            if check.passed:
                continue
            lines.append(f"  {check.name}:")
            lines += [f"    - {problem}" for problem in check.problems]
    failed = sum(not r.passed for r in results)
    lines.append(f"{len(results)} URL(s) audited, {failed} failed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, audit each URL, print the summary, write the report."""
    parser = argparse.ArgumentParser(
        prog="python -m flask_haven.testing.audit",
        description="Cookie-consent (UK ICO), accessibility (axe) and CSP checks for any site.",
    )
    parser.add_argument("urls", nargs="+", metavar="URL", help="pages to audit")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the report here")
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="a flask-haven cookie policy (YAML) saying which cookies are essential",
    )
    parser.add_argument(
        "--essential",
        action="append",
        metavar="NAME",
        help="a cookie or storage key that is essential (repeatable, * wildcards)",
    )
    parser.add_argument("--skip", action="append", choices=CHECKS, default=[], help="skip a check")
    options = parser.parse_args(argv)
    essential: Any = options.policy or options.essential

    from playwright.sync_api import sync_playwright

    from .browser import ChromiumNotFound, chromium_launch_args

    with sync_playwright() as playwright:
        try:
            launch = chromium_launch_args({}, "chromium", playwright)
        except ChromiumNotFound as error:
            print(f"audit: {error}", file=sys.stderr)
            return 2
        browser = playwright.chromium.launch(**launch)
        results = [
            audit_page(browser, url, essential=essential, skip=tuple(options.skip))
            for url in options.urls
        ]
        browser.close()
    print(summary(results))
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(report(results), indent=2), encoding="utf-8")
        print(f"report: {options.json}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
