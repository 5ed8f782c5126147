"""The feedback pages through the test client: form, errors, storage, sinks, limits."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from demo_app import create_app
from flask_haven.feedback import Feedback, MemoryRateLimitStore, create_feedback_blueprint

from .conftest import assert_no_inline_code, parse
from .feedback_helpers import csrf_token, post_feedback, stored

TECHNICAL = "Sorry, there was a technical problem. Please try again."


def error_summary_links(html: bytes) -> list[tuple[str, str]]:
    page = parse(html)
    summary = page.select_one(".haven-error-summary")
    if summary is None:
        return []
    return [(a.get_text(strip=True), a["href"]) for a in summary.select("a")]


def test_form_has_the_contract_controls(client: FlaskClient) -> None:
    response = client.get("/feedback?return_to=/news/hub")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = parse(response.data)
    textarea = page.select_one("textarea#feedback")
    label = page.select_one('label[for="feedback"]')
    assert label.get_text(strip=True) == "Your feedback"
    assert textarea.has_attr("required") and not textarea.has_attr("maxlength")
    described = textarea["aria-describedby"].split()
    hints = " ".join(page.select_one(f"#{i}").get_text() for i in described)
    assert "personal details" in hints
    assert "1,200 characters" in hints
    # The cookie banner has a form of its own on this page: look inside ours.
    form = page.select_one("form.haven-feedback-form")
    assert form.select_one("button").get_text(strip=True) == "Send feedback"
    assert form.select_one('input[name="return_to"]')["value"] == "/news/hub"
    assert page.select_one('input[name="csrf_token"]')["value"]
    trap = page.select_one('input[name="website"]')
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert trap.find_parent(attrs={"aria-hidden": "true"}) is not None
    assert page.title.get_text().startswith("Give feedback")
    # The demo's satisfaction question: radios in a fieldset, first radio id = name.
    legend = page.select_one("fieldset legend")
    assert "How satisfied" in legend.get_text()
    assert page.select_one('input[type="radio"]#satisfaction') is not None


@pytest.mark.parametrize("value", ["https://evil.example/", "//evil.example", "/\\evil", "x"])
def test_return_to_must_be_a_same_site_path(client: FlaskClient, value: str) -> None:
    page = parse(client.get("/feedback", query_string={"return_to": value}).data)
    assert page.select_one('form.haven-feedback-form input[name="return_to"]') is None


def test_empty_submission_re_renders_with_the_error_summary(client: FlaskClient) -> None:
    response = post_feedback(client, "   \r\n ")
    assert response.status_code == 400
    page = parse(response.data)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".haven-error-summary")
    assert summary.has_attr("autofocus")
    assert summary.find("h2").get_text(strip=True) == "There is a problem"
    assert error_summary_links(response.data) == [("Enter your feedback", "#feedback")]
    message = page.select_one("#feedback-error")
    assert message.get_text(" ", strip=True) == "Error: Enter your feedback"
    textarea = page.select_one("#feedback")
    assert "feedback-error" in textarea["aria-describedby"].split()
    assert textarea["aria-invalid"] == "true"


def test_over_long_submission_keeps_the_text(app: Flask, client: FlaskClient) -> None:
    text = "é" * 1201
    response = post_feedback(client, text)
    assert response.status_code == 400
    links = error_summary_links(response.data)
    assert links == [("Your feedback must be 1,200 characters or fewer", "#feedback")]
    assert parse(response.data).select_one("#feedback").get_text() == text
    assert stored(app) == []


def test_exactly_the_limit_is_accepted_counting_crlf_as_one(
    app: Flask, client: FlaskClient
) -> None:
    text = "a\r\n" * 600  # 1,800 code units as sent, 1,200 characters as typed
    response = post_feedback(client, text)
    assert response.status_code == 303
    assert stored(app)[0].text == "a\n" * 600


def test_valid_submission_is_stored_and_redirects_to_thanks(
    app: Flask, client: FlaskClient
) -> None:
    response = post_feedback(
        client, "The opening times table is clear.", satisfaction="satisfied", return_to="/news"
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/feedback/thanks?return_to=/news"
    (item,) = stored(app)
    assert item.text == "The opening times table is clear."
    assert item.answers == {"satisfaction": "satisfied"}
    assert item.return_to == "/news"
    assert item.created_at.utcoffset() is not None and item.created_at.utcoffset().seconds == 0
    thanks = client.get(response.headers["Location"])
    page = parse(thanks.data)
    assert page.find("h1").get_text(strip=True) == "Thank you for your feedback"
    assert page.find("a", string="Go back to the page you were on")["href"] == "/news"
    assert "no-store" in thanks.headers["Cache-Control"]


def test_thanks_page_without_a_return_path_links_home(client: FlaskClient) -> None:
    page = parse(client.get("/feedback/thanks?return_to=https://evil.example").data)
    assert page.find("a", string="Go to the home page")["href"] == "/"


def test_return_to_loses_its_query_string(app: Flask, client: FlaskClient) -> None:
    post_feedback(client, "ok", return_to="/search?q=my+address#x")
    assert stored(app)[0].return_to == "/search"


def test_unknown_answer_is_an_error_linked_to_the_first_radio(
    app: Flask, client: FlaskClient
) -> None:
    response = post_feedback(client, "fine", satisfaction="ecstatic")
    assert response.status_code == 400
    ((text, href),) = error_summary_links(response.data)
    assert href == "#satisfaction" and "Select one of the answers" in text
    page = parse(response.data)
    assert "satisfaction-error" in page.select_one("fieldset")["aria-describedby"]
    assert page.select_one("#feedback").get_text() == "fine"
    assert stored(app) == []


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffd", "\uffff"])
def test_control_characters_are_refused_and_not_echoed_raw(
    app: Flask, client: FlaskClient, char: str
) -> None:
    response = post_feedback(client, f"hello{char}world")
    assert response.status_code == 400
    links = error_summary_links(response.data)
    assert links and "characters we cannot accept" in links[0][0]
    assert char.encode() not in response.data or char == "\ufffd"
    assert parse(response.data).select_one("#feedback").get_text() == "hello\ufffdworld"
    assert stored(app) == []


def test_invalid_utf8_is_refused(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client)
    body = f"csrf_token={token}&feedback=ab%ED%A0%80cd%FF".encode()
    response = client.post("/feedback", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert parse(response.data).select_one("#feedback").get_text() == "ab\ufffd\ufffd\ufffdcd\ufffd"
    assert stored(app) == []


def test_newlines_and_tabs_are_fine(app: Flask, client: FlaskClient) -> None:
    assert post_feedback(client, "line one\n\tline two").status_code == 303
    assert stored(app)[0].text == "line one\n\tline two"


def test_xss_is_stored_as_text_and_rendered_escaped(app: Flask, client: FlaskClient) -> None:
    payload = '</textarea><script>alert(1)</script><img src=x onerror="alert(2)">'
    response = post_feedback(client, payload + "x" * 1200)  # too long: echoed back
    assert b"<script>alert(1)" not in response.data
    assert parse(response.data).select_one("#feedback").get_text() == payload + "x" * 1200
    assert post_feedback(client, payload).status_code == 303
    assert stored(app)[0].text == payload


def test_missing_or_bad_csrf_token_keeps_the_text(app: Flask, client: FlaskClient) -> None:
    response = client.post("/feedback", data={"feedback": "kept", "csrf_token": "nope"})
    assert response.status_code == 400
    assert error_summary_links(response.data)[0][0].startswith("This page timed out")
    page = parse(response.data)
    assert page.select_one("#feedback").get_text() == "kept"
    assert page.select_one('input[name="csrf_token"]')["value"]
    assert stored(app) == []


def test_filled_honeypot_pretends_success_and_stores_nothing(
    app: Flask, client: FlaskClient
) -> None:
    response = post_feedback(client, "buy now", website="http://spam.example")
    assert response.status_code == 303
    assert "/feedback/thanks" in response.headers["Location"]
    assert stored(app) == []


def test_repeated_fields_use_the_first_value(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post(
        "/feedback",
        data={"csrf_token": token, "feedback": ["first", "second"], "satisfaction": ["neither"]},
    )
    assert response.status_code == 303
    assert stored(app)[0].text == "first"


def test_oversized_body_gets_a_clear_error_not_a_crash(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post("/feedback", data={"csrf_token": token, "feedback": "x" * 200_000})
    assert response.status_code == 413
    page = parse(response.data)
    assert "too large" in error_summary_links(response.data)[0][0]
    assert page.title.get_text().startswith("Error: ")
    assert stored(app) == []


class BrokenEngine:
    def begin(self) -> Any:
        raise OperationalError("INSERT", {}, Exception("database is locked"))


def test_database_failure_shows_the_error_notice_and_keeps_the_text(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from flask_haven.feedback import views

    monkeypatch.setattr(views, "get_engine", lambda: BrokenEngine())
    with caplog.at_level(logging.ERROR, "flask_haven.feedback"):
        response = post_feedback(client, "my text")
    assert response.status_code == 503
    page = parse(response.data)
    notice = page.select_one('[role="alert"]')
    assert TECHNICAL in notice.get_text()
    assert page.select_one("#feedback").get_text() == "my text"
    assert page.title.get_text().startswith("Error: ")
    assert b"Traceback" not in response.data
    assert "my text" not in caplog.text  # the log never holds what people wrote
    monkeypatch.undo()
    assert stored(app) == []


# -- sinks -----------------------------------------------------------------

received: list[Feedback] = []


def good_sink(item: Feedback) -> None:
    received.append(item)


def broken_sink(item: Feedback) -> None:
    raise ConnectionError("mail server down")


def test_sinks_run_after_commit_and_a_failing_one_loses_nothing(
    tmp_path: Path, caplog: Any
) -> None:
    received.clear()
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path,
            "HAVEN_FEEDBACK_SINKS": [broken_sink, good_sink],
        }
    )
    client = app.test_client()
    with caplog.at_level(logging.ERROR, "flask_haven.feedback"):
        response = post_feedback(client, "forward me")
    assert response.status_code == 303  # the person still sees thanks
    (item,) = stored(app)
    assert [r.id for r in received] == [item.id] and received[0].text == "forward me"
    assert "broken_sink" in caplog.text and "forward me" not in caplog.text


# -- rate limit ------------------------------------------------------------


def limited_app(tmp_path: Path, limit: str = "3/minute") -> Flask:
    return create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_FEEDBACK_RATE_LIMIT": limit}
    )


def test_rate_limit_gives_429_with_an_accessible_message(tmp_path: Path) -> None:
    app = limited_app(tmp_path)
    client = app.test_client()
    for _ in range(3):
        assert post_feedback(client, "ok").status_code == 303
    response = post_feedback(client, "one too many")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    page = parse(response.data)
    notice = page.select_one('[role="alert"]')
    assert "Wait a minute" in notice.get_text()
    assert notice.find_parent(attrs={"autofocus": True}) is not None
    assert page.select_one("#feedback").get_text() == "one too many"
    assert page.title.get_text().startswith("Error: ")
    assert len(stored(app)) == 3


def test_rate_limit_is_per_client(tmp_path: Path) -> None:
    app = limited_app(tmp_path, "1/minute")
    one = app.test_client()
    other = app.test_client()
    assert post_feedback(one, "a").status_code == 303
    token = csrf_token(other)
    response = other.post(
        "/feedback",
        data={"csrf_token": token, "feedback": "b"},
        environ_base={"REMOTE_ADDR": "192.0.2.9"},
    )
    assert response.status_code == 303
    assert post_feedback(one, "c").status_code == 429


def test_default_limit_allows_at_least_ten_posts_a_minute(client: FlaskClient) -> None:
    for _ in range(10):
        assert post_feedback(client, "ok").status_code == 303


def test_no_limit(tmp_path: Path) -> None:
    client = limited_app(tmp_path, None).test_client()  # type: ignore[arg-type]
    for _ in range(25):
        assert post_feedback(client, "ok").status_code == 303


def test_custom_rate_limit_store(tmp_path: Path) -> None:
    class Refuse:
        calls: ClassVar[list[tuple[str, int, float]]] = []

        def hit(self, key: str, limit: int, window_seconds: float) -> bool:
            self.calls.append((key, limit, window_seconds))
            return False

    store = Refuse()
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_FEEDBACK_RATE_LIMIT_STORE": store}
    )
    assert post_feedback(app.test_client(), "x").status_code == 429
    assert store.calls == [("feedback:127.0.0.1", 20, 60.0)]


def test_memory_store_slides_its_window() -> None:
    now = [0.0]
    store = MemoryRateLimitStore(clock=lambda: now[0])
    assert all(store.hit("a", 2, 60) for _ in range(2))
    assert not store.hit("a", 2, 60)
    assert store.hit("b", 2, 60)
    now[0] = 30.0
    assert not store.hit("a", 2, 60)  # refused posts do not count, but the window has not passed
    assert store.retry_after("a", 60) == 31
    now[0] = 60.0
    assert store.hit("a", 2, 60)
    now[0] = 500.0
    store.hit("c", 2, 60)
    assert set(store._hits) == {"c"}  # old clients are forgotten


# -- mounting ----------------------------------------------------------------


def test_blueprint_mounts_anywhere_and_the_banner_follows(tmp_path: Path) -> None:
    from flask import Flask as FlaskApp

    from flask_haven import Haven

    app = FlaskApp(__name__, instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="test", TESTING=True)
    Haven(app)
    app.register_blueprint(create_feedback_blueprint("say", url_prefix="/tell-us"))

    @app.route("/")
    def home() -> str:
        from flask import render_template_string

        return render_template_string('{% extends "haven/layout.html" %}')

    client = app.test_client()
    page = parse(client.get("/").data)
    assert page.select_one(".haven-phase-banner a")["href"] == "/tell-us?return_to=/"
    form = parse(client.get("/tell-us").data)
    assert form.select_one("form")["action"] == "/tell-us"
    token = form.select_one('input[name="csrf_token"]')["value"]
    response = client.post("/tell-us", data={"csrf_token": token, "feedback": "hi"})
    assert response.headers["Location"] == "/tell-us/thanks"
    assert stored(app)[0].text == "hi"


def test_site_can_replace_the_page_template(tmp_path: Path) -> None:
    from flask import Flask as FlaskApp
    from jinja2 import DictLoader

    from flask_haven import Haven

    app = FlaskApp(__name__, instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="test")
    app.jinja_loader = DictLoader({"mine.html": "own page {{ errors|length }}"})  # type: ignore[assignment]
    Haven(app)
    app.register_blueprint(create_feedback_blueprint(form_template="mine.html"))
    assert app.test_client().get("/feedback").data == b"own page 0"


def test_site_can_shadow_the_page_template_by_name(tmp_path: Path) -> None:
    from flask import Flask as FlaskApp
    from jinja2 import DictLoader

    from flask_haven import Haven

    app = FlaskApp(__name__, instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="test")
    app.jinja_loader = DictLoader({"haven/feedback/form.html": "shadowed"})  # type: ignore[assignment]
    Haven(app)
    app.register_blueprint(create_feedback_blueprint())
    assert app.test_client().get("/feedback").data == b"shadowed"


def test_a_stricter_site_body_limit_wins(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path, "MAX_CONTENT_LENGTH": 2000})
    client = app.test_client()
    assert post_feedback(client, "x" * 1100).status_code == 303
    # 1,180 characters (valid) but 2,060 bytes once percent-encoded
    assert post_feedback(client, "x" * 1100 + "🚲" * 80).status_code == 413


@pytest.mark.parametrize("state", ["form", "errors", "thanks", "rate-limited"])
def test_feedback_pages_have_no_inline_code(tmp_path: Path, state: str) -> None:
    app = limited_app(tmp_path, "1/minute")
    client = app.test_client()
    if state == "form":
        response = client.get("/feedback")
    elif state == "errors":
        response = post_feedback(client, "")
    elif state == "thanks":
        response = client.get("/feedback/thanks?return_to=/")
    else:
        post_feedback(client, "one")
        response = post_feedback(client, "two")
        assert response.status_code == 429
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert_no_inline_code(parse(response.data))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b"feedback=%zz%&&==&csrf_token", "application/x-www-form-urlencoded"),
        (b'{"feedback": "hi"}', "application/json"),
        (
            b"--x\r\nContent-Disposition: form-data; name=feedback\r\n\r\n\xff\xfe",
            "multipart/form-data; boundary=x",
        ),
        (b"--broken", "multipart/form-data"),
        (b"feedback=hi", "text/plain"),
        (b"", ""),
    ],
)
def test_malformed_bodies_never_500(
    app: Flask, client: FlaskClient, body: bytes, content_type: str
) -> None:
    response = client.post("/feedback", data=body, content_type=content_type)
    assert response.status_code in (400, 413)
    assert b"Traceback" not in response.data
    assert stored(app) == []


def test_multipart_posts_work_too(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post(
        "/feedback",
        data={"csrf_token": token, "feedback": "via multipart"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert stored(app)[0].text == "via multipart"
