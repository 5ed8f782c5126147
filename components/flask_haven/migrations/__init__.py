"""The library's own schema migrations (Alembic), kept apart from the site's.

flask-haven stores feedback (``haven_feedback``), the optional consent log
(``haven_consent_log``) and the optional daily exit counts
(``haven_quick_exit_counts``). Their schema changes between releases are Alembic
revisions in ``versions/``, recorded in a version table of their own,
``haven_alembic_version``, so they never mix with a site's migrations, even in
the same database as the site's ``alembic_version``.

- ``flask haven db upgrade`` brings the schema to :data:`HEAD`;
  ``flask haven db current`` says where it is.
- A site that never runs the command keeps working: :func:`ensure_schema`, on
  the first use of the database, does what the command does.
- Tables made before migrations existed (by ``create_all`` in earlier
  releases, with no version table) are adopted by the baseline revision
  ``0001``, which keeps them and their rows and creates only what is missing.
- An empty database gets the newest tables at once (``create_all``) and is
  stamped :data:`HEAD`, which Alembic recommends for new databases and which
  ``tests/test_migrations.py`` checks builds the same schema as the revisions.

Runs are serialised between processes (gunicorn workers starting at once,
or a deploy step racing a running site): SQLite by ``BEGIN IMMEDIATE``,
PostgreSQL by a transaction-scoped advisory lock. Everything happens in one
transaction, so a failed run leaves the schema as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

VERSION_TABLE = "haven_alembic_version"
# The newest revision in versions/ (tests/test_migrations.py checks they agree).
HEAD = "0004"
# Every table the library owns; nothing else is ever created, changed or read.
TABLES = (
    "haven_feedback",
    "haven_consent_log",
    "haven_consent_notice",
    "haven_quick_exit_counts",
)
SCRIPT_LOCATION = str(Path(__file__).resolve().parent)

# The version table exactly as Alembic creates it, so Alembic reads the stamp.
_version = Table(
    VERSION_TABLE,
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
)


class SchemaConflict(SQLAlchemyError):
    """A table has one of our names but not our columns; it is never altered.

    A database error like any other to the views (the error notice, the
    typed text kept), and a one-line failure from ``flask haven db upgrade``.
    """


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database's flask-haven schema stands."""

    revision: str | None
    """The recorded revision, or ``None`` when there is no version table."""
    tables: tuple[str, ...]
    """Which of :data:`TABLES` exist."""

    @property
    def current(self) -> bool:
        return self.revision == HEAD

    def describe(self) -> str:
        """One line for ``flask haven db current``."""
        if self.revision is not None:
            behind = "" if self.current else f"; the newest is {HEAD}: run flask haven db upgrade"
            return f"{VERSION_TABLE}: {self.revision}{' (newest)' if self.current else behind}"
        if self.tables:
            return (
                f"{VERSION_TABLE}: none; {', '.join(self.tables)} made before migrations "
                "(flask haven db upgrade adopts them, keeping every row)"
            )
        return (
            f"{VERSION_TABLE}: none; no flask-haven tables yet (flask haven db upgrade makes them)"
        )


def status(connection: Connection) -> SchemaStatus:
    """The recorded revision and which of our tables exist."""
    inspector = inspect(connection)
    names = set(inspector.get_table_names())
    revision = None
    if VERSION_TABLE in names:
        revision = connection.execute(select(_version.c.version_num)).scalar()
    return SchemaStatus(revision, tuple(t for t in TABLES if t in names))


def ensure_schema(engine: Engine) -> None:
    """Bring the schema to :data:`HEAD` unless it is there already (the runtime path).

    The check is one look at the catalogue and the version table. A recorded
    :data:`HEAD` with a table missing (dropped by hand) gets the table back,
    empty, as ``create_all`` always did.
    """
    from ..db import metadata

    _register_tables()
    with engine.connect() as connection:
        found = status(connection)
        connection.rollback()
    if found.current:
        if len(found.tables) < len(TABLES):
            metadata.create_all(engine)
        return
    upgrade(engine)


def upgrade(engine: Engine, *, long_statements: bool = False) -> tuple[SchemaStatus, SchemaStatus]:
    """Bring the schema to :data:`HEAD`; return the status before and after.

    In one transaction, holding the migration lock: an empty database gets
    the newest tables and the :data:`HEAD` stamp; anything else (tables from
    before migrations, an older revision) runs the Alembic revisions it lacks.

    ``long_statements`` (the command) lifts PostgreSQL's statement timeout for
    this transaction, so building an index on a large table is not cut off
    after ``HAVEN_DATABASE_TIMEOUT``; waits for locks stay bounded, so the
    upgrade never makes the site's own writes queue behind it for long. The
    runtime path keeps every bound: it runs inside a person's request.
    """
    from ..db import metadata

    _register_tables()
    with engine.connect() as connection, connection.begin():
        _lock(connection)
        if long_statements and connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL statement_timeout = 0"))
        before = status(connection)
        if not before.current:
            if before.revision is None and not before.tables:
                metadata.create_all(connection)
                _version.create(connection)
                connection.execute(_version.insert().values(version_num=HEAD))
            else:
                _run_alembic(connection, "upgrade", HEAD)
        after = status(connection)
    return before, after


def _lock(connection: Connection) -> None:
    """Hold the migration lock until the transaction ends."""
    name = connection.dialect.name
    if name == "sqlite":
        # The Python driver opens transactions lazily; take SQLite's write
        # lock now, so a second process waits (up to the busy timeout) and
        # then sees the finished schema.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('flask-haven schema'))"))
    # Elsewhere the version table's primary key stops a second stamp; run
    # `flask haven db upgrade` once before starting workers.


def _run_alembic(connection: Connection, command_name: str, revision: str) -> None:
    """Run an Alembic command on ``connection`` (its transaction is ours to commit)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    getattr(command, command_name)(config, revision)


def _register_tables() -> None:
    """Import the modules that declare our tables, so ``metadata`` holds them all."""
    from .. import quick_exit  # noqa: F401
    from ..consent import log  # noqa: F401
    from ..feedback import store  # noqa: F401


def only_haven_tables(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic ``include_name`` for our own revisions: see only the library's tables."""
    return type_ != "table" or name in TABLES


def skip_haven_tables(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic ``include_name`` for a **site's** ``env.py`` sharing our database.

    ``context.configure(..., include_name=skip_haven_tables)`` keeps the site's
    autogenerate from proposing to drop the library's tables, which are not
    in the site's metadata, or our version table.
    """
    return type_ != "table" or (name not in TABLES and name != VERSION_TABLE)
