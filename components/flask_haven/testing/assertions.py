"""Assertions for a QA team's Playwright tests.

Each failure message lists everything that went wrong, so a red test says
what to fix without a debugging session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

# axe-core tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_22_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")


def assert_accessible(page: Page, *, context: Any = None, disable: tuple[str, ...] = ()) -> None:
    """Run axe-core on ``page`` (WCAG 2.2 AA rules) and fail on any violation.

    ``context`` limits the audit (an axe context such as ``"#main-content"``);
    ``disable`` turns off named rules, for a site that has a reason to.
    """
    from axe_playwright_python.sync_playwright import Axe

    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": list(WCAG_22_AA_TAGS)},
        "resultTypes": ["violations"],
    }
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    results = Axe().run(page, context=context, options=options)
    violations = results.response["violations"]
    if violations:
        raise AssertionError(_describe_violations(page.url, violations))


def _describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
    return "\n".join(lines)


def _watch(page: Page) -> Any:
    from .watch import PageWatch

    return PageWatch.of(page)


def assert_no_csp_violations(page: Page) -> None:
    """Fail if any page this ``page`` showed reported a Content-Security-Policy violation.

    Needs the plugin's page watcher, which every ``page`` fixture gets.
    """
    violations = _watch(page).csp_violations
    if violations:
        listing = "\n".join(f"- {v}" for v in violations)
        raise AssertionError(f"Content-Security-Policy violations:\n{listing}")


def assert_no_console_errors(page: Page) -> None:
    """Fail if any page this ``page`` showed logged a console error or threw."""
    errors = _watch(page).errors
    if errors:
        listing = "\n".join(f"- {e}" for e in errors)
        raise AssertionError(f"console errors:\n{listing}")


def assert_no_non_essential_cookies(context: BrowserContext, policy: Any) -> None:
    """Fail if ``context`` holds any cookie the policy does not list as essential.

    ``policy`` is a :class:`flask_haven.consent.Policy`. A cookie the policy
    does not list at all fails too: an unlisted cookie is non-essential until
    someone decides otherwise.
    """
    offending = [
        f"{cookie['name']} ({cookie.get('domain')}{cookie.get('path')})"
        for cookie in context.cookies()
        if not policy.is_essential_cookie(cookie["name"])
    ]
    if offending:
        raise AssertionError("non-essential cookies before consent:\n- " + "\n- ".join(offending))
