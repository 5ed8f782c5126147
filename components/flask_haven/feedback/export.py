"""Exporting stored feedback as CSV or JSON (``flask haven export-feedback``).

CSV is opened in spreadsheets, where a cell starting with ``=``, ``+``, ``-``
or ``@`` (or a tab or carriage return) can run as a formula: anyone can type
feedback, so every such cell is neutralised with a leading apostrophe.
Spreadsheets skip leading spaces, a byte-order mark or a no-break space before
reading the formula, and some read full-width equals (U+FF1D) as ``=``: those count too.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import IO

from .store import Feedback

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ("id", "created_at", "return_to", "text")


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would read as a formula (OWASP advice)."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    # Skip what a spreadsheet may skip before the first character it reads:
    # any Unicode whitespace (NBSP included) and format characters (the BOM,
    # zero-width spaces). NFKC then folds full-width forms (U+FF1D is "=").
    for char in value:
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        if unicodedata.normalize("NFKC", char).startswith(FORMULA_STARTS):
            return "'" + value
        break
    return value


def write_csv(
    items: Iterable[Feedback], out: IO[str], answer_names: Sequence[str] | None = None
) -> int:
    """Write a header and one row per item; answers get one ``answer:<name>`` column each.

    With ``answer_names`` (see :func:`~flask_haven.feedback.store.answer_names`)
    the rows stream straight through in constant memory; without, they are
    read first to find the names. Returns the number of rows written.
    """
    rows: Iterable[Feedback]
    if answer_names is None:
        rows = list(items)
        names = sorted({name for item in rows for name in item.answers})
    else:
        rows, names = items, list(answer_names)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*BASE_COLUMNS, *(f"answer:{name}" for name in names)])
    count = 0
    for item in rows:
        count += 1
        cells = [
            str(item.id),
            item.created_at.isoformat(),
            item.return_to or "",
            item.text,
            *(item.answers.get(name, "") for name in names),
        ]
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return count


def write_json(items: Iterable[Feedback], out: IO[str]) -> int:
    """Write a JSON array of objects, one at a time (constant memory); returns how many.

    The text is what ``json.dump(rows, indent=2)`` would write.
    """
    count = 0
    for item in items:
        out.write("[\n" if count == 0 else ",\n")
        body = json.dumps(item.as_dict(), ensure_ascii=False, indent=2)
        out.write("\n".join("  " + line for line in body.splitlines()))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def parse_since(value: str) -> datetime:
    """``YYYY-MM-DD`` or an ISO 8601 date-time; without a zone it means UTC."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
