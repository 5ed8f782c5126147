"""Storage faults answer within seconds, keep the typed text, and recover alone.

Issue 17, rows 5 and 7: a SQLite file locked by another process made both
gunicorn workers wait out a 30 s busy timeout (= gunicorn's worker timeout)
and be SIGKILLed; a SQLite file deleted under the running site took every
post into the deleted inode while thanking the person. The same lock on
PostgreSQL must also end in the error notice, not a hung worker.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from demo_app import create_app
from flask_haven.config import DEFAULTS
from flask_haven.db import get_engine

from ..conftest import parse
from .forms import FEEDBACK_URL, TECHNICAL_PROBLEM
from .test_db_faults import alert_texts, token

TEXT = "The support hub page did not say whether there is a hearing loop."
GUNICORN_WORKER_TIMEOUT = 30


def _app(instance: Path, **config: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "HAVEN_FEEDBACK_RATE_LIMIT": None,
            **config,
        }
    )


def _post(client: FlaskClient, text: str = TEXT) -> tuple[Any, float]:
    data = {"csrf_token": token(client, FEEDBACK_URL), "feedback": text}
    start = time.perf_counter()
    response = client.post(FEEDBACK_URL, data=data)
    return response, time.perf_counter() - start


def _assert_error_with_text_kept(response: Any, text: str = TEXT) -> None:
    assert response.status_code == 503, response.status_code
    assert any(TECHNICAL_PROBLEM in t for t in alert_texts(response.data))
    textarea = parse(response.data).find("textarea")
    assert textarea is not None and textarea.get_text() == text, "what was typed was lost"


def _stored(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM haven_feedback")]


def test_default_timeout_is_well_under_the_worker_timeout() -> None:
    assert DEFAULTS["HAVEN_DATABASE_TIMEOUT"] <= GUNICORN_WORKER_TIMEOUT / 5


def test_locked_sqlite_answers_within_seconds_and_recovers(tmp_path: Path) -> None:
    app = _app(tmp_path / "instance")
    client = app.test_client()
    with app.app_context():
        get_engine()  # the tables exist
    db = tmp_path / "instance" / "haven.sqlite3"
    # Another process's exclusive transaction (a backup tool, a migration).
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        response, seconds = _post(client)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _assert_error_with_text_kept(response)
    assert seconds < 10, f"took {seconds:.1f}s: a worker timeout of 30 s is too close"
    # Once the lock is gone, the next post is stored without a restart.
    again, _ = _post(client, "After the lock")
    assert again.status_code == 303
    assert _stored(db) == ["After the lock"]


def test_deleted_sqlite_file_is_never_thanked_for(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    app = _app(instance)
    client = app.test_client()
    first, _ = _post(client, "Before")
    assert first.status_code == 303
    db = instance / "haven.sqlite3"
    for part in instance.glob("haven.sqlite3*"):
        part.unlink()
    response, seconds = _post(client)
    _assert_error_with_text_kept(response)
    assert seconds < 10
    assert not db.exists(), "an empty database was created in place of the lost one"
    # An operator restores the database (here: a fresh one with the tables);
    # the running app writes to it without a restart.
    with _app(instance).app_context():
        get_engine().dispose()
    again, _ = _post(client, "After restore")
    assert again.status_code == 303
    assert _stored(db) == ["After restore"]


def test_replaced_sqlite_file_gets_the_writes(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    app = _app(instance)
    client = app.test_client()
    assert _post(client, "Before")[0].status_code == 303
    db = instance / "haven.sqlite3"
    (instance / "old").mkdir()
    for part in instance.glob("haven.sqlite3*"):
        part.rename(instance / "old" / part.name)
    with _app(instance).app_context():
        get_engine().dispose()
    assert _post(client, "After swap")[0].status_code == 303
    assert _stored(db) == ["After swap"]


def test_locked_postgresql_answers_within_seconds(tmp_path: Path, postgres_url: str) -> None:
    app = _app(tmp_path / "instance", HAVEN_DATABASE_URL=postgres_url)
    client = app.test_client()
    with app.app_context():
        engine = get_engine()
        with engine.connect() as holder:
            holder.execute(text("LOCK TABLE haven_feedback IN ACCESS EXCLUSIVE MODE"))
            response, seconds = _post(client)
            holder.rollback()
    _assert_error_with_text_kept(response)
    assert seconds < 10
    again, _ = _post(client, "After the PostgreSQL lock")
    assert again.status_code == 303
    with app.app_context():
        get_engine().dispose()
