"""Reliability tests: the demo app under gunicorn, faults, fuzzing and headers.

They run in the default suite (marked ``reliability``; deselect with
``-m "not reliability"``). The gunicorn server is shared by the module that
asks for it and serves the demo app from a temporary instance folder, so
the SQLite database is the one the workers really share.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import servers
from demo_app import create_app


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh instance folder for one module's server."""
    path = tmp_path_factory.mktemp("reliability") / "instance"
    # Build the app once first, as `gunicorn --preload` would: the instance's
    # secret key is created here, not by racing workers (see
    # test_workers_share_one_secret_key for that race).
    create_app({"INSTANCE_PATH": str(path)})
    return path


@pytest.fixture(scope="module")
def server(instance: Path) -> Iterator[servers.Server]:
    """The demo app under gunicorn with two sync workers on 127.0.0.1."""
    with servers.gunicorn({"INSTANCE_PATH": str(instance)}, workers=2) as running:
        yield running
