"""The quick exit's server side: exit counts without tracking, and journey protection.

**Exit counts** (``HAVEN_QUICK_EXIT_COUNTS``). A site may want to know that
its quick exit is used, never who used it. Each exit adds one to the count of
its day (UTC) in one table row per day: no identifier, no time of day, no
address, no cookie read or set. The script sends the count with
``navigator.sendBeacon`` after the exit's navigation has started; without
JavaScript the link's ``ping`` attribute does the same. Neither can delay
leaving: the browser sends both alongside the navigation, and nothing waits
for the answer. ``flask haven stats`` prints the counts.

**Journey protection** (``HAVEN_JOURNEY_PROTECTION``). The script posts a
form with ``fetch`` and the header ``Haven-Journey``; a redirect answer then
comes back as 204 with ``Haven-Location``, so the script can load that page
with ``location.replace`` (in the form page's history entry) and the server
is asked for it once (a one-time message in the session is not used up by an
invisible first load). A custom header cannot be sent from another site
without a CORS preflight, which this app never allows, so only our own pages
see redirects answered this way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin

from flask import Response, request
from sqlalchemy import Column, Date, Engine, Integer, Table, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

from .db import get_engine, metadata
from .ratelimit import client_key
from .security import NO_STORE, from_this_site
from .state import current_state

log = logging.getLogger("flask_haven.quick_exit")

JOURNEY_HEADER = "Haven-Journey"
LOCATION_HEADER = "Haven-Location"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

# Counting endpoint bounds: a ping's body is 4 bytes, a beacon's empty; one
# person cannot leave more than a few times a minute.
COUNT_MAX_BYTES = 1024
COUNT_LIMIT = (10, 60.0)

exit_counts = Table(
    "haven_quick_exit_counts",
    metadata,
    Column("day", Date, primary_key=True),
    Column("exits", Integer, nullable=False),
)


def count_exit_view() -> Response:
    """``POST HAVEN_URL_PREFIX/quick-exit/count``: add one to today's count.

    Always answers 204 with nothing in it (no cookie either): the page that
    sent it has gone, and a failure here must never be anyone's problem but
    the log's. Counted only when the request comes from this site (a link on
    another site cannot inflate the figures) and within the per-client limit.
    """
    settings = current_state().settings.quick_exit
    if not (settings.enabled and settings.counts):
        raise NotFound()
    # The body is never read; a big one is refused all the same, as on every POST.
    if (request.content_length or 0) > COUNT_MAX_BYTES:
        raise RequestEntityTooLarge()
    state = current_state()
    if from_this_site() and state.limiter.hit(client_key("quick-exit-count"), *COUNT_LIMIT):
        try:
            record_exit(get_engine(), _today())
        except Exception:  # storage down: the exit itself already happened
            log.exception("could not count a quick exit")
    # text/plain, so the consent hook (which only touches pages) sets no cookie.
    response = Response(status=204, mimetype="text/plain")
    response.headers["Cache-Control"] = NO_STORE
    return response


def _today() -> date:
    return datetime.now(UTC).date()


def record_exit(engine: Engine, day: date) -> None:
    """Add one to ``day``'s count, creating its row on the day's first exit.

    An upsert where the database has one (SQLite, PostgreSQL); elsewhere an
    update, then an insert, retried once if another worker inserted first.
    """
    dialect = engine.dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
        statement = (
            insert(exit_counts)
            .values(day=day, exits=1)
            .on_conflict_do_update(
                index_elements=[exit_counts.c.day], set_={"exits": exit_counts.c.exits + 1}
            )
        )
        with engine.begin() as connection:
            connection.execute(statement)
        return
    for _ in range(2):
        with engine.begin() as connection:
            bump = update(exit_counts).where(exit_counts.c.day == day)
            if connection.execute(bump.values(exits=exit_counts.c.exits + 1)).rowcount:
                return
        try:
            with engine.begin() as connection:
                connection.execute(exit_counts.insert().values(day=day, exits=1))
            return
        except IntegrityError:
            continue


@dataclass(frozen=True)
class DayCount:
    """The exits of one day (UTC)."""

    day: date
    exits: int


def daily_counts(engine: Engine, days: int, *, today: date | None = None) -> Iterator[DayCount]:
    """The last ``days`` days, oldest first, today included; a day with no exit is 0."""
    last = today or _today()
    first = last - timedelta(days=days - 1)
    with engine.connect() as connection:
        rows = connection.execute(
            select(exit_counts.c.day, exit_counts.c.exits).where(exit_counts.c.day >= first)
        ).all()
    counted = {row.day: row.exits for row in rows}
    for offset in range(days):
        day = first + timedelta(days=offset)
        yield DayCount(day, counted.get(day, 0))


def answer_journey_request(response: Response) -> Response:
    """``after_request``: a redirect asked for by the journey script becomes 204 +
    ``Haven-Location`` (absolute), which the script loads with ``location.replace``.

    Everything else about the response stays (a session cookie set while
    saving, say). Other requests, and sites without journey protection, are
    left exactly as they were.
    """
    if JOURNEY_HEADER not in request.headers:
        return response
    if not current_state().settings.quick_exit.journey_protection:
        return response
    response.vary.add(JOURNEY_HEADER)
    location = response.headers.get("Location")
    if response.status_code in _REDIRECTS and location:
        del response.headers["Location"]
        # Resolved against the request, as a browser resolves a Location header.
        response.headers[LOCATION_HEADER] = urljoin(request.url, location)
        response.status_code = 204
        response.set_data(b"")
    return response
