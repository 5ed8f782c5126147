"""A QA team's conftest.py: the app to serve, and no test ever leaves the machine.

Given ``--base-url``, the plugin tests that site instead and never starts
``haven_app``.
"""

import pytest

from demo_app import create_app


@pytest.fixture(scope="session")
def haven_app(tmp_path_factory):
    return create_app({"INSTANCE_PATH": tmp_path_factory.mktemp("qa") / "instance"})


@pytest.fixture(autouse=True)
def _stay_on_this_machine(haven_exit_stub):
    """The quick exit's page is answered locally."""
