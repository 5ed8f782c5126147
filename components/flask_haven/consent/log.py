"""The optional consent log: proof that a choice was made, without knowing who made it.

Each saved choice gets a random record id (also kept in the person's consent
cookie and shown to them on the cookies page, so they can quote it), the
choices, the policy revision, the time, and proof of what they were shown:
the SHA-256 digest of the exact text of the banner or cookies page form in
their language. The text itself is kept once per digest in
``haven_consent_notice``, so an audit can read what each record's person read.

No IP address, user agent or other identifier is stored: the log proves what
was asked and answered, not who answered. A record can be withdrawn by its
reference (``flask haven withdraw-consent``); the person's browser then counts
as having refused everything.
"""

from __future__ import annotations

import json
import logging
import secrets
import string
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, DateTime, Engine, String, Table, Text, select, update
from sqlalchemy.exc import IntegrityError

from ..db import get_engine, metadata

logger = logging.getLogger(__name__)

consent_log = Table(
    "haven_consent_log",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("choices", Text, nullable=False),
    Column("policy_version", String(32), nullable=False),
    # Indexed (revision 0002) so retention deletes old rows without reading them all.
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    # Proof of what the person was shown: the digest of the exact text (a key
    # of haven_consent_notice), its language, and which form they used.
    Column("notice_digest", String(64), nullable=True),
    Column("language", String(35), nullable=True),
    Column("source", String(16), nullable=True),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
)

consent_notice = Table(
    "haven_consent_notice",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("language", String(35), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Rows per round trip when streaming an export.
STREAM_BATCH = 1000


class ConsentLogError(RuntimeError):
    """The choice could not be logged, so it must not be recorded anywhere."""


@dataclass(frozen=True)
class Notice:
    """What a person was shown when choosing: which form, in which language, its text."""

    kind: str
    language: str
    text: str
    digest: str


@dataclass(frozen=True)
class Record:
    """One logged choice, as exported for an audit."""

    id: str
    created_at: datetime
    policy_version: str
    choices: dict[str, bool]
    notice_digest: str | None
    language: str | None
    source: str | None
    withdrawn_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times in ISO 8601 UTC."""
        return {
            "reference": self.id,
            "created_at": self.created_at.isoformat(),
            "policy_version": self.policy_version,
            "choices": self.choices,
            "notice_digest": self.notice_digest,
            "language": self.language,
            "source": self.source,
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
        }


# Letters and digits only: a person reads the id out or types it, and one that
# began with "-" (1 in 64 of the URL-safe ids made before) looked like an option
# to the command that withdraws it.
_ID_CHARACTERS = string.ascii_letters + string.digits


def new_record_id() -> str:
    """A random, unguessable id: 16 letters and digits (95 bits)."""
    return "".join(secrets.choice(_ID_CHARACTERS) for _ in range(16))


def record(
    record_id: str,
    choices: dict[str, bool],
    policy_version: str,
    when: int,
    notice: Notice | None = None,
    source: str | None = None,
) -> None:
    """Store one choice (and its notice text, once); raise :class:`ConsentLogError`
    on any storage failure."""
    created = datetime.fromtimestamp(when, UTC)
    try:
        engine = get_engine()
        if notice is not None:
            _keep_notice(engine, notice, created)
        with engine.begin() as connection:
            connection.execute(
                consent_log.insert().values(
                    id=record_id,
                    choices=json.dumps(choices, sort_keys=True),
                    policy_version=policy_version,
                    created_at=created,
                    notice_digest=notice.digest if notice else None,
                    language=notice.language if notice else None,
                    source=source,
                )
            )
    except Exception as exc:  # any driver error means "not recorded"
        raise ConsentLogError(str(exc)) from exc


def _keep_notice(engine: Engine, notice: Notice, when: datetime) -> None:
    """Store a notice's text the first time its digest is seen."""
    with engine.connect() as connection:
        known = connection.execute(
            select(consent_notice.c.digest).where(consent_notice.c.digest == notice.digest)
        ).first()
    if known is not None:
        return
    try:
        with engine.begin() as connection:
            connection.execute(
                consent_notice.insert().values(
                    digest=notice.digest,
                    kind=notice.kind,
                    language=notice.language,
                    text=notice.text,
                    created_at=when,
                )
            )
    except IntegrityError:
        pass  # another worker stored the same text first


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
        "notice_digest": row.notice_digest,
        "language": row.language,
        "source": row.source,
        "withdrawn_at": row.withdrawn_at,
    }


def withdraw(record_id: str, *, now: datetime | None = None) -> bool:
    """Mark the record ``record_id`` withdrawn; False if there is no such record.

    The person's browser then counts as having refused every optional category
    (within :data:`WithdrawnReferences.REFRESH_SECONDS` on every worker).
    Withdrawing twice keeps the first time.
    """
    when = now or datetime.now(UTC)
    with get_engine().begin() as connection:
        found = connection.execute(
            select(consent_log.c.id).where(consent_log.c.id == record_id)
        ).first()
        if found is None:
            return False
        connection.execute(
            update(consent_log)
            .where(consent_log.c.id == record_id, consent_log.c.withdrawn_at.is_(None))
            .values(withdrawn_at=when)
        )
    return True


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iter_records(engine: Engine, since: datetime | None = None) -> Iterator[Record]:
    """Logged choices, oldest first; only from ``since`` when given.

    Streams: rows come in batches (a server-side cursor on PostgreSQL), so
    memory stays flat however many are stored.
    """
    query = select(consent_log).order_by(consent_log.c.created_at, consent_log.c.id)
    if since is not None:
        query = query.where(consent_log.c.created_at >= _as_utc(since))
    with engine.connect() as connection:
        streaming = connection.execution_options(stream_results=True, yield_per=STREAM_BATCH)
        for row in streaming.execute(query):
            try:
                choices = json.loads(row.choices)
            except ValueError:
                choices = {}
            yield Record(
                id=row.id,
                created_at=_as_utc(row.created_at),
                policy_version=row.policy_version,
                choices={str(k): bool(v) for k, v in dict(choices).items()},
                notice_digest=row.notice_digest,
                language=row.language,
                source=row.source,
                withdrawn_at=_as_utc(row.withdrawn_at) if row.withdrawn_at else None,
            )


def iter_notices(engine: Engine) -> Iterator[Notice]:
    """Every stored notice text, oldest first."""
    query = select(consent_notice).order_by(consent_notice.c.created_at, consent_notice.c.digest)
    with engine.connect() as connection:
        streaming = connection.execution_options(stream_results=True, yield_per=STREAM_BATCH)
        for row in streaming.execute(query):
            yield Notice(kind=row.kind, language=row.language, text=row.text, digest=row.digest)


class WithdrawnReferences:
    """The references withdrawn in the log, kept in memory and refreshed in the background.

    Deciding a page must never wait on the database (a locked or vanished one
    would hold up every page, quick exit included), so a request only reads
    this set; when it is older than :data:`REFRESH_SECONDS`, the reading
    request starts one background refresh. A failed refresh keeps the last set.
    """

    REFRESH_SECONDS = 60.0

    def __init__(self, max_age_seconds: int) -> None:
        self.max_age_seconds = max_age_seconds
        self._references: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()
        self._refreshing = False

    def __contains__(self, reference: object) -> bool:
        return reference in self._references

    def refresh(self, engine: Engine) -> None:
        """Read the withdrawn references now (only those young enough to be in a cookie)."""
        cutoff = datetime.now(UTC) - timedelta(seconds=self.max_age_seconds)
        query = select(consent_log.c.id).where(
            consent_log.c.withdrawn_at.is_not(None), consent_log.c.created_at >= cutoff
        )
        with engine.connect() as connection:
            references = frozenset(connection.execute(query).scalars())
        self._references = references
        self._loaded_at = time.monotonic()

    def refresh_soon(self, app: Any) -> None:
        """Start a background refresh if the set is stale and none is running."""
        if time.monotonic() - self._loaded_at < self.REFRESH_SECONDS:
            return
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True
        thread = threading.Thread(target=self._refresh_in, args=(app,), daemon=True)
        thread.start()

    def _refresh_in(self, app: Any) -> None:
        try:
            with app.app_context():
                self.refresh(get_engine())
        except Exception:  # a database fault must never reach a page
            logger.warning("could not read withdrawn consent references", exc_info=True)
            # Try again at the next interval, not on every request.
            self._loaded_at = time.monotonic()
        finally:
            self._refreshing = False
