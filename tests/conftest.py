"""Shared fixtures: the demo app built by its factory, a client, and HTML parsing.

Modules override ``app_config`` to configure what they test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from demo_app import create_app

from . import compiled_templates, services

compiled_templates.install()


# Optional: a run without pytest-xdist (``-p no:xdist``) has no such hook to call.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (``make test``): one worker more than there are cores.

    Browser tests wait between steps (a page loading, a browser starting, a
    subprocess running), and a worker that waits leaves its core idle: with one
    worker per core the suite kept the 2 cores here 86 % busy, with one more
    96 %, and it finished about a sixth sooner. ``PYTEST_XDIST_AUTO_NUM_WORKERS``
    still wins (pytest-xdist reads it when this returns ``None``).
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    # The cores this process may use (a container's share); macOS has no such call.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fast tests first in a plain run, so a broken render fails in seconds.

    Under pytest-xdist (``make test``) the browser files come first instead:
    they are the longest, and starting them early keeps every worker busy to
    the end rather than leaving one to finish a long file alone.
    """
    parallel = hasattr(config, "workerinput")

    def later(item: pytest.Item) -> bool:
        in_browser = item.get_closest_marker("e2e") is not None
        return not in_browser if parallel else in_browser

    items.sort(key=later)


def _started(starter: Callable[[], AbstractContextManager[str]]) -> Iterator[str]:
    """Start a real service for the session, or skip with the reason (printed by ``-ra``)."""
    manager = starter()
    try:
        url = manager.__enter__()
    except services.ServiceUnavailable as error:
        pytest.skip(f"{starter.__name__} is unavailable here: {error}")
    try:
        yield url
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A SQLAlchemy URL of an empty database on a real PostgreSQL, started once."""
    yield from _started(services.postgres)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A ``redis://`` URL of a real Redis server on loopback, started once."""
    yield from _started(services.redis)


class SameOriginClient(FlaskClient):
    """Flask's test client, posting the way a current browser does from the site's own pages.

    Every browser since 2023 sends ``Sec-Fetch-Site`` on every request; a post
    from our own page says ``same-origin``, which is what the consent routes
    require instead of a token (flask_haven/csrf.py). A test of another source
    sends its own header (``headers={"Sec-Fetch-Site": "cross-site"}``), or
    empties ``environ_base`` to be a client that sends none.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_SEC_FETCH_SITE"] = "same-origin"


@pytest.fixture(scope="session", autouse=True)
def _test_clients_post_from_our_pages() -> Iterator[None]:
    """Every app's ``test_client()`` in the suite is a :class:`SameOriginClient`.

    Session-scoped (hypothesis refuses function-scoped fixtures), and undone at the end.
    """
    before = Flask.test_client_class
    Flask.test_client_class = SameOriginClient
    yield
    Flask.test_client_class = before


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra config for the ``app`` fixture; override in a module to change it."""
    return {}


@pytest.fixture
def app(app_config: dict[str, Any], tmp_path: Path) -> Flask:
    """The demo app with its instance folder in a temporary directory."""
    return create_app({"TESTING": True, "INSTANCE_PATH": tmp_path / "instance", **app_config})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def parse(html: str | bytes) -> BeautifulSoup:
    """Parse HTML the way the render tests read it."""
    return BeautifulSoup(html, "html.parser")


def assert_no_inline_code(page: BeautifulSoup) -> None:
    """No inline script, style or event handler: what our strict CSP forbids.

    A consent-gated script waits as ``type="text/plain"`` with its URL in
    ``data-src`` and no body; every other script must be external.
    """
    assert not page.select("style"), "inline <style> found"
    assert not page.select("[style]"), "style= attribute found"
    for script in page.select("script"):
        gated = script.get("type") == "text/plain" and script.get("data-src")
        assert script.get("src") or gated, f"inline <script> found: {script}"
        assert not script.get_text(strip=True), f"inline script code found: {script}"
    for element in page.find_all(True):
        handlers = [a for a in element.attrs if a.lower().startswith("on")]
        assert not handlers, f"inline event handler on <{element.name}>: {handlers}"


@pytest.fixture
def render(app: Flask) -> Callable[[str], BeautifulSoup]:
    """Render a Jinja string in a request context of ``app`` and parse it."""

    def _render(source: str, **context: Any) -> BeautifulSoup:
        from flask import render_template_string

        with app.test_request_context("/"):
            return parse(render_template_string(source, **context))

    return _render
