"""The database failing while someone posts feedback or a cookie choice.

Three faults: the database read-only, unavailable (its folder cannot exist),
and failing on the write itself (as a full disk would). In each, a person
sees the error notice, the site keeps serving pages, and nothing is
half-written: no row, no consent cookie, no "saved" message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from demo_app import create_app
from flask_haven.db import get_engine

from ..conftest import parse
from .forms import CONSENT_COOKIE, CONSENT_URL, CSRF, FEEDBACK_URL, TECHNICAL_PROBLEM, needs

SITE_PAGES = ["/", "/cookies", "/feedback", "/components/"]


def site_pages(client: FlaskClient) -> list[str]:
    """The site pages this checkout has."""
    app = client.application
    return [p for p in SITE_PAGES if p != "/cookies" or "cookies" in app.view_functions]


TEXT = "The page about the support hub did not say if it has step-free access."


def _read_only(app_config: dict[str, Any], db: Path) -> Callable[[Flask], Path]:
    app_config["HAVEN_DATABASE_URL"] = f"sqlite:///file:{db}?mode=ro&uri=true"
    return lambda app: db


def _gone_after_start(app_config: dict[str, Any], db: Path) -> Callable[[Flask], Path]:
    """The database answers at start-up, then cannot be opened (a directory is in
    its place, like a volume that was unmounted); pooled connections are dropped."""

    def break_it(app: Flask) -> Path:
        with app.app_context():
            engine = get_engine()  # the app is up and has used its database
        moved = db.parent / "moved"
        moved.mkdir()
        for part in db.parent.glob(db.name + "*"):
            part.rename(moved / part.name)
        db.mkdir()
        engine.dispose()
        return moved / db.name

    return break_it


def _failing_writes(app_config: dict[str, Any], db: Path) -> Callable[[Flask], Path]:
    """Every INSERT fails, as with a full disk; reads still work."""

    def break_it(app: Flask) -> Path:
        with app.app_context():
            engine = get_engine()

        @event.listens_for(engine, "before_cursor_execute")
        def _disk_full(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith("INSERT"):
                raise OperationalError(statement, {}, Exception("database or disk is full"))

        return db

    return break_it


FAULTS: dict[str, Callable[[dict[str, Any], Path], Callable[[Flask], Path]]] = {
    "read-only": _read_only,
    "unavailable after start": _gone_after_start,
    "writes fail": _failing_writes,
}


@pytest.fixture(params=FAULTS.values(), ids=FAULTS.keys())
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[FlaskClient, Path]]:
    """A demo app whose database fails, and the database file to count rows in."""
    instance = tmp_path / "instance"
    healthy = create_app({"INSTANCE_PATH": str(instance)})
    with healthy.app_context():
        get_engine().dispose()  # the tables exist now, for a read-only copy to have them
    config: dict[str, Any] = {"INSTANCE_PATH": str(instance), "HAVEN_FEEDBACK_RATE_LIMIT": None}
    break_it = request.param(config, instance / "haven.sqlite3")
    app = create_app(config)
    yield app.test_client(), break_it(app)


def row_counts(db: Path) -> dict[str, int]:
    """Rows in each of our tables (those this checkout has)."""
    with sqlite3.connect(db) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if name.startswith("haven_")
        ]
        return {
            name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in tables
        }


def token(client: FlaskClient, path: str) -> str:
    match = CSRF.search(client.get(path).data)
    assert match, f"no CSRF token on {path}"
    return match.group(1).decode()


def alert_texts(html: bytes) -> list[str]:
    return [" ".join(a.get_text().split()) for a in parse(html).select('[role="alert"]')]


def assert_not_shown(page: Any, selector: str) -> None:
    """A "saved" message may be in the HTML for the script, but hidden."""
    for element in page.select(selector):
        assert element.has_attr("hidden"), f"shown: {element.get_text(' ', strip=True)}"


def assert_site_still_serves(client: FlaskClient) -> None:
    for path in site_pages(client):
        response = client.get(path)
        assert response.status_code == 200, (
            f"{path} broke with the database: {response.status_code}"
        )


def assert_no_consent_cookie(client: FlaskClient, response: Any) -> None:
    assert CONSENT_COOKIE not in response.headers.get("Set-Cookie", ""), "consent was saved"
    assert client.get_cookie(CONSENT_COOKIE) is None


def test_feedback_post_shows_the_error_and_keeps_the_text(
    broken: tuple[FlaskClient, Path],
) -> None:
    client, db = broken
    needs(client.application, "feedback.form")
    before = row_counts(db)
    response = client.post(
        FEEDBACK_URL, data={"csrf_token": token(client, FEEDBACK_URL), "feedback": TEXT}
    )
    assert response.status_code == 503
    assert any(TECHNICAL_PROBLEM in text for text in alert_texts(response.data))
    textarea = parse(response.data).find("textarea")
    assert textarea is not None and textarea.get_text() == TEXT, "what was typed was lost"
    assert row_counts(db) == before
    assert_site_still_serves(client)


def test_banner_post_without_js_shows_the_error_and_saves_nothing(
    broken: tuple[FlaskClient, Path],
) -> None:
    client, db = broken
    needs(client.application, "haven_consent.save")
    before = row_counts(db)
    for choice in ("accept", "reject"):
        response = client.post(
            CONSENT_URL,
            data={"cookies": choice, "return_to": "/"},
        )
        assert response.status_code == 303 and response.headers["Location"] == "/"
        assert_no_consent_cookie(client, response)
        page = parse(client.get("/").data)
        assert any(TECHNICAL_PROBLEM in text for text in alert_texts(str(page).encode()))
        assert_not_shown(page, "[data-haven-confirmation]")
    assert row_counts(db) == before
    assert_site_still_serves(client)


def test_banner_post_with_js_answers_503_and_saves_nothing(
    broken: tuple[FlaskClient, Path],
) -> None:
    client, db = broken
    needs(client.application, "haven_consent.save")
    before = row_counts(db)
    response = client.post(
        CONSENT_URL,
        data={"cookies": "accept", "return_to": "/"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 503
    assert response.get_json()["ok"] is False
    assert_no_consent_cookie(client, response)
    assert row_counts(db) == before
    assert_site_still_serves(client)


def test_cookies_page_post_shows_the_error_and_saves_nothing(
    broken: tuple[FlaskClient, Path],
) -> None:
    client, db = broken
    needs(client.application, "haven_consent.save")
    before = row_counts(db)
    response = client.post(
        "/cookies",
        data={"analytics": "yes", "preferences": "no"},
    )
    assert response.status_code == 503
    assert any(TECHNICAL_PROBLEM in text for text in alert_texts(response.data))
    assert_not_shown(parse(response.data), '[role="status"]')
    assert_no_consent_cookie(client, response)
    assert row_counts(db) == before
    assert_site_still_serves(client)


def test_read_only_database_under_load_keeps_pages_coming(tmp_path: Path) -> None:
    """gunicorn, two workers, the database read-only: every post fails cleanly
    (503 with the notice, or the banner's redirect back), every page loads."""
    from benchmarks import servers

    from .forms import consent_post, feedback_post

    instance = tmp_path / "instance"
    healthy = create_app({"INSTANCE_PATH": str(instance)})
    with healthy.app_context():
        get_engine().dispose()
    has_consent = "haven_consent.save" in healthy.view_functions
    has_feedback = "feedback.form" in healthy.view_functions
    if not (has_consent or has_feedback):
        pytest.skip("neither the cookie nor the feedback component is in this checkout yet")
    db = instance / "haven.sqlite3"
    before = row_counts(db)
    config = {
        "INSTANCE_PATH": str(instance),
        "HAVEN_DATABASE_URL": f"sqlite:///file:{db}?mode=ro&uri=true",
        "HAVEN_FEEDBACK_RATE_LIMIT": None,
    }
    jobs = [servers.get(path) for path in ("/", "/components/")] * 15
    if has_feedback:
        jobs += [feedback_post(f"Read-only test {i}") for i in range(15)]
    if has_consent:
        jobs += [consent_post("accept")] * 15
    with servers.gunicorn(config, workers=2) as server:
        result = servers.burst(server, jobs, concurrency=8, time_limit=60)
    assert not result.errors, result.errors[:3]
    statuses = result.statuses()
    assert statuses.get(200) == 30, statuses
    assert statuses.get(503, 0) == (15 if has_feedback else 0), statuses
    assert statuses.get(303, 0) == (15 if has_consent else 0), statuses
    for reply in result.replies:
        if reply.status == 503:
            assert TECHNICAL_PROBLEM.encode() in reply.body
        assert CONSENT_COOKIE not in " ".join(reply.set_cookies)
    assert row_counts(db) == before
