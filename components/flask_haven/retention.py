"""Retention: how long stored feedback and consent-log rows are kept.

``flask haven purge`` deletes rows older than ``HAVEN_FEEDBACK_RETENTION_DAYS``
and ``HAVEN_CONSENT_LOG_RETENTION_DAYS``; ``--dry-run`` only counts them.
Deletes run in batches, each its own short transaction, so a large purge
never holds a lock that would make a person's post wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, Table, delete, func, select

BATCH = 1000


@dataclass(frozen=True)
class PurgeResult:
    """What a purge found (and, unless a dry run, deleted) in one table."""

    table: str
    cutoff: datetime
    rows: int


def purge_table(
    engine: Engine, table: Table, days: int, *, dry_run: bool, now: datetime | None = None
) -> PurgeResult:
    """Delete (or with ``dry_run`` count) rows of ``table`` older than ``days`` days."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    old = table.c.created_at < cutoff
    if dry_run:
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(table).where(old))
            return PurgeResult(table.name, cutoff, int(count.scalar_one()))
    key = next(iter(table.primary_key.columns))
    deleted = 0
    while True:
        with engine.begin() as connection:
            ids = connection.execute(select(key).where(old).limit(BATCH)).scalars().all()
            if not ids:
                return PurgeResult(table.name, cutoff, deleted)
            connection.execute(delete(table).where(key.in_(ids)))
            deleted += len(ids)
