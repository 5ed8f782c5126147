"""The site's error pages, JSON errors, request ids and maintenance mode."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, abort, request
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import TooManyRequests

from demo_app import create_app
from demo_app.error_routes import SECRET
from flask_haven import Haven, HavenConfigError
from flask_haven.errors import ERROR_TEXTS

from .conftest import assert_no_inline_code, parse

CODES = [400, 403, 404, 405, 413, 429, 500, 503]
JSON = {"Accept": "application/json"}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
REQUEST_ID = re.compile(r"^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$")

# Werkzeug's own texts: they must never be what a person reads.
WERKZEUG_WORDS = ("The requested URL", "The server encountered", "Werkzeug", "Traceback")


def make_app(tmp_path: Path, **config: Any) -> Flask:
    """The demo app as it runs in production: not TESTING, not DEBUG."""
    app = create_app({"INSTANCE_PATH": tmp_path / "instance", "MAX_CONTENT_LENGTH": 1000, **config})

    @app.route("/fail/<int:status>", methods=["GET", "POST"])
    def fail(status: int) -> str:
        if status == 413:
            return str(dict(request.form))  # reading a too-large body raises 413
        if status == 429:
            raise TooManyRequests(retry_after=300)
        abort(status)

    @app.route("/bug")
    def bug() -> str:
        raise RuntimeError(f"connection string {SECRET}")

    return app


def request_for(client: Any, status: int, **kwargs: Any) -> Any:
    if status == 404:
        return client.get("/no-such-page", **kwargs)
    if status == 405:
        return client.post("/", **kwargs)
    if status == 413:
        return client.post("/fail/413", data={"text": "x" * 5000}, **kwargs)
    if status == 500:
        return client.get("/bug", **kwargs)
    return client.get(f"/fail/{status}", **kwargs)


@pytest.fixture
def prod_app(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


# -- pages ------------------------------------------------------------------------


@pytest.mark.parametrize("status", CODES)
def test_each_error_is_a_page_in_the_layout(prod_app: Flask, status: int) -> None:
    response = request_for(prod_app.test_client(), status, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = parse(response.data)
    # The layout and the site's chrome: quick exit first of all.
    assert page.find("a", string="Leave this site") is not None
    assert page.select_one("main#main-content h1").get_text() == ERROR_TEXTS[status].title
    assert page.find("footer") is not None, "the demo's error pages wear its base template"
    assert page.title.get_text().startswith(ERROR_TEXTS[status].title)
    text = page.get_text()
    assert ERROR_TEXTS[status].message in text
    for word in WERKZEUG_WORDS:
        assert word not in text
    assert response.headers["Cache-Control"] == "no-store"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert_no_inline_code(page)


@pytest.mark.parametrize("status", CODES)
def test_each_error_as_json(prod_app: Flask, status: int) -> None:
    response = request_for(prod_app.test_client(), status, headers=JSON)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert set(error) == {"status", "title", "message", "request_id"}
    assert error["status"] == status
    assert error["title"] == ERROR_TEXTS[status].title
    assert error["message"].startswith(ERROR_TEXTS[status].message)
    assert error["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("headers", "json"),
    [
        ({"Accept": "application/json"}, True),
        ({"Accept": "application/json, text/plain, */*"}, True),
        ({"Accept": "text/html;q=0.5, application/json"}, True),
        ({"X-Requested-With": "fetch"}, True),
        ({"X-Requested-With": "XMLHttpRequest"}, True),
        ({"Accept": "*/*"}, False),
        ({"Accept": BROWSER_ACCEPT}, False),
        ({"Accept": "text/html, application/json"}, False),
        ({}, False),
    ],
)
def test_json_only_when_the_request_prefers_it(
    prod_app: Flask, headers: dict[str, str], json: bool
) -> None:
    response = prod_app.test_client().get("/no-such-page", headers=headers)
    assert response.status_code == 404
    assert (response.mimetype == "application/json") is json


def test_405_keeps_the_allow_header(prod_app: Flask) -> None:
    for headers in ({}, JSON):
        response = prod_app.test_client().post("/", headers=headers)
        assert response.status_code == 405
        assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_429_keeps_retry_after_and_says_when(prod_app: Flask) -> None:
    response = prod_app.test_client().get("/fail/429")
    assert response.headers["Retry-After"] == "300"
    assert "You can try again in about 5 minutes." in parse(response.data).get_text()
    json = prod_app.test_client().get("/fail/429", headers=JSON).get_json()
    assert json["error"]["message"].endswith("You can try again in about 5 minutes.")


def test_4xx_pages_show_no_reference_and_5xx_pages_do(prod_app: Flask) -> None:
    client = prod_app.test_client()
    not_found = client.get("/no-such-page")
    assert not_found.headers["X-Request-ID"] not in not_found.get_data(as_text=True)
    broken = client.get("/bug")
    assert broken.headers["X-Request-ID"] in broken.get_data(as_text=True)


def test_other_statuses_get_a_generic_page(prod_app: Flask) -> None:
    for status, title in ((410, "Sorry, that did not work"), (502, ERROR_TEXTS[500].title)):
        response = prod_app.test_client().get(f"/fail/{status}")
        assert response.status_code == status
        assert parse(response.data).find("h1").get_text() == title


def test_a_response_given_to_abort_is_kept(prod_app: Flask) -> None:
    @prod_app.route("/own")
    def own() -> str:
        abort(Response("our own words", status=409))

    response = prod_app.test_client().get("/own")
    assert response.status_code == 409 and response.get_data(as_text=True) == "our own words"


# -- unhandled exceptions -------------------------------------------------------------


def test_exception_never_reaches_the_response(
    prod_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="flask_haven")
    for headers in ({"Accept": BROWSER_ACCEPT}, JSON):
        response = prod_app.test_client().get("/bug", headers=headers)
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert SECRET not in body
        # The path may appear (the phase banner links back to it); the code must not.
        assert "RuntimeError" not in body and "Traceback" not in body and "in bug" not in body
        request_id = response.headers["X-Request-ID"]
        assert REQUEST_ID.match(request_id)
        assert request_id in body, "the person can quote the reference"
        records = [r for r in caplog.records if r.name == "flask_haven" and request_id in r.message]
        assert len(records) == 1, "the reference is in the log"
        assert records[0].exc_info and records[0].exc_info[1].args == (
            f"connection string {SECRET}",
        )
        assert "/bug" in records[0].message


def test_exception_is_not_shown_even_when_testing_without_propagation(tmp_path: Path) -> None:
    app = make_app(tmp_path, TESTING=True, PROPAGATE_EXCEPTIONS=False)
    response = app.test_client().get("/bug")
    assert response.status_code == 500 and SECRET not in response.get_data(as_text=True)


def test_testing_propagates_exceptions_to_the_test(tmp_path: Path) -> None:
    """Flask's rule, kept on purpose: a site's own tests see its real bugs."""
    app = make_app(tmp_path, TESTING=True)
    with pytest.raises(RuntimeError):
        app.test_client().get("/bug")


def test_query_string_is_not_logged(prod_app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="flask_haven")
    prod_app.test_client().get("/bug?name=Jane+Doe")
    assert "Jane" not in caplog.text


def test_a_broken_layout_still_gives_a_bare_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(tmp_path, HAVEN_ERROR_LAYOUT="no-such-layout.html")
    for path, status in (("/no-such-page", 404), ("/bug", 500)):
        response = app.test_client().get(path)
        assert response.status_code == status
        page = parse(response.data)
        assert page.find("h1").get_text() == ERROR_TEXTS[status].title
        assert response.headers["X-Request-ID"] in page.get_text()
        assert SECRET not in response.get_data(as_text=True)
    assert "error page failed to render" in caplog.text


# -- switches and overrides -------------------------------------------------------------


def test_error_pages_can_be_switched_off(tmp_path: Path) -> None:
    app = make_app(tmp_path, HAVEN_ERROR_PAGES=False)
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404
    assert "The requested URL was not found" in response.get_data(as_text=True)


def test_a_sites_own_handler_wins(prod_app: Flask) -> None:
    @prod_app.errorhandler(404)
    def mine(error: Exception) -> tuple[str, int]:
        return "ours", 404

    assert prod_app.test_client().get("/no-such-page").get_data(as_text=True) == "ours"


def test_texts_can_be_replaced(tmp_path: Path) -> None:
    app = make_app(tmp_path, HAVEN_ERROR_MESSAGES={404: {"title": "Nothing here"}})
    page = parse(app.test_client().get("/no-such-page").data)
    assert page.find("h1").get_text() == "Nothing here"
    assert ERROR_TEXTS[404].message in page.get_text()


def test_a_site_can_shadow_the_template(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "haven" / "errors"
    folder.mkdir(parents=True)
    (folder / "404.html").write_text(
        '{% extends "haven/layout.html" %}{% block content %}<h1>Lost? {{ status }}</h1>'
        "{% endblock %}"
    )
    app = Flask(__name__, template_folder=str(tmp_path / "templates"))
    Haven(app)
    page = parse(app.test_client().get("/nowhere").data)
    assert page.find("h1").get_text() == "Lost? 404"


def test_a_plain_app_gets_the_haven_layout(tmp_path: Path) -> None:
    app = Flask(__name__)
    Haven(app)
    page = parse(app.test_client().get("/nowhere").data)
    assert page.find("h1").get_text() == "Page not found"
    assert page.select_one("html.haven-template") is not None


# -- request ids ------------------------------------------------------------------------


def test_every_response_carries_a_request_id(prod_app: Flask) -> None:
    client = prod_app.test_client()
    first, second = client.get("/").headers["X-Request-ID"], client.get("/").headers["X-Request-ID"]
    assert REQUEST_ID.match(first) and first != second


def test_a_safe_incoming_request_id_is_used_when_trusted(tmp_path: Path) -> None:
    app = make_app(tmp_path, HAVEN_TRUST_REQUEST_ID=True)
    response = app.test_client().get("/bug", headers={"X-Request-ID": "lb-7f3a.91_x"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.91_x"
    assert "lb-7f3a.91_x" in response.get_data(as_text=True)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=100))
def test_unsafe_incoming_request_ids_are_replaced(tmp_path_factory: Any, given_id: str) -> None:
    app = _shared_app(tmp_path_factory)
    try:
        response = app.test_client().get("/no-such-page", headers={"X-Request-ID": given_id})
    except ValueError:
        return  # the test client itself refuses headers with newlines
    echoed = response.headers["X-Request-ID"]
    assert response.status_code == 404
    assert echoed == given_id or REQUEST_ID.match(echoed)
    if echoed == given_id:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", given_id)


_APPS: dict[str, Flask] = {}


def _shared_app(tmp_path_factory: Any) -> Flask:
    if "app" not in _APPS:
        _APPS["app"] = make_app(tmp_path_factory.mktemp("ids"), HAVEN_TRUST_REQUEST_ID=True)
    return _APPS["app"]


def test_incoming_ids_can_be_ignored(tmp_path: Path) -> None:
    app = make_app(tmp_path, HAVEN_REQUEST_ID_HEADER=None)
    response = app.test_client().get("/bug", headers={"X-Request-ID": "from-outside"})
    assert "X-Request-ID" not in response.headers
    body = response.get_data(as_text=True)
    assert "from-outside" not in body
    assert re.search(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", body)


# -- maintenance mode -------------------------------------------------------------------


@pytest.fixture
def maintenance_app(tmp_path: Path) -> Flask:
    return make_app(tmp_path, HAVEN_MAINTENANCE=True, HAVEN_MAINTENANCE_EXEMPT_PATHS=["/ready"])


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("POST", "/"), ("GET", "/components/"), ("GET", "/no-such-page")],
)
def test_maintenance_answers_503_everywhere(maintenance_app: Flask, method: str, path: str) -> None:
    response = maintenance_app.test_client().open(path, method=method)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3600"
    page = parse(response.data)
    assert page.find("h1").get_text() == ERROR_TEXTS[503].title
    assert "You can try again in about 60 minutes." in page.get_text()
    assert page.find("a", string="Leave this site") is not None


def test_maintenance_json(maintenance_app: Flask) -> None:
    response = maintenance_app.test_client().get("/", headers=JSON)
    assert response.status_code == 503 and response.get_json()["error"]["status"] == 503


def test_maintenance_serves_health_checks_bundles_and_quick_exit(maintenance_app: Flask) -> None:
    client = maintenance_app.test_client()
    health = client.get("/_haven/healthz")
    assert health.status_code == 200 and health.get_data(as_text=True) == "ok\n"
    assert client.get("/healthz").status_code == 503, "not exempt: the list was replaced"
    assert client.get("/ready").status_code == 404, "exempt: served normally (no such route)"
    page = parse(client.get("/").data)
    bundles = (
        page.select_one("script[src]")["src"],
        page.select_one("link[rel=stylesheet][href]")["href"],
    )
    for url in (*bundles, "/static/demo.css"):
        response = client.get(url)
        assert response.status_code == 200
        response.close()
    assert client.get("/_haven/quick-exit").status_code == 303


def test_maintenance_runs_before_the_sites_own_hooks(tmp_path: Path) -> None:
    app = Flask(__name__)
    app.config["HAVEN_MAINTENANCE"] = True
    calls: list[str] = []
    app.before_request(lambda: calls.append("site hook"))  # registered before Haven(app)
    Haven(app)
    assert app.test_client().get("/").status_code == 503
    assert calls == []


def test_retry_after_is_configurable(tmp_path: Path) -> None:
    app = make_app(tmp_path, HAVEN_MAINTENANCE=True, HAVEN_MAINTENANCE_RETRY_AFTER=600)
    assert app.test_client().get("/").headers["Retry-After"] == "600"


def test_maintenance_can_be_switched_while_running(prod_app: Flask) -> None:
    client = prod_app.test_client()
    assert client.get("/").status_code == 200
    prod_app.config["HAVEN_MAINTENANCE"] = True
    assert client.get("/").status_code == 503
    prod_app.config["HAVEN_MAINTENANCE"] = False
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), ("0", False), ("", False)])
def test_maintenance_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, on: bool
) -> None:
    monkeypatch.setenv("HAVEN_MAINTENANCE", value)
    app = make_app(tmp_path)
    assert (app.test_client().get("/").status_code == 503) is on


def test_maintenance_is_not_logged_as_a_failure(
    maintenance_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="flask_haven")
    maintenance_app.test_client().get("/")
    assert not [r for r in caplog.records if r.name == "flask_haven"]


def test_healthz_without_maintenance(prod_app: Flask) -> None:
    response = prod_app.test_client().get("/_haven/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


# -- configuration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        {"HAVEN_MAINTENANCE_RETRY_AFTER": 0},
        {"HAVEN_MAINTENANCE_RETRY_AFTER": "3600"},
        {"HAVEN_MAINTENANCE_RETRY_AFTER": True},
        {"HAVEN_MAINTENANCE_EXEMPT_PATHS": "/healthz"},
        {"HAVEN_MAINTENANCE_EXEMPT_PATHS": ["healthz"]},
        {"HAVEN_ERROR_MESSAGES": {"404": {"title": "x"}}},
        {"HAVEN_ERROR_MESSAGES": ["x"]},
        {"HAVEN_REQUEST_ID_HEADER": "X Request\nId"},
    ],
)
def test_bad_settings_fail_at_start_up(tmp_path: Path, config: dict[str, Any]) -> None:
    with pytest.raises(HavenConfigError):
        create_app({"INSTANCE_PATH": tmp_path, **config})
