"""Exporting the consent log for an audit (``flask haven export-consent``).

Both formats stream row by row, in constant memory however long the log.
CSV cells are neutralised against spreadsheet formulas exactly as the
feedback export does (:func:`~flask_haven.feedback.export.neutralise_cell`):
a log row holds nothing a visitor typed, but an export is opened in
spreadsheets, so every cell gets the same protection.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from ..feedback.export import neutralise_cell
from .log import Notice, Record

RECORD_COLUMNS = (
    "reference",
    "created_at",
    "policy_version",
    "notice_digest",
    "language",
    "source",
    "withdrawn_at",
)
NOTICE_COLUMNS = ("digest", "kind", "language", "text")


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def write_records_csv(records: Iterable[Record], out: IO[str], categories: Sequence[str]) -> int:
    """A header, then one row per record: a ``choice:<name>`` column per category of
    the current policy, and ``other_choices`` for categories it no longer has."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*RECORD_COLUMNS, *(f"choice:{name}" for name in categories), "other_choices"])
    count = 0
    for record in records:
        count += 1
        others = ";".join(
            f"{name}={_yes_no(allowed)}"
            for name, allowed in sorted(record.choices.items())
            if name not in categories
        )
        cells = [
            record.id,
            record.created_at.isoformat(),
            record.policy_version,
            record.notice_digest or "",
            record.language or "",
            record.source or "",
            record.withdrawn_at.isoformat() if record.withdrawn_at else "",
            *(_yes_no(record.choices.get(name)) for name in categories),
            others,
        ]
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return count


def write_notices_csv(notices: Iterable[Notice], out: IO[str]) -> int:
    """The texts people were shown, one row per digest."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NOTICE_COLUMNS)
    count = 0
    for notice in notices:
        count += 1
        cells = [notice.digest, notice.kind, notice.language, notice.text]
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return count


def write_json(items: Iterable[Any], out: IO[str]) -> int:
    """A JSON array of records or notices, written one object at a time."""
    count = 0
    for item in items:
        data = (
            item.as_dict()
            if isinstance(item, Record)
            else {c: getattr(item, c) for c in NOTICE_COLUMNS}
        )
        out.write("[\n" if count == 0 else ",\n")
        body = json.dumps(data, ensure_ascii=False, indent=2)
        out.write("\n".join("  " + line for line in body.splitlines()))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count
