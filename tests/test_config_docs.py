"""docs/configuration.md documents every HAVEN_* key with its real default."""

from __future__ import annotations

import re
from pathlib import Path

from flask_haven.config import SETTINGS

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def documented() -> dict[str, str]:
    rows = re.findall(r"^\| `(HAVEN_[A-Z_]+)` \| (.+?) \|", DOC.read_text(), re.MULTILINE)
    return dict(rows)


def test_every_setting_is_documented_with_its_default() -> None:
    table = documented()
    for setting in SETTINGS:
        assert setting.key in table, f"{setting.key} missing from docs/configuration.md"
        assert table[setting.key] == f"`{setting.default!r}`", setting.key


def test_no_documented_setting_is_unknown() -> None:
    known = {s.key for s in SETTINGS}
    assert set(documented()) <= known
