"""Running axe-core in a Playwright page, and saying what it found in words a fix needs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._support import settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

# axe-core tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_22_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
IMPACTS = ("minor", "moderate", "serious", "critical")
# What identifies a run in a report, beside the violations.
REPORT_KEYS = ("testEngine", "testRunner", "timestamp", "toolOptions")

_WCAG_LEVEL = re.compile(r"^wcag2\d?a{1,3}$")
_rules_cache: dict[str, set[str]] = {}


def _inject(page: Page) -> None:
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError as missing:
        # Said in words, not a bare traceback: the fix is one install away.
        raise ImportError(
            "axe-core is not installed; install the QA toolkit with "
            "pip install 'flask-haven[testing]'"
        ) from missing

    # page.evaluate is exempt from the page's CSP, so axe runs on strict pages.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)


def known_rules(page: Page) -> tuple[set[str], set[str]]:
    """The rule ids and tags of the axe-core build in use (read once per process)."""
    if not _rules_cache:
        _inject(page)
        rules = page.evaluate(
            "() => axe.getRules().map((rule) => ({id: rule.ruleId, tags: rule.tags}))"
        )
        _rules_cache["rules"] = {rule["id"] for rule in rules}
        _rules_cache["tags"] = {tag for rule in rules for tag in rule["tags"]}
    return _rules_cache["rules"], _rules_cache["tags"]


def validate(page: Page, *, rules: Iterable[str], tags: Iterable[str]) -> None:
    """Raise ``ValueError`` naming any rule or tag axe does not know, before axe runs."""
    valid_rules, valid_tags = known_rules(page)
    unknown_rules = sorted(set(rules) - valid_rules)
    # A WCAG level tag is valid even when this axe build has no rule for it
    # yet (wcag22a today), so a WCAG 2.2 run keeps working as rules arrive.
    unknown_tags = sorted(t for t in set(tags) - valid_tags if not _WCAG_LEVEL.match(t))
    problems = []
    if unknown_rules:
        problems.append(
            f"unknown axe rule(s) {unknown_rules}; valid rules: {', '.join(sorted(valid_rules))}"
        )
    if unknown_tags:
        problems.append(f"unknown axe tag(s) {unknown_tags}; valid tags: {sorted(valid_tags)}")
    if problems:
        raise ValueError("; ".join(problems))


def run_axe(
    page: Page,
    *,
    context: Any = None,
    tags: Iterable[str] = WCAG_22_AA_TAGS,
    rules: Iterable[str] | None = None,
    disable: Iterable[str] = (),
    impact: str = "minor",
) -> dict[str, Any]:
    """axe's violations for ``page`` (below ``impact`` left out), with what
    identifies the run (``testEngine``, ``timestamp`` …); not its passes.

    ``rules`` runs only those rules; otherwise the rules tagged ``tags`` run.
    Every rule and tag is checked first, so a typo is a clear Python error.
    """
    if impact not in IMPACTS:
        raise ValueError(f"impact must be one of {IMPACTS}, not {impact!r}")
    tags, disable = list(tags), list(disable)
    rules = list(rules) if rules is not None else None
    validate(page, rules=[*disable, *(rules or [])], tags=[] if rules else tags)
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    else:
        options["runOnly"] = {"type": "tag", "values": tags}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    _inject(page)
    # Only what is used comes back: axe's whole answer (every rule's passes and
    # inapplicable entries too) is about 40 KB, and Playwright checks each of
    # its values against its protocol on the way, 10 to 20 ms of CPU per run.
    results: dict[str, Any] = page.evaluate(
        """([context, options, keys]) => axe.run(context || document, options)
             .then(results => Object.fromEntries(keys.map(key => [key, results[key]])))""",
        [context, options, ["violations", *REPORT_KEYS]],
    )
    floor = IMPACTS.index(impact)
    results["violations"] = [
        v for v in results["violations"] if IMPACTS.index(v.get("impact") or "minor") >= floor
    ]
    return results


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """One block per rule; under it each node's selector, HTML and what to fix."""
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {_short(node.get('html', ''))}")
            # failureSummary carries axe's figures, such as "contrast of 2.3
            # (foreground color: #aaaaaa, background color: #ffffff …)".
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {summary_line.strip()}")
    return "\n".join(lines)


def _short(html: str, limit: int = 200) -> str:
    html = " ".join(html.split())
    return html if len(html) <= limit else html[: limit - 1] + "…"


def write_report(url: str, results: dict[str, Any], directory: Path | None = None) -> Path:
    """Write axe's JSON for ``url`` under ``directory`` (the test's output folder)."""
    folder = directory or settings.output_dir or Path("test-results")
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", url.split("://", 1)[-1]).strip("-")[:80] or "page"
    path = folder / f"axe-{slug}.json"
    report = {"url": url, "violations": results.get("violations", [])}
    for key in REPORT_KEYS:
        if key in results:
            report[key] = results[key]
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return path
