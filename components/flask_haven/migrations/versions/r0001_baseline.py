"""Baseline: the tables as flask-haven made them before it had migrations.

Revision 0001. On a database where an earlier release's ``create_all`` made
the tables (there is no version table), it adopts them: each existing table
is checked for the columns the library reads and kept with every row, and
only what is missing is created. Written out in full, not taken from the
models, so it stays what it was when later revisions change the models.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from flask_haven.migrations import SchemaConflict

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FEEDBACK_COLUMNS = {"id", "created_at", "text", "answers", "return_to"}
CONSENT_LOG_COLUMNS = {"id", "choices", "policy_version", "created_at"}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())

    if "haven_feedback" in existing:
        _adopt(inspector, "haven_feedback", FEEDBACK_COLUMNS)
    else:
        op.create_table(
            "haven_feedback",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("answers", sa.JSON(), nullable=False),
            sa.Column("return_to", sa.String(512), nullable=True),
        )
    indexes = {index["name"] for index in inspector.get_indexes("haven_feedback")}
    if "haven_feedback" not in existing or "ix_haven_feedback_created_at" not in indexes:
        op.create_index("ix_haven_feedback_created_at", "haven_feedback", ["created_at"])

    if "haven_consent_log" in existing:
        _adopt(inspector, "haven_consent_log", CONSENT_LOG_COLUMNS)
    else:
        op.create_table(
            "haven_consent_log",
            sa.Column("id", sa.String(32), primary_key=True),
            sa.Column("choices", sa.Text(), nullable=False),
            sa.Column("policy_version", sa.String(32), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("haven_consent_log")
    op.drop_index("ix_haven_feedback_created_at", table_name="haven_feedback")
    op.drop_table("haven_feedback")


def _adopt(inspector: sa.Inspector, table: str, wanted: set[str]) -> None:
    """Keep a table an earlier release made, if it has the columns we read."""
    missing = wanted - {column["name"] for column in inspector.get_columns(table)}
    if missing:
        # Not ours, or damaged: never alter a table we cannot vouch for.
        raise SchemaConflict(
            f"{table} exists but has no {', '.join(sorted(missing))} column: it was not "
            f"made by flask-haven. Rename it, or point HAVEN_DATABASE_URL at another database."
        )
