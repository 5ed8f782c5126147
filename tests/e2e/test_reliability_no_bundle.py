"""The static bundle missing in a real browser: the page still lets a person leave.

The server-side half (every page renders without the tags, whatever broke)
is tests/reliability/test_faults.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from demo_app import create_app
from flask_haven.testing.plugin import LiveServer

from ..reliability.test_faults import _no_manifest, break_bundle
from .conftest import EXIT_URL, fulfill_exit_page


@pytest.fixture(scope="module")
def bundleless_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("no-bundle")
    app = create_app({"INSTANCE_PATH": str(Path(tmp) / "instance")})
    break_bundle(app, tmp, _no_manifest)
    server = LiveServer(app).start()
    yield server.url
    server.stop()


def test_quick_exit_link_still_leaves_without_the_bundle(
    browser: Browser, bundleless_url: str
) -> None:
    context = browser.new_context(base_url=bundleless_url)
    context.route(EXIT_URL + "**", fulfill_exit_page)
    page = context.new_page()
    failed: list[str] = []
    # The exit count's ping (HAVEN_QUICK_EXIT_COUNTS) is sent alongside the
    # exit and never read: the browser drops it as the page goes.
    page.on(
        "requestfailed",
        lambda request: request.resource_type == "ping" or failed.append(request.url),
    )
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # No bundle ran: the JS-only styles stay off, so no dead control is shown.
    assert not page.evaluate("() => document.body.classList.contains('haven-js-enabled')")
    link = page.get_by_role("link", name="Leave this site")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile("^" + re.escape(EXIT_URL)))
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    assert not failed, failed
    context.close()
