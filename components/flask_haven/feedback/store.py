"""Where feedback is kept: one SQLAlchemy Core table, then the site's sinks.

The row is committed first and the sinks (e-mail, a webhook...) run after,
so a sink that fails never loses the stored copy, and a database that fails
never half-writes: the insert is one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Engine, Integer, String, Table, Text, select

from ..db import metadata
from .validation import MAX_RETURN_TO

log = logging.getLogger("flask_haven.feedback")

feedback_table = Table(
    "haven_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Always UTC. SQLite keeps it naive; :func:`_as_utc` puts the zone back.
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("answers", JSON, nullable=False),
    Column("return_to", String(MAX_RETURN_TO), nullable=True),
)


@dataclass(frozen=True)
class Feedback:
    """One stored piece of feedback, as sinks and the export see it."""

    id: int
    created_at: datetime
    text: str
    answers: Mapping[str, str] = field(default_factory=dict)
    return_to: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the time as an ISO 8601 string in UTC."""
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "text": self.text,
            "answers": dict(self.answers),
            "return_to": self.return_to,
        }


Sink = Callable[[Feedback], object]


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def save_feedback(
    engine: Engine,
    text: str,
    answers: Mapping[str, str],
    return_to: str | None,
    *,
    now: datetime | None = None,
) -> Feedback:
    """Insert one row in its own transaction and return it with its id.

    Raises :class:`sqlalchemy.exc.SQLAlchemyError` if the database fails; the
    transaction is then rolled back, so nothing is half-written.
    """
    created_at = _as_utc(now or datetime.now(UTC))
    values = {
        # Aware UTC: PostgreSQL keeps the zone; SQLite's DateTime drops it, which
        # is harmless because every value is UTC.
        "created_at": created_at,
        "text": text,
        "answers": dict(answers),
        "return_to": return_to,
    }
    with engine.begin() as connection:
        result = connection.execute(feedback_table.insert().values(**values))
        row_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    return Feedback(row_id, created_at, text, dict(answers), return_to)


def run_sinks(feedback: Feedback, sinks: Iterable[Sink]) -> list[Sink]:
    """Give ``feedback`` to every sink; return those that failed (after logging them).

    The log names the feedback by id only: its text may be personal, and logs
    are kept longer and read more widely than the feedback table.
    """
    failed = []
    for sink in sinks:
        try:
            sink(feedback)
        except Exception:
            log.exception(
                "feedback sink %r failed for feedback id %s; the stored copy is kept",
                getattr(sink, "__name__", sink),
                feedback.id,
            )
            failed.append(sink)
    return failed


# Rows fetched from the database at a time while streaming an export.
STREAM_BATCH = 1000


def answer_names(engine: Engine, since: datetime | None = None) -> list[str]:
    """Every answer name used in stored feedback (from ``since``), sorted.

    Streams the answers column alone, so the CSV export can name its columns
    before writing the first row without holding the rows in memory.
    """
    query = select(feedback_table.c.answers)
    if since is not None:
        query = query.where(feedback_table.c.created_at >= _as_utc(since))
    names: set[str] = set()
    with engine.connect() as connection:
        streaming = connection.execution_options(stream_results=True, yield_per=STREAM_BATCH)
        for (answers,) in streaming.execute(query):
            if isinstance(answers, dict):
                names.update(str(name) for name in answers)
    return sorted(names)


def iter_feedback(engine: Engine, since: datetime | None = None) -> Iterator[Feedback]:
    """Stored feedback, oldest first; only from ``since`` (UTC if naive) when given.

    Streams: rows come from the database in batches (a server-side cursor on
    PostgreSQL), so memory stays flat however many are stored.
    """
    query = select(feedback_table).order_by(feedback_table.c.id)
    if since is not None:
        query = query.where(feedback_table.c.created_at >= _as_utc(since))
    with engine.connect() as connection:
        streaming = connection.execution_options(stream_results=True, yield_per=STREAM_BATCH)
        for row in streaming.execute(query):
            answers = row.answers if isinstance(row.answers, dict) else {}
            yield Feedback(
                id=row.id,
                created_at=_as_utc(row.created_at),
                text=row.text,
                answers={str(k): str(v) for k, v in answers.items()},
                return_to=row.return_to,
            )
