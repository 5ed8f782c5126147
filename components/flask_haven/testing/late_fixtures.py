"""Fixtures that extend pytest-playwright's, registered last by the plugin.

pytest-playwright defines ``browser_type_launch_args`` and
``browser_context_args``; ours request theirs (same name, one level down)
and add to them rather than replacing them.
"""

from __future__ import annotations

from typing import Any

import pytest

from .browser import find_chromium, launch_args


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_name: str
) -> dict[str, Any]:
    """Point Chromium at a system build when Playwright has none of its own."""
    if browser_name != "chromium" or "executable_path" in browser_type_launch_args:
        return browser_type_launch_args
    if browser_type_launch_args.get("channel"):
        return browser_type_launch_args
    return {**browser_type_launch_args, **launch_args(find_chromium())}


@pytest.fixture(scope="session")
def browser_context_args(
    browser_context_args: dict[str, Any], haven_base_url: str | None
) -> dict[str, Any]:
    """Set Playwright's ``base_url`` to the site under test."""
    if haven_base_url is None:
        return browser_context_args
    return {**browser_context_args, "base_url": haven_base_url}


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config, haven_base_url: str | None) -> str | None:
    """The site under test; falls back to pytest-base-url's ``--base-url`` option."""
    if haven_base_url is not None:
        return haven_base_url
    given = pytestconfig.getoption("base_url", None) or pytestconfig.getini("base_url")
    return str(given) if given else None
