"""Content-Security-Policy in Chromium, Firefox and WebKit.

Every test in this folder fails on a violation (see ``conftest.py``). This one
proves that the check can see one: an inline script, which our policy
forbids, must be blocked and reported in each engine.
"""

from __future__ import annotations

import pytest

from flask_haven.testing.engines import CspReportCollector, Engine


@pytest.mark.csp_violation_expected
def test_an_inline_script_is_blocked_and_reported(
    haven_engine: Engine, csp_reports: CspReportCollector
) -> None:
    haven_engine.open("/")
    haven_engine.run(
        """const script = document.createElement('script')
           script.textContent = 'window.__inlineRan = true'
           document.body.append(script)"""
    )
    assert haven_engine.run("return window.__inlineRan === undefined"), "the inline script ran"
    reports = csp_reports.wait_for_report()
    assert any("script-src" in report for report in reports), reports
    listened = haven_engine.wait_until(haven_engine.csp_violations)
    assert any("script-src" in v for v in listened), listened
