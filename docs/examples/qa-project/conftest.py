import pytest
from app import create_app


@pytest.fixture(scope="session")
def haven_app():
    """The flask-haven plugin serves this app and points Playwright's base_url at it."""
    return create_app()


@pytest.fixture(autouse=True)
def _stay_on_this_machine(haven_exit_stub):
    """Never depend on a third party's site in a test: the exit page is answered locally."""
