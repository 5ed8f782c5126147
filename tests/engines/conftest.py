"""Cross-engine tests: each test runs in Chromium, Firefox and WebKit.

The demo app is served once for the session, behind a thin WSGI wrapper that
adds what Firefox and WebKit cannot do from the test side (they have no
request interception):

- the exit page, on a second tiny server at ``http://127.0.0.2:<port>/``: the
  quick exit is configured to leave there, a different site from the demo's
  ``127.0.0.1``, so no test depends on a third party's site. (Not
  ``localhost``: Chromium sometimes asks DNS about it, which took 5 s here.);
- a ``report-uri`` on the Content-Security-Policy, so every engine reports
  every violation (the page's load included) to the server;
- a log of the requests the server received (the quick exit's keepalive POST);
- with ``HAVEN_ENGINES_BROKEN_EXIT=1`` in the environment, a deliberately
  broken quick exit: the bundle is served with ``location.replace(…)``
  rewritten to ``location.href = …``. The tests that prove Back skips the
  page left must then fail in every engine (docs/engines.md says how to run
  this check).

Tests take ``haven_engine`` (JavaScript on) or ``haven_engine_nojs`` from the
flask-haven plugin: our own QA tooling, the same a site's QA team uses.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from demo_app import create_app
from flask_haven.feedback import MemoryRateLimitStore
from flask_haven.state import state_of
from flask_haven.testing.engines import CspReportCollector, Engine
from flask_haven.testing.plugin import LiveServer

EXIT_PATH = "/_engines/exit"
BLANK_PATH = "/_engines/blank"
EXIT_PAGE = b"<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
# Set by the demo's analytics script, which may run only after consent.
GATED = "demo_analytics"


def script_set(cookies: dict[str, str], name: str) -> bool:
    """Whether a script set cookie ``name`` (the demo's scripts set ``1``).

    A cookie the server deleted was once seen listed by Firefox with an empty
    value (1 of about 20 runs, not explained): it holds nothing, so only a
    value counts.
    """
    return bool(cookies.get(name))


BLANK_PAGE = b"<!DOCTYPE html><html lang='en'><title>Blank</title></html>"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            # Browser tests: `make unit` (-m "not e2e") leaves them out.
            item.add_marker(pytest.mark.e2e)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "csp_violation_expected: the test causes one on purpose")


def stub_page(body: bytes, start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
    )
    return [body]


def exit_site(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The exit page (the weather), whatever the path."""
    return stub_page(EXIT_PAGE, start_response)


BROKEN_EXIT = os.environ.get("HAVEN_ENGINES_BROKEN_EXIT") == "1"
REPLACE_CALL = re.compile(rb"location\.replace\(([^()]*)\)")


def break_quick_exit(bundle: bytes) -> bytes:
    """The JS bundle with every ``location.replace(x)`` turned into ``location.href = x``.

    Fails loudly if there is none to break: a check that changed nothing
    would prove nothing.
    """
    broken, count = REPLACE_CALL.subn(rb"location.href = (\1)", bundle)
    if not count:
        raise RuntimeError("HAVEN_ENGINES_BROKEN_EXIT: no location.replace( in the bundle")
    return broken


class EngineSite:
    """WSGI: the test-only pages, else the demo app (set later, once the port is known)."""

    def __init__(self, *, broken_exit: bool = False) -> None:
        self.app: Any = None
        self.requests: list[tuple[str, str]] = []
        self.broken_exit = broken_exit
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        with self._lock:
            self.requests.append((environ.get("REQUEST_METHOD", ""), path))
        if path == BLANK_PATH:
            return stub_page(BLANK_PAGE, start_response)
        if self.broken_exit and "/dist/haven." in path and path.endswith(".js"):
            return self._broken_bundle(environ, start_response)
        result: Iterable[bytes] = self.app(environ, start_response)
        return result

    def _broken_bundle(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        # Always the whole file (never "304 Not Modified"), so there is one to break.
        environ = {
            k: v
            for k, v in environ.items()
            if k not in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
        }
        answer: list[Any] = []
        body = self.app(environ, lambda status, headers, *rest: answer.extend([status, headers]))
        try:
            bundle = break_quick_exit(b"".join(body))
        finally:
            getattr(body, "close", lambda: None)()
        status, headers = answer
        keep = [(k, v) for k, v in headers if k.lower() not in ("content-length", "etag")]
        start_response(status, [*keep, ("Content-Length", str(len(bundle)))])
        return [bundle]

    def posts_to(self, path: str) -> int:
        """How many POSTs to ``path`` the server has received."""
        with self._lock:
            return sum(1 for method, seen in self.requests if method == "POST" and seen == path)


@pytest.fixture(scope="session")
def engine_site() -> EngineSite:
    return EngineSite(broken_exit=BROKEN_EXIT)


@pytest.fixture(scope="session")
def csp_reports(engine_site: EngineSite) -> CspReportCollector:
    return CspReportCollector(engine_site)


@pytest.fixture(scope="session")
def exit_url() -> Iterator[str]:
    """Where the quick exit goes: the stub page, on another site (``127.0.0.2``)."""
    server = LiveServer(exit_site, host="127.0.0.2").start()
    yield f"{server.url}{EXIT_PATH}"
    server.stop()


@pytest.fixture(scope="session")
def haven_live_server(
    engine_site: EngineSite,
    csp_reports: CspReportCollector,
    exit_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """The demo app (with its failing demo pages) behind the wrapper, on a free port."""
    engine_site.app = create_app(
        {
            "INSTANCE_PATH": tmp_path_factory.mktemp("engines") / "instance",
            "DEMO_ERROR_ROUTES": True,
            "HAVEN_QUICK_EXIT_URL": exit_url,
        }
    )
    server = LiveServer(csp_reports).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def haven_app(engine_site: EngineSite, haven_live_server: LiveServer) -> Flask:
    app: Flask = engine_site.app
    return app


@pytest.fixture(scope="session")
def haven_base_url(haven_live_server: LiveServer) -> str:
    """This directory's server. The plugin's own ``haven_base_url`` is session-wide:
    once a browser test elsewhere in this process has asked for it, it holds that
    test's server (whose quick exit goes to another address), not this one."""
    return haven_live_server.url


@pytest.fixture(scope="session")
def haven_engine_reset_url(haven_live_server: LiveServer) -> str:
    """The cheapest page on the site, for deleting its cookies between tests."""
    return haven_live_server.url + BLANK_PATH


@pytest.fixture(autouse=True)
def _no_csp_violations(
    request: pytest.FixtureRequest, csp_reports: CspReportCollector
) -> Iterator[None]:
    """Every test fails on a CSP violation that any engine reported, by report-uri
    (the page's load included) or to the page's listener (after load)."""
    engines: list[Engine] = [
        request.getfixturevalue(name)
        for name in ("haven_engine", "haven_engine_nojs")
        if name in request.fixturenames
    ]
    csp_reports.take()
    yield
    seen = csp_reports.take()
    if request.node.get_closest_marker("csp_violation_expected"):
        return
    for engine in engines:
        # The page may be mid-navigation; the report-uri covers it then.
        with contextlib.suppress(Exception):
            seen += engine.csp_violations()
    assert not seen, "Content-Security-Policy violations:\n- " + "\n- ".join(seen)


@pytest.fixture(autouse=True)
def _fresh_rate_limit(haven_app: Flask) -> None:
    """Feedback tests post several times per engine: nothing counts from earlier tests."""
    state_of(haven_app).rate_limit_store = MemoryRateLimitStore()
