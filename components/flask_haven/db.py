"""Storage for what the components record (feedback, the optional consent log).

SQLAlchemy Core on one engine per app: SQLite in the instance folder by
default, or any SQLAlchemy URL (``HAVEN_DATABASE_URL``), for example
PostgreSQL when a site runs on several servers. Components declare their
tables on :data:`metadata`; :func:`init_db` creates what is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.exc import OperationalError, ProgrammingError

from .state import state_of

metadata = MetaData()


def database_url(app: Flask) -> str:
    """``HAVEN_DATABASE_URL``, or a SQLite file in the instance folder."""
    url = state_of(app).settings.database_url
    if url:
        return url
    path = Path(app.instance_path) / "haven.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    # A generous busy timeout: several worker processes share the file.
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers and one writer work at once across processes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def init_db(app: Flask) -> Engine:
    """Create (once per app) the engine, and any missing tables.

    Safe when the first requests arrive at once: threads wait on the app's
    lock, and another process creating the same table first is not an error.
    """
    state = state_of(app)
    if state.engine is not None:
        return state.engine
    with state.engine_lock:
        if state.engine is None:
            engine = _make_engine(database_url(app))
            try:
                metadata.create_all(engine)
            except (OperationalError, ProgrammingError):
                # Another worker process created a table between our check and
                # our CREATE; the second pass sees it and creates the rest.
                metadata.create_all(engine)
            state.engine = engine
    return state.engine


def get_engine() -> Engine:
    """The current app's engine (created on first use)."""
    return init_db(current_app)
