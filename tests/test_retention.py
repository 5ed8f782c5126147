"""Retention settings and ``flask haven purge`` (issue 17, item 6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from demo_app import create_app
from flask_haven import HavenConfigError
from flask_haven.consent import log
from flask_haven.db import get_engine
from flask_haven.feedback import feedback_table, save_feedback
from flask_haven.retention import purge_table

NOW = datetime.now(UTC)


def _count(app: Flask, table: object) -> int:
    with app.app_context(), get_engine().connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


@pytest.fixture
def stocked(app: Flask) -> Flask:
    """3 old and 2 recent feedback rows; 1 old and 1 recent consent-log row."""
    with app.app_context():
        engine = get_engine()
        for days in (400, 500, 366, 10, 0):
            save_feedback(engine, f"{days} days old", {}, None, now=NOW - timedelta(days=days))
        log.record(
            log.new_record_id(),
            {"analytics": True},
            "1",
            int((NOW - timedelta(days=800)).timestamp()),
        )
        log.record(log.new_record_id(), {"analytics": False}, "1", int(NOW.timestamp()))
    return app


def test_dry_run_counts_and_deletes_nothing(stocked: Flask) -> None:
    result = stocked.test_cli_runner().invoke(args=["haven", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "haven_feedback: would delete 3 rows older than 365 days" in result.output
    assert "haven_consent_log: would delete 1 rows older than 730 days" in result.output
    assert _count(stocked, feedback_table) == 5
    assert _count(stocked, log.consent_log) == 2


def test_purge_deletes_only_what_is_older_than_the_retention(stocked: Flask) -> None:
    result = stocked.test_cli_runner().invoke(args=["haven", "purge"])
    assert result.exit_code == 0, result.output
    assert "haven_feedback: deleted 3 rows" in result.output
    assert _count(stocked, feedback_table) == 2
    assert _count(stocked, log.consent_log) == 1


def test_purge_works_in_batches(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("flask_haven.retention.BATCH", 2)
    with app.app_context():
        engine = get_engine()
        for n in range(5):
            save_feedback(engine, f"old {n}", {}, None, now=NOW - timedelta(days=400))
        assert purge_table(engine, feedback_table, 365, dry_run=False).rows == 5
    assert _count(app, feedback_table) == 0


def test_no_retention_keeps_everything(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_FEEDBACK_RETENTION_DAYS": None}
    )
    result = app.test_cli_runner().invoke(args=["haven", "purge"])
    assert "haven_feedback: kept (no retention set)" in result.output


@pytest.mark.parametrize("value", [0, -1, "365", 1.5])
def test_bad_retention_fails_at_start_up(tmp_path: Path, value: object) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_FEEDBACK_RETENTION_DAYS"):
        create_app(
            {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_FEEDBACK_RETENTION_DAYS": value}
        )
