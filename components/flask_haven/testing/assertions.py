"""Assertions for a QA team's Playwright tests.

Each failure message lists everything that went wrong, with what was expected
and what was found, so a red test says what to fix without a debugging session.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .axe import WCAG_22_AA_TAGS, describe_violations, run_axe, write_report
from .csp import strict_csp_problems

if TYPE_CHECKING:
    from playwright.sync_api import APIResponse, BrowserContext, Page, Response

    from .watch import PageWatch


def assert_accessible(
    page: Page,
    *,
    context: Any = None,
    disable: Iterable[str] = (),
    tags: Iterable[str] = WCAG_22_AA_TAGS,
    rules: Iterable[str] | None = None,
    impact: str = "minor",
) -> None:
    """Run axe-core on ``page`` and fail on any violation.

    ``tags`` picks the rules (WCAG 2.2 AA by default); ``rules`` runs only the
    rules named; ``disable`` turns named rules off, for a site with a
    documented reason; ``impact`` ("minor", "moderate", "serious" or
    "critical") ignores violations below it; ``context`` limits the audit (an
    axe context such as ``"#main-content"``). Unknown rule or tag names raise
    ``ValueError`` before axe runs. On failure axe's JSON is written to the
    test's output folder and the message gives its path.
    """
    results = run_axe(page, context=context, tags=tags, rules=rules, disable=disable, impact=impact)
    violations = results["violations"]
    if violations:
        path = write_report(page.url, results)
        raise AssertionError(f"{describe_violations(page.url, violations)}\naxe JSON: {path}")


def _watch(page: Page) -> PageWatch:
    from .watch import PageWatch

    return PageWatch.of(page)


def assert_no_csp_violations(page: Page) -> None:
    """Fail if the site sent no Content-Security-Policy, or the browser reported a violation.

    Looks at every document the page loaded from the site under test (the
    plugin's ``base_url``): a page with no policy enforces nothing, so "no
    violations" would mean nothing. Each violation is one line: directive,
    what was blocked (URL, or inline code with its sample) and where.
    Needs the plugin's page watcher, which every ``page`` fixture gets.
    """
    watch = _watch(page)
    problems = [
        f"no Content-Security-Policy on {doc.url}: nothing is enforced, so there is "
        "nothing to violate (send a policy; see assert_strict_csp)"
        for doc in watch.site_documents()
        if not doc.csp and not _has_meta_csp(page, doc.url)
    ]
    problems += [str(v) for v in watch.violations]
    if problems:
        listing = "\n".join(f"- {p}" for p in dict.fromkeys(problems))
        raise AssertionError(f"Content-Security-Policy violations:\n{listing}")


def _has_meta_csp(page: Page, url: str) -> bool:
    # A <meta http-equiv> policy can only be seen on the document still shown.
    if page.url != url:
        return False
    found: bool = page.evaluate(
        "() => !!document.querySelector('meta[http-equiv=\"Content-Security-Policy\" i]')"
    )
    return found


def assert_strict_csp(page_or_response: Page | Response | APIResponse | str | None) -> None:
    """Fail unless the policy is strict.

    Strict: a ``Content-Security-Policy`` header is sent; no
    ``'unsafe-inline'`` or ``'unsafe-eval'`` in ``script-src``, ``style-src``
    or ``default-src``; scripts from named sources only; ``object-src``,
    ``base-uri`` and ``frame-ancestors`` set. Takes a ``Page`` (the header of
    the document it shows), a ``Response`` from ``page.goto``, an
    ``APIResponse`` from ``page.request.get``, or the header text itself.
    """
    header, where = _csp_header(page_or_response)
    problems = strict_csp_problems(header, where=where)
    if problems:
        listing = "\n".join(f"- {p}" for p in problems)
        raise AssertionError(f"the Content-Security-Policy of {where} is not strict:\n{listing}")


def _csp_header(subject: Any) -> tuple[str | None, str]:
    if subject is None or isinstance(subject, str):
        return subject, "the policy given"
    if hasattr(subject, "goto"):  # a Page: the document it shows now
        from .watch import PageWatch

        try:
            documents = PageWatch.of(subject).documents
        except RuntimeError:
            documents = []
        for doc in reversed(documents):
            if doc.url == subject.url:
                return doc.csp, subject.url
        response = subject.request.get(subject.url)
        return response.headers.get("content-security-policy"), subject.url
    headers: dict[str, str] = subject.headers
    return headers.get("content-security-policy"), subject.url


def assert_no_console_errors(page: Page) -> None:
    """Fail if any page this ``page`` showed logged a console error or threw.

    Left out: "Failed to load resource" for documents the test opened itself
    (a ``goto`` of a 404 page, a form post answered with 400), the browser's
    own favicon request, and errors a ``haven_allow_console_errors`` marker on
    the test allows.
    """
    errors = _watch(page).unexpected_errors()
    if errors:
        listing = "\n".join(f"- {e}" for e in errors)
        raise AssertionError(f"console errors:\n{listing}")


def assert_no_non_essential_cookies(context: BrowserContext, policy: Any) -> None:
    """Fail if ``context`` holds any cookie the policy does not list as essential.

    ``policy`` is a :class:`flask_haven.consent.Policy` (or a path or dict for
    :func:`flask_haven.consent.load_policy`). A cookie the policy does not
    list at all fails too: an unlisted cookie is non-essential until someone
    decides otherwise. For storage as well as cookies, and for sites without
    a policy, see :func:`assert_nothing_set_before_choice`.
    """
    from ..consent.policy import load_policy

    policy = load_policy(policy)
    offending = [
        f"{cookie['name']} ({cookie.get('domain')}{cookie.get('path')})"
        for cookie in context.cookies()
        if not policy.is_essential_cookie(cookie["name"])
    ]
    if offending:
        raise AssertionError("non-essential cookies before consent:\n- " + "\n- ".join(offending))
