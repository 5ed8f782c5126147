"""The screenshots the visual-regression tests compare, which the gallery shows too.

Every example preview and every demo page is photographed at three widths
(:data:`WIDTHS`); the PNGs and a manifest of their sizes live in the demo's
``static/gallery/screens/``. ``make screenshots`` rewrites them after an
intended change (tests/visual.py); the suite compares against them. The
gallery reuses them: an index thumbnail is a baseline, each example's frame
is as tall as its baseline says (so nothing moves when it loads), and the
"States" pictures of a component are baselines of it hovered, pressed and
focused.

This module only names and reads them; writing and comparing is the tests' job.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCREENS_DIR = ROOT / "static" / "gallery" / "screens"
MANIFEST = SCREENS_DIR / "manifest.json"
# The static URL prefix of the directory above, for templates.
STATIC_PREFIX = "gallery/screens/"

WIDTHS = (320, 768, 1280)
# The interaction states a component's "States" pictures show, in order.
INTERACTIONS = ("rest", "hover", "active", "focus")


def example_shot(component: str, example: str) -> str:
    """The screenshot name of one example's preview."""
    return f"example-{component}-{example}"


def page_shot(path: str) -> str:
    """The screenshot name of a demo page: ``/`` is ``page-home``,
    ``/components/quick-exit/`` is ``page-components-quick-exit``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return f"page-{slug or 'home'}"


def state_shot(component: str, interaction: str) -> str:
    """The screenshot name of a component's interactive element in one state."""
    return f"state-{component}-{interaction}"


def file_name(shot: str, width: int) -> str:
    """The PNG file of ``shot`` at ``width``."""
    return f"{shot}@{width}.png"


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    """The manifest: ``{"renderer": {...}, "shots": {file name: [width, height]}}``."""
    if not path.is_file():
        return {"renderer": {}, "shots": {}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def _cached(mtime: float) -> dict[str, Any]:
    return load_manifest()


def _manifest() -> dict[str, Any]:
    # Read again when it changes: `make screenshots` rewrites it while the
    # demo it photographs is running.
    mtime = MANIFEST.stat().st_mtime if MANIFEST.is_file() else 0.0
    return _cached(mtime)


def size(shot: str, width: int) -> tuple[int, int] | None:
    """The CSS-pixel size of a baseline, or ``None`` when there is none yet."""
    found = _manifest()["shots"].get(file_name(shot, width))
    return (int(found[0]), int(found[1])) if found else None


def shots() -> dict[str, list[int]]:
    """Every baseline: file name -> [width, height] in CSS pixels."""
    found: dict[str, list[int]] = _manifest()["shots"]
    return found
