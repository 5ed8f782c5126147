"""Index the consent log by time, for retention.

Revision 0002. ``flask haven purge`` deletes consent-log rows older than
``HAVEN_CONSENT_LOG_RETENTION_DAYS`` a batch at a time; without an index on
``created_at`` every batch read the whole log (and ``--dry-run`` counted it
all), so a purge cost grew with the square of the log's size. The database
builds the index itself: no row passes through Python, whatever the size.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_haven_consent_log_created_at", "haven_consent_log", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_haven_consent_log_created_at", table_name="haven_consent_log")
