"""The visual comparison itself (tests/visual.py), without a browser.

The sweep compares real screenshots only where the baselines' renderer
matches this machine's; these checks run everywhere, so a comparison that
stopped seeing changes would fail here even on a machine that skips the sweep's.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from demo_app import screens

from . import visual

SHOT = "example-test-pattern"
WIDTH = 320


def page_like() -> Image.Image:
    """Flat colours, a bar and lines of "text", as a component's screenshot has."""
    image = Image.new("RGB", (WIDTH, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 40), fill=(11, 12, 12))
    for top in range(60, 220, 24):
        draw.rectangle((16, top, 280, top + 10), fill=(29, 112, 184))
    return image


def png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def baselines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Baselines and diff images in a temporary folder, with one baseline made
    the way ``make screenshots`` makes it (halved, in 256 colours)."""
    monkeypatch.setattr(screens, "SCREENS_DIR", tmp_path / "screens")
    monkeypatch.setattr(visual, "RESULTS", tmp_path / "results")
    visual._save_baseline(visual.baseline_path(SHOT, WIDTH), visual.halved(page_like()))
    return tmp_path


RENDERER = visual.Renderer("1", "Test Sans", "Linux")


def test_the_same_picture_matches_its_stored_baseline(baselines: Path) -> None:
    assert visual.check(SHOT, WIDTH, png(page_like()), RENDERER) == []
    assert not (baselines / "results").exists()


def test_a_pixel_of_anti_aliasing_is_forgiven(baselines: Path) -> None:
    image = page_like()
    image.putpixel((100, 65), (120, 160, 200))
    assert visual.check(SHOT, WIDTH, png(image), RENDERER) == []


def test_a_changed_colour_fails_and_writes_the_diff(baselines: Path) -> None:
    image = page_like()
    ImageDraw.Draw(image).rectangle((16, 60, 280, 70), fill=(212, 53, 28))
    problems = visual.check(SHOT, WIDTH, png(image), RENDERER)
    assert len(problems) == 1 and "pixels differ" in problems[0], problems
    diff = baselines / "results" / f"{SHOT}@{WIDTH}.png"
    assert str(diff) in problems[0] and diff.is_file()
    with Image.open(diff) as sheet:
        # Baseline, new and marked side by side, the marks in red.
        assert sheet.width > 3 * (WIDTH // 2)
        colours = sheet.convert("RGB").getcolors(1 << 16) or []
        assert (220, 0, 0) in {colour for _, colour in colours}


def test_a_moved_edge_fails(baselines: Path) -> None:
    image = page_like()
    ImageDraw.Draw(image).rectangle((0, 40, WIDTH, 48), fill=(11, 12, 12))
    assert visual.check(SHOT, WIDTH, png(image), RENDERER)


def test_a_page_that_grew_fails_with_both_sizes(baselines: Path) -> None:
    taller = Image.new("RGB", (WIDTH, 300), "white")
    taller.paste(page_like())
    (problem,) = visual.check(SHOT, WIDTH, png(taller), RENDERER)
    assert "(160, 150) px, the baseline is (160, 120) px" in problem


def test_a_missing_baseline_fails_and_says_how_to_make_one(baselines: Path) -> None:
    (problem,) = visual.check("example-nothing-yet", WIDTH, png(page_like()), RENDERER)
    assert "no baseline (run make screenshots)" in problem


def test_baselines_from_another_renderer_are_not_compared() -> None:
    recorded = screens.load_manifest()["renderer"]
    assert recorded, "the committed manifest records the renderer of its baselines"
    assert visual.comparable(visual.Renderer(**recorded)) is None
    other = visual.Renderer(str(int(recorded["browser"]) + 1), recorded["font"], "Linux")
    reason = visual.comparable(other)
    assert reason and "run make screenshots here to compare" in reason
