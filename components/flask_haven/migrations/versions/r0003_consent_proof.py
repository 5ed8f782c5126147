"""Proof of consent: what each person was shown, and withdrawals.

Revision 0003. Each consent-log row gains the digest of the exact notice text
shown (``notice_digest``, a key of the new ``haven_consent_notice`` table, which
keeps each text once), the page's language, which form was used (``source``)
and when the record was withdrawn (``withdrawn_at``). Every new column may be
empty, so rows logged before this revision stay valid as they are: adding them
rewrites no row, whatever the log's size.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("notice_digest", sa.String(64)),
    ("language", sa.String(35)),
    ("source", sa.String(16)),
    ("withdrawn_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    for name, type_ in NEW_COLUMNS:
        op.add_column("haven_consent_log", sa.Column(name, type_, nullable=True))
    op.create_table(
        "haven_consent_notice",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("haven_consent_notice")
    # SQLite before 3.35 cannot drop a column in place; batch mode copies the table.
    with op.batch_alter_table("haven_consent_log") as batch:
        for name, _ in reversed(NEW_COLUMNS):
            batch.drop_column(name)
