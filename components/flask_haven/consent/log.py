"""The optional consent log: proof that a choice was made, without knowing who made it.

Each saved choice gets a random record id (also kept in the person's consent
cookie, so they can quote it), the choices, the policy version and the time.
No IP address, user agent or other identifier is stored: the log proves what
was asked and answered, not who answered.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, String, Table, Text, select

from ..db import get_engine, metadata

consent_log = Table(
    "haven_consent_log",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("choices", Text, nullable=False),
    Column("policy_version", String(32), nullable=False),
    # Indexed (revision 0002) so retention deletes old rows without reading them all.
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)


class ConsentLogError(RuntimeError):
    """The choice could not be logged, so it must not be recorded anywhere."""


def new_record_id() -> str:
    """A random, unguessable id (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def record(record_id: str, choices: dict[str, bool], policy_version: str, when: int) -> None:
    """Store one choice; raise :class:`ConsentLogError` on any storage failure."""
    try:
        with get_engine().begin() as connection:
            connection.execute(
                consent_log.insert().values(
                    id=record_id,
                    choices=json.dumps(choices, sort_keys=True),
                    policy_version=policy_version,
                    created_at=datetime.fromtimestamp(when, UTC),
                )
            )
    except Exception as exc:  # any driver error means "not recorded"
        raise ConsentLogError(str(exc)) from exc


def find(record_id: str) -> dict[str, object] | None:
    """One logged record as a dict, or ``None`` (for a site answering a query)."""
    with get_engine().connect() as connection:
        row = connection.execute(select(consent_log).where(consent_log.c.id == record_id)).first()
    if row is None:
        return None
    return {
        "id": row.id,
        "choices": json.loads(row.choices),
        "policy_version": row.policy_version,
        "created_at": row.created_at,
    }
