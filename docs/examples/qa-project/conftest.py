import pytest
from app import create_app


@pytest.fixture(scope="session")
def haven_app():
    """The flask-haven plugin serves this app and points Playwright's base_url at it."""
    return create_app()


@pytest.fixture(autouse=True)
def stub_exit_page(context):
    """Never depend on a third party's site in a test: answer the exit URL ourselves."""
    context.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(content_type="text/html", body="<title>Weather</title>"),
    )
