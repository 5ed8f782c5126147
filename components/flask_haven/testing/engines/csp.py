"""Collect Content-Security-Policy violation reports, in any engine.

A ``securitypolicyviolation`` listener added by a test sees only violations
after it was added: Firefox and WebKit (through WebDriver) cannot run a
script before the page's own. A ``report-uri`` has no such gap: every engine
POSTs a report for every violation, the page's load included.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class CspReportCollector:
    """WSGI middleware: adds ``report-uri`` to the app's CSP and keeps the reports.

    Wrap the app a test server serves (``LiveServer(CspReportCollector(app))``)
    and check :attr:`reports` after each test. The policy itself is unchanged,
    so what is blocked is what a visitor's browser blocks.
    """

    def __init__(self, app: WSGIApp, *, path: str = "/_haven-test/csp-report") -> None:
        self.app = app
        self.path = path
        self.reports: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == self.path and environ.get("REQUEST_METHOD") == "POST":
            return self._receive(environ, start_response)

        def start_with_report_uri(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            headers = [
                (name, f"{value}; report-uri {self.path}")
                if name.lower() == "content-security-policy"
                else (name, value)
                for name, value in headers
            ]
            return start_response(status, headers, *rest)

        return self.app(environ, start_with_report_uri)

    def _receive(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b"{}"
        try:
            report = json.loads(body or b"{}")
        except ValueError:
            report = {"unparsed": body.decode("utf-8", "replace")}
        with self._lock:
            self.reports.append(report.get("csp-report", report))
        start_response("204 No Content", [])
        return [b""]

    def take(self) -> list[str]:
        """The reports received since the last call, as one line each, and forget them."""
        with self._lock:
            taken, self.reports = self.reports, []
        return [describe_report(report) for report in taken]

    def wait_for_report(self, timeout: float = 10) -> list[str]:
        """Wait up to ``timeout`` seconds for at least one report; then :meth:`take`."""
        deadline = time.monotonic() + timeout
        while not self.reports and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.take()


def describe_report(report: dict[str, Any]) -> str:
    """``"script-src-elem blocked inline on http://…/"`` from a CSP report body."""
    directive = report.get("violated-directive") or report.get("effective-directive") or "?"
    blocked = report.get("blocked-uri") or "inline"
    return f"{directive} blocked {blocked} on {report.get('document-uri', '?')}"
