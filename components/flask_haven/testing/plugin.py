"""The flask-haven pytest plugin (registered through the ``pytest11`` entry point).

It gives Playwright tests:

- a usable Chromium where Playwright cannot download its own (see
  :mod:`flask_haven.testing.browser`); ``--browser firefox`` is untouched;
- ``haven_live_server``: your app (from a ``haven_app`` fixture you define)
  served on a free port in a thread, or a running site given with
  ``--haven-base-url``; Playwright's ``base_url`` points at it;
- ``haven_engine``: a test run once in each of Chromium, Firefox and WebKit
  (:mod:`flask_haven.testing.engines`, ``--haven-engines``);
- a watcher on every ``page`` so :func:`assert_no_csp_violations` and
  :func:`assert_no_console_errors` can report what happened.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flask-haven")
    group.addoption(
        "--haven-base-url",
        default=None,
        help="test a running site at this URL instead of starting the haven_app fixture",
    )
    group.addoption(
        "--haven-engines",
        default="chromium,firefox,webkit",
        help="engines that tests using `haven_engine` run in (comma-separated; "
        "default: chromium,firefox,webkit)",
    )
    group.addoption(
        "--haven-engine-timeout",
        default=60.0,
        type=float,
        help="seconds each engine's session may take to start before its tests skip (default 60)",
    )


class LiveServer:
    """A Flask app served by Werkzeug on 127.0.0.1 in a background thread."""

    def __init__(self, app: Any) -> None:
        from werkzeug.serving import make_server

        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def pytest_configure(config: pytest.Config) -> None:
    # Registered now, after every entry-point plugin, so these fixtures take
    # precedence over pytest-playwright's whatever order plugins loaded in.
    from . import late_fixtures

    if not config.pluginmanager.is_registered(late_fixtures):
        config.pluginmanager.register(late_fixtures, "flask_haven_late_fixtures")
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


@pytest.fixture(scope="session")
def haven_base_url(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> str | None:
    """Where the site under test is: ``--haven-base-url``, else the live server."""
    given = pytestconfig.getoption("--haven-base-url")
    if given:
        return str(given).rstrip("/")
    server = request.getfixturevalue("haven_live_server")
    return server.url if server else None


@pytest.fixture(autouse=True)
def _haven_watch_page(request: pytest.FixtureRequest) -> None:
    """Attach the console/CSP watcher to every test that uses ``page``."""
    if "page" not in request.fixturenames:
        return
    from .watch import watch_context

    page = request.getfixturevalue("page")
    watch_context(page.context)
