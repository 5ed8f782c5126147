"""Storage for what the components record (feedback, the optional consent log).

SQLAlchemy Core on one engine per app: SQLite in the instance folder by
default, or any SQLAlchemy URL (``HAVEN_DATABASE_URL``), for example
PostgreSQL when a site runs on several servers. Components declare their
tables on :data:`metadata`; on first use :func:`init_db` brings the schema to
the newest revision (:mod:`flask_haven.migrations`), as
``flask haven db upgrade`` does.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import weakref
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import (
    Engine,
    MetaData,
    PoolProxiedConnection,
    QueuePool,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.exc import DisconnectionError, OperationalError

from .state import state_of

metadata = MetaData()

# Engines whose schema is ready: from then on a vanished SQLite file is an
# error, never silently re-created empty.
_READY: weakref.WeakSet[Engine] = weakref.WeakSet()


def database_url(app: Flask) -> str:
    """``HAVEN_DATABASE_URL``, or a SQLite file in the instance folder."""
    url = state_of(app).settings.database_url
    if url:
        return url
    path = Path(app.instance_path) / "haven.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _make_engine(url: str, timeout: float) -> Engine:
    """An engine whose every wait is bounded by ``timeout`` seconds.

    A request must fail with the error notice well before a process manager
    kills the worker (gunicorn's default is 30 s): a killed worker gives the
    person an empty response, no quick exit and their typed text lost.
    """
    if not url.startswith("sqlite"):
        connect_args: dict[str, Any] = {}
        if url.startswith("postgresql"):
            ms = int(timeout * 1000)
            connect_args = {
                "connect_timeout": max(1, int(timeout)),
                "options": f"-c lock_timeout={ms} -c statement_timeout={ms}",
            }
        return create_engine(
            url, pool_pre_ping=True, pool_timeout=timeout, connect_args=connect_args
        )
    path = _sqlite_path(url)
    engine = create_engine(
        url,
        connect_args={"timeout": timeout},
        pool_pre_ping=True,
        poolclass=_writable_files_pool(path) if path else QueuePool,
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers and one writer work at once across processes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        if path is not None:
            # (device, inode) of the file this connection opened: a file deleted
            # or replaced under a running site is noticed, not written as a ghost.
            with contextlib.suppress(OSError):
                stat = os.stat(path)
                record.info["haven_file"] = (stat.st_dev, stat.st_ino)

    @event.listens_for(engine, "checkout")
    def _same_file(_dbapi: Any, record: Any, _proxy: Any) -> None:
        if path is None or "haven_file" not in record.info:
            return
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if stat is None or (stat.st_dev, stat.st_ino) != record.info["haven_file"]:
            # The pool retries with a fresh connection, which opens the file
            # that is there now (or fails, if none: see _no_new_file).
            raise DisconnectionError(f"{path} was deleted or replaced")

    @event.listens_for(engine, "do_connect")
    def _no_new_file(_dialect: Any, _record: Any, _args: Any, kwargs: Any) -> None:
        # Once the tables exist, never let SQLite create an empty file in
        # place of a vanished one: a write would then fail on a missing
        # table at best, or be thanked for and lost at worst.
        if path is not None and engine in _READY and not os.path.exists(path):
            raise sqlite3.OperationalError(f"unable to open database file: {path} is gone")

    @event.listens_for(engine, "handle_error")
    def _drop_broken_connections(context: Any) -> None:
        # A connection that hit an I/O, read-only or open error may keep
        # failing after the file is healthy again (stale WAL index, old
        # inode): treat it as a disconnect, so the pool opens fresh ones.
        # A busy database ("locked") is only busy: keep the connection.
        error = context.original_exception
        if isinstance(error, sqlite3.OperationalError) and "locked" not in str(error):
            context.is_disconnect = True

    return engine


def _writable_files_pool(path: str) -> type[QueuePool]:
    """A pool that refuses to hand out a connection while the file is not writable.

    In WAL mode every connection maps the ``-shm`` index into memory. When the
    files turn read-only under a running site (``chattr +i``, a file system
    remounted read-only after a disk error), the kernel answers the next touch
    of that memory with SIGBUS: a read, a write, even closing the last
    connection kills the worker, and the person gets an empty response.
    Connections opened meanwhile fall back to read-only and keep failing after
    the files are writable again. So while any of the files cannot be written
    we do not touch SQLite at all: no checkout, no new connection, no close;
    the caller gets an ordinary database error (the error notice), and the
    pooled connections are used again, unharmed, once the files are writable.
    ``os.access`` asks the kernel, so it holds for root too, unlike the mode bits.
    """
    files = (path, f"{path}-wal", f"{path}-shm")

    class WritableFilesPool(QueuePool):
        def connect(self) -> PoolProxiedConnection:
            for name in files:
                # A missing -wal or -shm is created by SQLite; a missing
                # database file is _no_new_file's business.
                if os.path.exists(name) and not os.access(name, os.W_OK):
                    error = sqlite3.OperationalError(f"{name} is not writable")
                    raise OperationalError("(connect)", None, error)
            return super().connect()

    return WritableFilesPool


def _sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL, or None for memory or a URI we cannot read."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database)


def engine_of(app: Flask) -> Engine:
    """The app's engine, created once, without looking at the schema.

    The ``flask haven db`` commands use it to report and upgrade the schema
    themselves; everything else goes through :func:`init_db`.
    """
    state = state_of(app)
    if state.engine is None:
        with state.engine_lock:
            if state.engine is None:
                state.engine = _make_engine(database_url(app), state.settings.database_timeout)
    return state.engine


def init_db(app: Flask) -> Engine:
    """The app's engine, with its schema brought to the newest revision once.

    A site that never runs ``flask haven db upgrade`` keeps working: the first
    use creates the tables (empty database), adopts tables an older release
    made, or applies the missing revisions, under a lock that other worker
    processes wait on. Once the schema is known to be current this costs
    nothing. A failure (the database is down) is raised to the caller and
    tried again on the next use.
    """
    engine = engine_of(app)
    if engine not in _READY:
        from . import migrations  # Alembic is imported only when a revision must run

        with state_of(app).engine_lock:
            if engine not in _READY:
                migrations.ensure_schema(engine)
                _READY.add(engine)
    return engine


def get_engine() -> Engine:
    """The current app's engine (created on first use)."""
    return init_db(current_app)
