"""The integration matrix: example sites, each driven through the key flows in a browser."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here) and "browser" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.e2e)
