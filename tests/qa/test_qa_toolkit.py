"""The QA toolkit as a QA team meets it, in one batch of subprocesses.

The test project in project/ (public API only) runs twice: against the demo
(its ``haven_app``) and, with ``--base-url``, against a plain static site while
``haven_app`` is still defined, so every message naming the static site's URL
also shows that ``--base-url`` won. The audit command runs on the demo and on a
deceptive site. All four run at once (they mostly wait on browsers), and the
tests below read their reports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from demo_app import create_app
from flask_haven.testing.plugin import LiveServer

from ..project_runs import QUIET_PLUGINS
from .sites import PLAIN_SITE, StaticSite, deceptive_app

pytestmark = pytest.mark.e2e

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
PROJECT = HERE / "project"


@dataclass
class Run:
    """One finished subprocess and where its report is."""

    returncode: int
    output: str
    report: Path
    seconds: float


@dataclass
class Batch:
    demo_url: str
    plain_url: str
    bad_url: str
    plain_output: Path
    runs: dict[str, Run]


def junit_cases(path: Path) -> dict[str, dict[str, Any]]:
    """``{test name: {"time": seconds of the call, "failure": text or None}}``."""
    cases = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        name = case.attrib["name"].removesuffix("[chromium]")
        cases[name] = {
            "time": float(case.attrib["time"]),
            "failure": None if failure is None else (failure.text or ""),
        }
    return cases


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Batch]:
    work = tmp_path_factory.mktemp("qa")
    demo = LiveServer(create_app({"INSTANCE_PATH": work / "instance"})).start()
    plain = StaticSite(PLAIN_SITE).start()
    bad = LiveServer(deceptive_app()).start()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    project = [sys.executable, "-m", "pytest", *QUIET_PLUGINS, "-c", str(PROJECT / "pytest.ini")]
    project += ["--rootdir", str(PROJECT), "-q", "-o", "junit_duration_report=call"]
    audit = [sys.executable, "-m", "flask_haven.testing.audit"]
    commands = {
        # test_toolkit.py checks the toolkit itself, the same on any site: it
        # runs once, in the plain-site run.
        "project-demo": [
            *project,
            str(PROJECT / "test_site.py"),
            "--junitxml",
            str(work / "demo.xml"),
        ],
        "project-plain": [
            *project,
            str(PROJECT),
            "--base-url",
            plain.url,
            "--output",
            str(work / "plain-results"),
            "--junitxml",
            str(work / "plain.xml"),
        ],
        "audit-demo": [
            *audit,
            demo.url + "/",
            demo.url + "/cookies",
            "--json",
            str(work / "a.json"),
        ],
        "audit-bad": [*audit, bad.url + "/", "--json", str(work / "b.json")],
    }
    reports = {
        "project-demo": work / "demo.xml",
        "project-plain": work / "plain.xml",
        "audit-demo": work / "a.json",
        "audit-bad": work / "b.json",
    }
    began = time.monotonic()
    started = {
        name: subprocess.Popen(
            command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for name, command in commands.items()
    }
    runs = {}
    for name, process in started.items():
        output, _ = process.communicate(timeout=300)
        runs[name] = Run(process.returncode, output, reports[name], time.monotonic() - began)
    # Shown with -s: how long each run took (they overlap).
    print({name: round(run.seconds, 1) for name, run in runs.items()})
    yield Batch(demo.url, plain.url, bad.url, work / "plain-results", runs)
    for server in (demo, plain, bad):
        server.stop()


def test_the_project_passes_against_the_demo(batch: Batch) -> None:
    run = batch.runs["project-demo"]
    assert run.returncode == 0, run.output
    cases = junit_cases(run.report)
    assert len(cases) == 10 and all(c["failure"] is None for c in cases.values()), run.output


def test_base_url_wins_and_a_plain_site_fails_fast_saying_what_is_missing(batch: Batch) -> None:
    run = batch.runs["project-plain"]
    cases = junit_cases(run.report)
    url = batch.plain_url
    missing = {
        "test_quick_exit_leaves_for_good": (
            f"no quick exit on {url}/ (looked for a link named 'Leave this site' for 2.0 s)"
        ),
        "test_phase_banner_links_to_feedback": (
            f"no phase banner on {url}/ (looked for a tag reading 'Alpha' or 'Beta' for 2.0 s)"
        ),
        "test_feedback_is_checked_then_sent": (
            f"no feedback form on {url}/feedback (looked for a text box named 'Your feedback'"
        ),
        "test_refusing_cookies_is_remembered": (
            f"no cookie banner on {url}/ (looked for a region named 'Cookies on …'"
        ),
        # wait_for_enhancement fails fast too, on a page with nothing to enhance.
        "test_cookie_settings_can_allow_analytics": (
            f"no flask-haven component to enhance on {url}/cookies "
            '(looked for an element with data-module="haven-…" for 2.0 s)'
        ),
    }
    for name, message in missing.items():
        assert message in (cases[name]["failure"] or ""), (name, cases[name])
        # About the 2 s presence timeout, never Playwright's 30 s.
        assert cases[name]["time"] < 8, (name, cases[name]["time"])

    strict = cases["test_policy_is_strict"]["failure"] or ""
    assert f"no Content-Security-Policy header on {url}/: the browser enforces nothing" in strict
    no_policy = cases["test_no_csp_violations"]["failure"] or ""
    assert f"- no Content-Security-Policy on {url}/: nothing is enforced" in no_policy

    axe = cases["test_home_page_is_accessible"]["failure"] or ""
    assert f"axe found 1 accessibility violation(s) on {url}/:" in axe
    assert "- color-contrast (serious)" in axe
    assert "    at .faint\n" in axe
    assert '<p class="faint">Small print nobody can read.</p>' in axe
    assert "contrast of 1.91 (foreground color: #bbbbbb, background color: #ffffff" in axe
    (written,) = batch.plain_output.rglob("axe-*.json")
    assert f"axe JSON: {written}" in axe
    assert json.loads(written.read_text())["violations"][0]["id"] == "color-contrast"

    # The rest pass on any site: the toolkit's own behaviour, a page with no
    # banner and nothing stored, and a 404 the test opened on purpose.
    expected_failures = {*missing, "test_policy_is_strict", "test_no_csp_violations"}
    expected_failures.add("test_home_page_is_accessible")
    failed = {name for name, case in cases.items() if case["failure"] is not None}
    assert failed == expected_failures, run.output
    assert len(cases) == 18


def audit_report(run: Run) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(run.report.read_text())
    return report


def test_the_audit_passes_the_demo(batch: Batch) -> None:
    run = batch.runs["audit-demo"]
    assert run.returncode == 0, run.output
    report = audit_report(run)
    assert report["passed"] is True
    assert [r["url"] for r in report["results"]] == [
        batch.demo_url + "/",
        batch.demo_url + "/cookies",
    ]
    for result in report["results"]:
        assert [c["name"] for c in result["checks"]] == [
            "csp",
            "cookies-before-choice",
            "axe",
            "reject-as-prominent",
            "cookies-after-refusal",
        ]
        assert all(c["passed"] for c in result["checks"]), result
    assert f"PASS {batch.demo_url}/\n" in run.output
    assert "2 URL(s) audited, 0 failed" in run.output


def test_the_audit_fails_a_deceptive_banner_with_clear_messages(batch: Batch) -> None:
    run = batch.runs["audit-bad"]
    assert run.returncode == 1, run.output
    report = audit_report(run)
    assert report["passed"] is False
    (result,) = report["results"]
    problems = {c["name"]: "\n".join(c["problems"]) for c in result["checks"]}
    url = batch.bad_url
    assert problems["csp"].startswith(f"no Content-Security-Policy header on {url}/")
    assert (
        f"set before any choice on {url}/: cookie _ga (127.0.0.1/)"
        in problems["cookies-before-choice"]
    )
    assert "localStorage 'tracking_id'" in problems["cookies-before-choice"]
    assert "color-contrast (serious)" in problems["axe"]
    prominence = problems["reject-as-prominent"]
    assert (
        "reject is not the same kind of control as accept: accept is a button "
        "'Accept all cookies'" in prominence
    )
    assert "reject is a link 'reject'" in prominence
    assert "reject is smaller than accept" in prominence
    assert "reject's text contrast is 1.7:1 (#c8c8c8 on #ffffff), below 4.5:1" in prominence
    assert (
        f"refusing takes more than one action: 'reject' led from {url}/ to {url}/settings"
        in prominence
    )
    assert "set after a refusal" in problems["cookies-after-refusal"]
    assert "cookie _ga" in problems["cookies-after-refusal"]
    assert f"FAIL {url}/\n  csp:\n    - no Content-Security-Policy header" in run.output
