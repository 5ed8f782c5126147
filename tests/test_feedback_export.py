"""``flask haven export-feedback``: CSV and JSON, --since, and formula neutralisation."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask

from flask_haven.db import get_engine
from flask_haven.feedback import (
    Feedback,
    neutralise_cell,
    parse_since,
    save_feedback,
    write_csv,
    write_json,
)


def seed(app: Flask) -> None:
    with app.app_context():
        engine = get_engine()
        save_feedback(engine, "old", {}, None, now=datetime(2026, 1, 5, 12, tzinfo=UTC))
        save_feedback(
            engine,
            '=HYPERLINK("http://evil.example","click")',
            {"satisfaction": "satisfied"},
            "/news",
            now=datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
        )
        save_feedback(
            engine,
            'line one\nline two, with "quotes"',
            {},
            "/",
            now=datetime(2026, 11, 24, 10, tzinfo=UTC),
        )


def export(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["haven", "export-feedback", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_has_a_header_and_every_row(app: Flask) -> None:
    seed(app)
    rows = list(csv.reader(io.StringIO(export(app))))
    assert rows[0] == ["id", "created_at", "return_to", "text", "answer:satisfaction"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert rows[1][1] == "2026-01-05T12:00:00+00:00"
    assert rows[2][3] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[2][4] == "satisfied"
    assert rows[3][3] == 'line one\nline two, with "quotes"'


def test_json_export(app: Flask) -> None:
    seed(app)
    items = json.loads(export(app, "--format", "json"))
    assert items[1] == {
        "id": 2,
        "created_at": "2026-11-24T09:30:00+00:00",
        "text": '=HYPERLINK("http://evil.example","click")',  # JSON is not a spreadsheet
        "answers": {"satisfaction": "satisfied"},
        "return_to": "/news",
    }


@pytest.mark.parametrize(
    ("since", "ids"),
    [("2026-11-24", [2, 3]), ("2026-11-24T09:45", [3]), ("2026-11-24T10:45+01:00", [3])],
)
def test_since(app: Flask, since: str, ids: list[int]) -> None:
    seed(app)
    items = json.loads(export(app, "--format", "json", "--since", since))
    assert [item["id"] for item in items] == ids


def test_bad_since_is_a_clear_usage_error(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["haven", "export-feedback", "--since", "soon"])
    assert result.exit_code == 2
    assert "--since" in result.output and "not a date" in result.output


def test_empty_export_is_just_the_header(app: Flask) -> None:
    assert export(app) == "id,created_at,return_to,text\n"
    assert json.loads(export(app, "--format", "json")) == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised(start: str) -> None:
    assert neutralise_cell(start + "1+1") == "'" + start + "1+1"


# " =1" was listed here until issue 17: spreadsheets skip the space and run it.
@pytest.mark.parametrize("safe", ["", "hello", "'=1", "1-1", "£5"])
def test_ordinary_cells_are_untouched(safe: str) -> None:
    assert neutralise_cell(safe) == safe


def test_every_csv_cell_is_neutralised_answers_and_paths_too() -> None:
    item = Feedback(
        id=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        text="@SUM(A1)",
        answers={"q": "-2+3"},
        return_to="/x",
    )
    out = io.StringIO()
    write_csv([item], out)
    row = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert row[3] == "'@SUM(A1)" and row[4] == "'-2+3"


def test_parse_since_means_utc_without_a_zone() -> None:
    assert parse_since("2026-11-24") == datetime(2026, 11, 24, tzinfo=UTC)
    assert parse_since("2026-11-24T01:00+01:00") == datetime(2026, 11, 24, tzinfo=UTC)


class _Enough(Exception):
    """Raised by the output once a few rows have come through."""


class _FirstLines(io.StringIO):
    def write(self, text: str) -> int:
        written = super().write(text)
        if self.getvalue().count("\n") >= 4:
            raise _Enough
        return written


def _endless() -> Iterator[Feedback]:
    for number in itertools.count(1):
        if number > 10_000:
            raise AssertionError("the export read every row before writing one")
        yield Feedback(number, datetime(2026, 1, 1, tzinfo=UTC), f"row {number}", {}, None)


@pytest.mark.parametrize("writer", ["csv", "json"])
def test_exports_stream_rows_as_they_come(writer: str) -> None:
    # Issue 17, item 10: the export held every row in memory (300,000 rows:
    # about 500 MB). Rows must reach the output before the next are read.
    out = _FirstLines()
    with pytest.raises(_Enough):
        if writer == "csv":
            write_csv(_endless(), out, answer_names=[])
        else:
            write_json(_endless(), out)


def test_streamed_json_matches_json_dump() -> None:
    items = [
        Feedback(n, datetime(2026, 1, 1, tzinfo=UTC), f"Très {n}", {"a": "b"}, "/x")
        for n in range(3)
    ]
    out = io.StringIO()
    assert write_json(items, out) == 3
    expected = json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2) + "\n"
    assert out.getvalue() == expected
    empty = io.StringIO()
    write_json([], empty)
    assert empty.getvalue() == "[]\n"
