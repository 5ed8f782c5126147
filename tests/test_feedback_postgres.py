"""The feedback service on a real PostgreSQL (for sites on several servers).

The suite starts a throwaway server from Debian's package (``postgres_url``
in conftest.py, see tests/services.py), or uses ``HAVEN_TEST_POSTGRES_URL``
when it names a database these tests may empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from demo_app import create_app
from flask_haven.db import get_engine
from flask_haven.feedback import feedback_table, save_feedback

from .feedback_helpers import post_feedback, stored
from .test_feedback_concurrency import assert_concurrent_posts_stored_once


@pytest.fixture
def pg_app(tmp_path: Path, postgres_url: str) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path,
            "HAVEN_DATABASE_URL": postgres_url,
            "HAVEN_FEEDBACK_RATE_LIMIT": None,
        }
    )
    with app.app_context():
        engine = get_engine()
        feedback_table.drop(engine, checkfirst=True)
        feedback_table.create(engine)
    yield app
    with app.app_context():
        feedback_table.drop(get_engine(), checkfirst=True)
        get_engine().dispose()


def test_engine_is_postgresql(pg_app: Flask) -> None:
    with pg_app.app_context():
        assert get_engine().dialect.name == "postgresql"


def test_form_post_is_stored_with_unicode_and_answers(pg_app: Flask) -> None:
    text = "Très bien \u2013 🚲 and <b>tags</b> stay text\nsecond line"
    response = post_feedback(pg_app.test_client(), text, satisfaction="satisfied", return_to="/x")
    assert response.status_code == 303
    (item,) = stored(pg_app)
    assert (item.text, item.answers, item.return_to) == (text, {"satisfaction": "satisfied"}, "/x")
    assert item.created_at.tzinfo is not None and item.created_at.utcoffset().seconds == 0


def test_export_since_compares_in_utc(pg_app: Flask) -> None:
    with pg_app.app_context():
        engine = get_engine()
        save_feedback(engine, "early", {}, None, now=datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
        save_feedback(engine, "late", {}, None, now=datetime(2026, 11, 24, 0, 30, tzinfo=UTC))
    result = pg_app.test_cli_runner().invoke(
        args=["haven", "export-feedback", "--format", "json", "--since", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert [i["text"] for i in items] == ["late"]
    assert items[0]["created_at"] == "2026-11-24T00:30:00+00:00"


def test_concurrent_posts_are_stored_exactly_once(pg_app: Flask) -> None:
    assert_concurrent_posts_stored_once(pg_app)
