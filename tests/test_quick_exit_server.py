"""The quick exit's server side: exit counts without tracking, ``flask haven stats``,
and the answer to the journey script's form posts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, redirect
from sqlalchemy import create_engine, inspect

from demo_app import create_app
from flask_haven import quick_exit
from flask_haven.db import get_engine
from flask_haven.quick_exit import daily_counts, record_exit

from .conftest import parse

COUNT = "/_haven/quick-exit/count"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def today_count(app: Flask) -> int:
    with app.app_context():
        return next(iter(daily_counts(get_engine(), 1))).exits


@pytest.fixture(scope="module")
def counting_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The demo (which counts exits), once for the module."""
    return create_app({"TESTING": True, "INSTANCE_PATH": tmp_path_factory.mktemp("counts")})


@pytest.fixture
def fresh(counting_app: Flask) -> Flask:
    counting_app.extensions["haven"].limiter.reset()
    return counting_app


class TestCounting:
    def test_a_beacon_or_ping_adds_one_and_sets_nothing(self, fresh: Flask) -> None:
        client = fresh.test_client()
        # A visitor with a session: the answer must still set no cookie.
        client.get("/language/cy?next=/")
        assert client.get_cookie("session") is not None
        before = today_count(fresh)
        beacon = client.post(COUNT, headers=SAME_SITE)
        ping = client.post(
            COUNT, data="PING", content_type="text/ping", headers={**SAME_SITE, "Ping-To": "x"}
        )
        for response in (beacon, ping):
            assert response.status_code == 204 and response.data == b""
            assert "Set-Cookie" not in response.headers
            assert "no-store" in response.headers["Cache-Control"]
        assert today_count(fresh) == before + 2

    def test_what_is_stored_is_a_day_and_a_number(self, fresh: Flask) -> None:
        fresh.test_client().post(COUNT, headers=SAME_SITE)
        with fresh.app_context():
            columns = {
                c["name"] for c in inspect(get_engine()).get_columns("haven_quick_exit_counts")
            }
        assert columns == {"day", "exits"}

    def test_another_site_cannot_add_to_the_count(self, fresh: Flask) -> None:
        before = today_count(fresh)
        response = fresh.test_client().post(COUNT, headers={"Sec-Fetch-Site": "cross-site"})
        assert response.status_code == 204
        assert today_count(fresh) == before

    def test_one_client_counts_a_few_times_a_minute_at_most(self, fresh: Flask) -> None:
        client = fresh.test_client()
        before = today_count(fresh)
        answers = {client.post(COUNT, headers=SAME_SITE).status_code for _ in range(15)}
        assert answers == {204}
        assert today_count(fresh) == before + quick_exit.COUNT_LIMIT[0]

    def test_a_big_body_is_refused_before_it_is_read(self, fresh: Flask) -> None:
        response = fresh.test_client().post(COUNT, data=b"x" * 5000, headers=SAME_SITE)
        assert response.status_code == 413

    def test_storage_failure_is_logged_never_shown(
        self, fresh: Flask, monkeypatch: Any, caplog: Any
    ) -> None:
        def broken(*_: Any) -> None:
            raise RuntimeError("database is down")

        monkeypatch.setattr(quick_exit, "record_exit", broken)
        response = fresh.test_client().post(COUNT, headers=SAME_SITE)
        assert response.status_code == 204
        assert "could not count a quick exit" in caplog.text

    def test_get_is_not_allowed(self, fresh: Flask) -> None:
        assert fresh.test_client().get(COUNT).status_code == 405


def test_without_counts_the_route_is_not_found(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_QUICK_EXIT_COUNTS": False})
    assert app.test_client().post(COUNT, headers=SAME_SITE).status_code == 404


def test_stats_prints_each_day_and_the_total(fresh: Flask) -> None:
    fresh.test_client().post(COUNT, headers=SAME_SITE)
    with fresh.app_context():
        record_exit(get_engine(), date(2026, 11, 1))
    result = fresh.test_cli_runner().invoke(args=["haven", "stats", "--days", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "date (UTC)  exits"
    assert len(lines) == 5 and lines[-1].startswith("total")
    assert int(lines[-2].split()[1]) >= 1  # today
    assert sum(int(line.split()[1]) for line in lines[1:-1]) == int(lines[-1].split()[1])
    bad = fresh.test_cli_runner().invoke(args=["haven", "stats", "--days", "0"])
    assert bad.exit_code == 2


def test_stats_says_when_exits_are_not_counted(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_QUICK_EXIT_COUNTS": False})
    result = app.test_cli_runner().invoke(args=["haven", "stats", "--days", "1"])
    assert result.exit_code == 0
    assert "not counted" in result.output and "total" in result.output


def _count_twice_and_read(engine: Any) -> list[tuple[date, int]]:
    quick_exit.exit_counts.create(engine)
    for _ in range(2):
        record_exit(engine, date(2026, 11, 30))
    record_exit(engine, date(2026, 12, 1))
    days = daily_counts(engine, 2, today=date(2026, 12, 1))
    return [(count.day, count.exits) for count in days]


def test_counts_add_up_on_sqlite_and_without_an_upsert(tmp_path: Path, monkeypatch: Any) -> None:
    expected = [(date(2026, 11, 30), 2), (date(2026, 12, 1), 1)]
    engine = create_engine(f"sqlite:///{tmp_path / 'upsert.sqlite3'}")
    assert _count_twice_and_read(engine) == expected
    engine.dispose()
    # Another database: update, then insert.
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    monkeypatch.setattr(engine.dialect, "name", "other")
    assert _count_twice_and_read(engine) == expected
    engine.dispose()


def test_counts_add_up_on_postgresql(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    quick_exit.exit_counts.drop(engine, checkfirst=True)
    try:
        assert _count_twice_and_read(engine) == [(date(2026, 11, 30), 2), (date(2026, 12, 1), 1)]
    finally:
        # Only our table, made and dropped here: the database is shared with other tests.
        quick_exit.exit_counts.drop(engine, checkfirst=True)
        engine.dispose()


# -- journey protection: the answer to the script's posts ---------------------------


@pytest.fixture(scope="module")
def journey_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path_factory.mktemp("journey")})

    @app.post("/_test/saved")
    def saved() -> Any:
        from flask import session

        session["saved"] = True
        return redirect("thanks?x=1", 303)

    return app


def test_a_redirect_the_journey_script_asked_for_becomes_haven_location(journey_app: Flask) -> None:
    response = journey_app.test_client().post("/_test/saved", headers={"Haven-Journey": "1"})
    assert response.status_code == 204 and response.data == b""
    assert "Location" not in response.headers
    # Absolute, resolved as a browser resolves Location (against the post's URL).
    assert response.headers["Haven-Location"] == "http://localhost/_test/thanks?x=1"
    assert "Haven-Journey" in response.headers["Vary"]
    # What the view set is kept: the session cookie of the saved choice.
    assert "session=" in response.headers["Set-Cookie"]


def test_other_answers_and_other_requests_are_left_alone(journey_app: Flask) -> None:
    client = journey_app.test_client()
    plain = client.post("/_test/saved")
    assert plain.status_code == 303 and "Haven-Location" not in plain.headers
    page = client.post("/feedback", data={}, headers={"Haven-Journey": "1"})
    assert page.status_code == 400  # the form with its errors, as without the header
    assert parse(page.data).select_one("[data-module=haven-error-summary]") is not None


def test_without_journey_protection_the_header_changes_nothing(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_JOURNEY_PROTECTION": False}
    )
    response = app.test_client().get("/language/cy?next=/", headers={"Haven-Journey": "1"})
    assert response.status_code == 303 and "Haven-Location" not in response.headers
