"""The flask-haven pytest plugin (registered through the ``pytest11`` entry point).

It gives Playwright tests:

- the site under test: pytest-playwright's ``--base-url`` (a running site,
  such as staging) or else your app from a ``haven_app`` fixture, served on a
  free port; Playwright's ``base_url`` points at it;
- a usable Chromium where Playwright cannot download its own (see
  :mod:`flask_haven.testing.browser`); ``--browser firefox`` is untouched;
- ``haven_engine``: a test run once in each of Chromium, Firefox and WebKit
  (:mod:`flask_haven.testing.engines`, ``--haven-engines``);
- a watcher on every ``page`` so :func:`assert_no_csp_violations` and
  :func:`assert_no_console_errors` can report what happened;
- ``haven_exit_stub``, the quick exit's page answered locally;
- the markers ``haven_allow_console_errors`` (alias ``allow_console_errors``),
  registered so ``--strict-markers`` accepts them;
- ``--haven-timeout`` for how long page objects look for their component,
  and ``--haven-check-page`` to check every page for console errors and CSP
  violations after each test.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._support import settings
from .helpers import ExitStub
from .pages import DEFAULT_EXIT_URL

ALLOW_MARKERS = ("haven_allow_console_errors", "allow_console_errors")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flask-haven")
    group.addoption(
        "--haven-base-url",
        default=None,
        help="alias of --base-url: test the running site at this URL instead of haven_app",
    )
    group.addoption(
        "--haven-timeout",
        type=float,
        default=None,
        help="ms a page object looks for its component before failing (default 2000)",
    )
    group.addoption(
        "--haven-check-page",
        action="store_true",
        default=None,
        help="after each test that used `page`, fail on console errors and CSP violations",
    )
    parser.addini("haven_timeout", "ms a page object looks for its component (default 2000)")
    parser.addini(
        "haven_check_page",
        "check every page for console errors and CSP violations after each test",
        type="bool",
        default=False,
    )
    parser.addini("haven_exit_url", "the quick exit URL haven_exit_stub answers")
    group.addoption(
        "--haven-engines",
        default="chromium,firefox,webkit",
        help="engines that tests using `haven_engine` run in (comma-separated; "
        "default: chromium,firefox,webkit)",
    )
    group.addoption(
        "--haven-engine-timeout",
        default=30.0,
        type=float,
        help="seconds an engine's session may take to start (tried twice) before its tests "
        "skip (default 30)",
    )


def _closing_responses(app: Any) -> Any:
    """Wrap a WSGI app so every response body is closed, even when a browser hangs up.

    Browsers often drop a connection part-way through a response (a quick
    exit navigates away while a stylesheet is still arriving). Werkzeug's
    development server then skips calling ``close()`` on the body, so a
    static file is left open until the garbage collector finds it, and the
    ``ResourceWarning`` it raises there fails an unrelated test at random.
    A generator's ``finally`` runs when the generator is collected, so the
    file is closed in every case.
    """

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        body = app(environ, start_response)

        def closing_body() -> Iterator[bytes]:
            try:
                yield from body
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()

        return closing_body()

    return wsgi


class LiveServer:
    """A WSGI app served by Werkzeug on a free port of ``host``, in a background thread."""

    def __init__(self, app: Any, host: str = "127.0.0.1") -> None:
        from werkzeug.serving import make_server

        self._server = make_server(host, 0, _closing_responses(app), threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()


def pytest_configure(config: pytest.Config) -> None:
    # Registered now, after every entry-point plugin, so these fixtures take
    # precedence over pytest-playwright's whatever order plugins loaded in.
    from . import late_fixtures

    if not config.pluginmanager.is_registered(late_fixtures):
        config.pluginmanager.register(late_fixtures, "flask_haven_late_fixtures")
    for name in ALLOW_MARKERS:
        config.addinivalue_line(
            "markers",
            f"{name}(*patterns): console errors matching any regex in patterns (all, if none "
            "given) are expected; assert_no_console_errors leaves them out",
        )
    timeout = config.getoption("haven_timeout") or config.getini("haven_timeout")
    if timeout:
        settings.presence_timeout = float(timeout)
    # `haven_engine`: the same test in Chromium, Firefox and WebKit (docs/engines.md).
    from .engines import fixtures as engine_fixtures

    if not config.pluginmanager.is_registered(engine_fixtures):
        config.pluginmanager.register(engine_fixtures, "flask_haven_engine_fixtures")
    config.addinivalue_line("markers", "engines: runs once per browser engine (haven_engine)")


@pytest.fixture(scope="session")
def haven_app() -> Any:
    """Override in your conftest.py to return the Flask app to test (session scope)."""
    return None


@pytest.fixture(scope="session")
def haven_live_server(haven_app: Any) -> Iterator[LiveServer | None]:
    """``haven_app`` served on a free port for the whole session (``None`` if no app)."""
    if haven_app is None:
        yield None
        return
    server = LiveServer(haven_app).start()
    yield server
    server.stop()


def given_base_url(config: pytest.Config) -> str | None:
    """The URL given on the command line: ``--base-url`` (or ``PYTEST_BASE_URL``),
    else ``--haven-base-url``."""
    for option in ("base_url", "haven_base_url"):
        value = config.getoption(option, None)
        if value:
            return str(value).rstrip("/")
    return None


@pytest.fixture(scope="session")
def haven_base_url(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> str | None:
    """Where the site under test is.

    In order: ``--base-url`` (pytest-playwright's option), ``--haven-base-url``,
    the ``haven_app`` live server, the ``base_url`` ini value. A URL given on
    the command line wins over ``haven_app``, which is then never started,
    so a CI job aimed at staging really tests staging.
    """
    given = given_base_url(pytestconfig)
    if given:
        return given
    server = request.getfixturevalue("haven_live_server")
    if server:
        return str(server.url)
    configured = pytestconfig.getini("base_url") if _has_ini(pytestconfig, "base_url") else None
    return str(configured).rstrip("/") if configured else None


def _has_ini(config: pytest.Config, name: str) -> bool:
    try:
        config.getini(name)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="session")
def haven_exit_url(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> str:
    """The quick exit's URL: the ``haven_exit_url`` ini value, else ``haven_app``'s
    ``HAVEN_QUICK_EXIT_URL``, else the library's default."""
    configured = pytestconfig.getini("haven_exit_url")
    if configured:
        return str(configured)
    app = request.getfixturevalue("haven_app")
    if app is not None:
        return str(app.config.get("HAVEN_QUICK_EXIT_URL") or DEFAULT_EXIT_URL)
    return DEFAULT_EXIT_URL


@pytest.fixture
def haven_exit_stub(context: Any, haven_exit_url: str) -> ExitStub:
    """Answer the quick exit's URL with a local stub page in this test's context,
    so a quick exit test never reaches a third party's site."""
    return ExitStub(haven_exit_url).install(context)


@pytest.fixture(autouse=True)
def _haven_test_output(request: pytest.FixtureRequest) -> Iterator[None]:
    """Point assertions' evidence (the axe JSON) at this test's output folder."""
    try:
        settings.output_dir = Path(request.getfixturevalue("output_path"))
    except pytest.FixtureLookupError:
        settings.output_dir = None
    yield
    settings.output_dir = None


@pytest.fixture(autouse=True)
def _haven_watch_page(request: pytest.FixtureRequest) -> Iterator[None]:
    """Attach the console/CSP watcher to every test that uses ``page``."""
    if "page" not in request.fixturenames:
        yield
        return
    from .assertions import assert_no_console_errors, assert_no_csp_violations
    from .watch import PageWatch, watch_context

    page = request.getfixturevalue("page")
    site = request.getfixturevalue("haven_base_url")
    watch_context(page.context, site=site)
    watch = PageWatch.of(page)
    for name in ALLOW_MARKERS:
        for marker in request.node.iter_markers(name):
            patterns = marker.args or (".*",)
            watch.allowed_errors += [re.compile(p) for p in patterns]
    yield
    config = request.config
    if config.getoption("haven_check_page") or config.getini("haven_check_page"):
        assert_no_csp_violations(page)
        assert_no_console_errors(page)
