"""Exit counts without tracking: one row per day.

Revision 0004. ``HAVEN_QUICK_EXIT_COUNTS`` keeps how many quick exits there
were each day (UTC) in ``haven_quick_exit_counts``: the day and a number,
nothing else. A new table, so no existing row is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "haven_quick_exit_counts",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("exits", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("haven_quick_exit_counts")
