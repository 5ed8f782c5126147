"""flask-haven's own schema migrations (issue 17, item 5), on SQLite and a real PostgreSQL.

The library's revisions live in ``flask_haven/migrations`` and record
themselves in ``haven_alembic_version``, never in the site's
``alembic_version``. A database made by an earlier release (``create_all``,
no version table) is adopted with every row kept, by the command or, for a
site that never runs it, on first use.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    make_url,
    select,
    text,
)

from demo_app import create_app
from flask_haven import migrations
from flask_haven.db import engine_of, metadata

from .feedback_helpers import post_feedback

# The schema as flask-haven 0.1.0 made it with `metadata.create_all` before it had
# migrations (commit 03fa9ba), frozen here: the shape real databases have today.
PREVIOUS = MetaData()
Table(
    "haven_feedback",
    PREVIOUS,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("answers", JSON, nullable=False),
    Column("return_to", String(512), nullable=True),
)
Table(
    "haven_consent_log",
    PREVIOUS,
    Column("id", String(32), primary_key=True),
    Column("choices", Text, nullable=False),
    Column("policy_version", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
# The site's own migrations share the database: we must never touch them.
SITE = MetaData()
Table("alembic_version", SITE, Column("version_num", String(32), primary_key=True))
Table("site_cases", SITE, Column("id", Integer, primary_key=True))

FEEDBACK = [
    (datetime(2025, 3, 1, 9, 30, tzinfo=UTC), "Très 🚲 <b>tags</b>", {"q": "yes"}, "/news"),
    (datetime(2025, 6, 2, 23, 59, tzinfo=UTC), "second line\nkept", {}, None),
]
CONSENT = [
    ("rec-one", '{"analytics": true}', "1", datetime(2024, 1, 5, tzinfo=UTC)),
    ("rec-two", '{"analytics": false}', "2", datetime(2025, 7, 9, tzinfo=UTC)),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    server = make_url(request.getfixturevalue("postgres_url"))
    name = f"haven_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _previous_release_database(url: str) -> None:
    """Tables as the previous release left them, with rows, beside a site's own."""
    engine = create_engine(url)
    try:
        PREVIOUS.create_all(engine)
        SITE.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                PREVIOUS.tables["haven_feedback"].insert(),
                [
                    {"created_at": at, "text": body, "answers": answers, "return_to": back}
                    for at, body, answers, back in FEEDBACK
                ],
            )
            connection.execute(
                PREVIOUS.tables["haven_consent_log"].insert(),
                [
                    {"id": i, "choices": c, "policy_version": v, "created_at": at}
                    for i, c, v, at in CONSENT
                ],
            )
            connection.execute(SITE.tables["alembic_version"].insert(), {"version_num": "site42"})
    finally:
        engine.dispose()


def _app(url: str, tmp_path: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path / "instance",
            "HAVEN_DATABASE_URL": url,
            "HAVEN_FEEDBACK_RATE_LIMIT": None,
        }
    )


def _rows(engine: Engine) -> tuple[list[Any], list[Any]]:
    with engine.connect() as connection:
        feedback = connection.execute(
            text("SELECT id, text, answers, return_to FROM haven_feedback ORDER BY id")
        ).all()
        consent = connection.execute(
            text("SELECT id, choices, policy_version FROM haven_consent_log ORDER BY id")
        ).all()
    # JSON comes back parsed on PostgreSQL and as text on SQLite.
    return [(i, t, a if isinstance(a, dict) else json.loads(a), r) for i, t, a, r in feedback], [
        tuple(row) for row in consent
    ]


def _schema_differences(engine: Engine) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": migrations.only_haven_tables}
        )
        return list(compare_metadata(context, metadata))


def test_upgrade_adopts_the_previous_schema_and_keeps_every_row(
    database_url: str, tmp_path: Path
) -> None:
    _previous_release_database(database_url)
    app = _app(database_url, tmp_path)
    cli = app.test_cli_runner()
    engine = engine_of(app)
    before = _rows(engine)
    assert len(before[0]) == 2 and len(before[1]) == 2

    current = cli.invoke(args=["haven", "db", "current"])
    assert "made before migrations" in current.output, current.output
    result = cli.invoke(args=["haven", "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "adopted haven_feedback, haven_consent_log" in result.output
    assert f"none -> {migrations.HEAD}" in result.output

    assert _rows(engine) == before, "a row changed"
    assert _schema_differences(engine) == [], "the upgraded schema is not the models'"
    indexes = {index["name"] for index in inspect(engine).get_indexes("haven_consent_log")}
    assert "ix_haven_consent_log_created_at" in indexes
    with engine.connect() as connection:
        site_version = connection.execute(select(SITE.tables["alembic_version"])).scalars().all()
    assert site_version == ["site42"], "the site's own migration history was touched"
    assert "site_cases" in inspect(engine).get_table_names()

    again = cli.invoke(args=["haven", "db", "upgrade"])
    assert "already the newest" in again.output, again.output
    assert f"{migrations.HEAD} (newest)" in cli.invoke(args=["haven", "db", "current"]).output

    # The site carries on: old rows export beside a new one.
    assert post_feedback(app.test_client(), "After the upgrade").status_code == 303
    exported = cli.invoke(args=["haven", "export-feedback", "--format", "json"])
    texts = [item["text"] for item in json.loads(exported.output)]
    assert texts == [body for _, body, _, _ in FEEDBACK] + ["After the upgrade"]
    engine.dispose()


def test_revisions_build_the_models_schema_and_the_head_is_known(tmp_path: Path) -> None:
    """Revisions from nothing give exactly what ``create_all`` + stamp gives a new database."""
    script_head = ScriptDirectory(migrations.SCRIPT_LOCATION).get_current_head()
    assert script_head == migrations.HEAD
    engine = create_engine(f"sqlite:///{tmp_path / 'from-revisions.sqlite3'}")
    with engine.connect() as connection, connection.begin():
        migrations._run_alembic(connection, "upgrade", "head")
    assert _schema_differences(engine) == []
    with engine.connect() as connection:
        assert migrations.status(connection).current
    with engine.connect() as connection, connection.begin():
        migrations._run_alembic(connection, "downgrade", "base")
    assert set(inspect(engine).get_table_names()) == {migrations.VERSION_TABLE}
    engine.dispose()


def test_a_site_that_never_runs_the_command_is_adopted_on_first_use(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    _previous_release_database(url)
    # Two workers' first requests arrive at once: one adopts, the other waits and finds it done.
    apps = [_app(url, tmp_path / str(n)) for n in range(2)]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def first_request(app: Flask) -> None:
        client = app.test_client()
        start.wait()
        statuses.append(post_feedback(client, "First post after the upgrade").status_code)

    threads = [threading.Thread(target=first_request, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [303, 303]
    engine = engine_of(apps[0])
    feedback, consent = _rows(engine)
    assert [row[1] for row in feedback[:2]] == [body for _, body, _, _ in FEEDBACK]
    assert len(feedback) == 4 and len(consent) == 2
    with engine.connect() as connection:
        assert migrations.status(connection).current
    for app in apps:
        engine_of(app).dispose()


def test_a_table_that_is_not_ours_is_never_altered(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE haven_consent_log (id INTEGER PRIMARY KEY, x TEXT)"))
    app = _app(url, tmp_path)
    result = app.test_cli_runner().invoke(args=["haven", "db", "upgrade"])
    assert result.exit_code == 1
    assert "haven_consent_log exists but has no" in result.output, result.output
    # haven_feedback, created before the conflict was found, went with the transaction.
    assert inspect(engine).get_table_names() == ["haven_consent_log"], "something was changed"
    # On first use the person sees the error notice, not a 500.
    assert post_feedback(app.test_client(), "Kept text").status_code == 503
    engine.dispose()
    engine_of(app).dispose()


def test_a_sites_own_autogenerate_can_leave_our_tables_alone(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    migrations.upgrade(engine)
    site = MetaData()
    Table("site_cases", site, Column("id", Integer, primary_key=True))
    site.create_all(engine)
    with engine.connect() as connection:
        naive = compare_metadata(MigrationContext.configure(connection), site)
        hooked = compare_metadata(
            MigrationContext.configure(
                connection, opts={"include_name": migrations.skip_haven_tables}
            ),
            site,
        )
    dropped = {op[1].name for op in naive if op[0] == "remove_table"}
    assert dropped == {*migrations.TABLES, migrations.VERSION_TABLE}
    assert hooked == []
    engine.dispose()
