"""Fixtures that extend pytest-playwright's, registered last by the plugin.

pytest-playwright defines ``browser_type_launch_args`` and
``browser_context_args``; ours request theirs (same name, one level down)
and add to them rather than replacing them.
"""

from __future__ import annotations

from typing import Any

import pytest

from .browser import ChromiumNotFound, chromium_launch_args


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_name: str, playwright: Any
) -> dict[str, Any]:
    """Point Chromium at a system build when Playwright has none of its own."""
    try:
        return chromium_launch_args(browser_type_launch_args, browser_name, playwright)
    except ChromiumNotFound as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def browser_context_args(
    browser_context_args: dict[str, Any], haven_base_url: str | None
) -> dict[str, Any]:
    """Set Playwright's ``base_url`` to the site under test."""
    if haven_base_url is None:
        return browser_context_args
    return {**browser_context_args, "base_url": haven_base_url}


@pytest.fixture(scope="session")
def base_url(haven_base_url: str | None) -> str | None:
    """The site under test (see ``haven_base_url``: ``--base-url`` wins over ``haven_app``)."""
    return haven_base_url
