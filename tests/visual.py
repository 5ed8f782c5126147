"""Visual regression: screenshots of every example and page at three widths, compared.

The sweep (tests/e2e/test_sweep.py) already loads every page once; it takes
the screenshots on that same load, at 1280 px before its checks and at 320 px
and 768 px after them, and hands them to :func:`check`. A screenshot matches
its baseline when, both halved (which forgives a pixel of anti-aliasing), at
most :data:`MAX_CHANGED` of the pixels differ by more than :data:`THRESHOLD`
in any channel. A mismatch writes ``test-results/visual/<name>.png``: the
baseline, the new screenshot and the differences in red, side by side.

Baselines live in ``static/gallery/screens/`` (the gallery shows them as
thumbnails and state pictures; demo_app/screens.py names them), as 256-colour
PNGs at half size (what is compared; the state pictures, small and shown at
full size, are kept whole). The manifest keeps each one's size in CSS
pixels. ``make screenshots`` accepts intended changes: it runs the sweep with
``HAVEN_UPDATE_SCREENSHOTS=1``, which writes instead of comparing.

Screenshots are only comparable from the same renderer: the manifest records
the Chromium version and the fonts that set the text. On another machine the
comparisons are skipped with that reason (regenerate there to compare).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops

from demo_app import screens

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results" / "visual"
UPDATE = os.environ.get("HAVEN_UPDATE_SCREENSHOTS") == "1"

# Per channel, out of 255, after halving: above what storing the baseline in
# 256 colours changes (at most 6 on these pages), below a change a designer
# would see (a tint moved by a sixteenth already differs by 16).
THRESHOLD = 10
# Share of the (halved) pixels allowed to differ.
MAX_CHANGED = 0.001
# How much of a page is photographed: an example alone, whole ("whole"); a
# site page, its first PAGE_HEIGHT pixels, the chrome and the start of its
# content ("page"); a gallery page, a screen of its main content ("screen"):
# its chrome is the site pages', and what it frames is photographed alone.
PAGE_HEIGHT = 1200
MIN_HEIGHT = 48
MODES = ("whole", "page", "screen")
# Where a state picture is cut round its control: room for the focus halo and shadow.
STATE_MARGIN = 16

# Everything still moving or loading on the page must be done before a shot:
# web fonts, images, and each frame's own document.
SETTLED = """async () => {
  await document.fonts.ready
  const frames = [...document.querySelectorAll('iframe')]
  const loading = [...document.images].filter(img => !img.complete)
  await Promise.all(loading.map(img => new Promise(done => {
    img.addEventListener('load', done)
    img.addEventListener('error', done)
  })))
  await Promise.all(frames.map(frame => {
    const doc = frame.contentDocument
    if (doc && doc.readyState === 'complete' && doc.body && doc.body.childElementCount) return null
    return new Promise(done => frame.addEventListener('load', done, { once: true }))
  }))
  await Promise.all(frames.map(frame => frame.contentDocument && frame.contentDocument.fonts.ready))
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))
}"""

# Focus and scroll back to where a fresh load has them.
AT_REST = """() => {
  const active = document.activeElement
  if (active && active !== document.body) active.blur()
  window.scrollTo(0, 0)
  return Math.ceil(document.documentElement.getBoundingClientRect().height)
}"""


TO_MAIN = """() => {
  const main = document.querySelector('main')
  if (main) window.scrollTo(0, Math.floor(main.getBoundingClientRect().top + window.scrollY))
}"""


@dataclass(frozen=True)
class Renderer:
    """What draws the pixels: screenshots from another renderer are not comparable."""

    browser: str
    font: str
    system: str

    def as_dict(self) -> dict[str, str]:
        """For the manifest."""
        return {"browser": self.browser, "font": self.font, "system": self.system}


def renderer(browser_version: str) -> Renderer:
    """This machine's renderer: the browser's major version and the font its
    sans-serif text is set in (fontconfig's choice for ``system-ui``)."""
    font = "unknown"
    if shutil.which("fc-match"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            font = subprocess.run(
                ["fc-match", "-f", "%{family[0]} %{style[0]}", "system-ui"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
    return Renderer(browser_version.split(".")[0], font, platform.system())


def baseline_path(shot: str, width: int) -> Path:
    """Where the baseline of ``shot`` at ``width`` is kept."""
    return screens.SCREENS_DIR / screens.file_name(shot, width)


def comparable(current: Renderer) -> str | None:
    """Why the baselines cannot be compared here, or ``None`` when they can."""
    recorded = screens.load_manifest()["renderer"]
    if not recorded:
        return "there are no screenshot baselines yet: run make screenshots"
    if recorded != current.as_dict():
        return (
            f"the baselines were made with {recorded}, this machine has {current.as_dict()}: "
            "run make screenshots here to compare"
        )
    return None


def halved(image: Image.Image) -> Image.Image:
    """``image`` at half size, each pixel the mean of four: a pixel's worth of
    anti-aliasing fades, while a moved edge or a new colour stays plain."""
    return image.reduce(2) if min(image.size) >= 2 else image


def difference(expected: Image.Image, actual: Image.Image) -> tuple[int, int, Image.Image]:
    """Changed pixels, all pixels, and a mask of where they changed."""
    diff = ImageChops.difference(expected, actual)
    red, green, blue = diff.split()
    strongest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    mask = strongest.point(lambda value: 255 if value > THRESHOLD else 0)
    changed = mask.histogram()[255]
    return changed, mask.width * mask.height, mask


def _write_diff(name: str, expected: Image.Image | None, actual: Image.Image) -> Path:
    """Baseline | new | new greyed with the differences in red, side by side."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    expected = expected or Image.new("RGB", actual.size, "white")
    width, height = max(expected.width, actual.width), max(expected.height, actual.height)
    grown = [Image.new("RGB", (width, height), "white") for _ in range(2)]
    grown[0].paste(expected)
    grown[1].paste(actual)
    _, _, mask = difference(grown[0], grown[1])
    marked = Image.blend(grown[1], Image.new("RGB", (width, height), "white"), 0.7)
    marked.paste(Image.new("RGB", (width, height), (220, 0, 0)), mask=mask.resize((width, height)))
    sheet = Image.new("RGB", (width * 3 + 16, height), (128, 128, 128))
    for index, image in enumerate((grown[0], grown[1], marked)):
        sheet.paste(image, (index * (width + 8), 0))
    path = RESULTS / f"{name}.png"
    sheet.save(path)
    return path


def quantized(image: Image.Image) -> Image.Image:
    """``image`` in 256 colours, chosen to cover it (no colour moves by more than
    a few levels, where the faster octree moves every one by up to 15). A page
    of flat colours loses nothing that matters, and its PNG is a third of the
    size (the baselines are committed)."""
    return image.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)


def _save_baseline(path: Path, image: Image.Image) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    quantized(image).save(path, optimize=True)


def _record(shot: str, width: int, image: Image.Image, current: Renderer) -> None:
    manifest = screens.load_manifest()
    manifest["renderer"] = current.as_dict()
    manifest["shots"][screens.file_name(shot, width)] = [image.width, image.height]
    manifest["shots"] = dict(sorted(manifest["shots"].items()))
    screens.MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def check(
    shot: str, width: int, png: bytes, current: Renderer, *, whole: bool = False
) -> list[str]:
    """Compare one screenshot with its baseline (or, updating, make it the baseline).
    ``whole`` keeps it at full size. Returns the problems, each naming the diff image written."""
    full = Image.open(BytesIO(png)).convert("RGB")
    actual = full if whole else halved(full)
    path = baseline_path(shot, width)
    name = screens.file_name(shot, width).removesuffix(".png")
    if UPDATE:
        _save_baseline(path, actual)
        _record(shot, width, full, current)
        return []
    if not path.is_file():
        written = _write_diff(name, None, actual)
        return [f"{name}: no baseline (run make screenshots); the new screenshot is in {written}"]
    with Image.open(path) as stored:
        expected = stored.convert("RGB")
    if expected.size != actual.size:
        written = _write_diff(name, expected, actual)
        return [f"{name}: {actual.size} px, the baseline is {expected.size} px; see {written}"]
    # The usual case, an unchanged page: no channel of any pixel past the threshold.
    past = ImageChops.difference(expected, actual).point(
        lambda value: 255 if value > THRESHOLD else 0
    )
    if past.getbbox() is None:
        return []
    changed, total, _ = difference(expected, actual)
    if changed > MAX_CHANGED * total:
        written = _write_diff(name, expected, actual)
        return [
            f"{name}: {changed} of {total} pixels differ (at most {MAX_CHANGED:.1%}); see {written}"
        ]
    return []


def capture(page: Any, mode: str) -> bytes:
    """A screenshot of the page as loaded (focus and scroll reset, animations
    and the caret off), as much of it as ``mode`` says (:data:`MODES`)."""
    page.evaluate(SETTLED)
    page.mouse.move(0, 0)
    height = page.evaluate(AT_REST)
    viewport = page.viewport_size
    options: dict[str, Any] = {"animations": "disabled", "caret": "hide"}
    if mode == "screen":
        # The page's own part: its main content from the top of the window
        # (the chrome above it is in the site pages' screenshots).
        page.evaluate(TO_MAIN)
        png: bytes = page.screenshot(**options)
        return png
    # An example is never shown shorter than a frame's least (gallery.js).
    tall = max(MIN_HEIGHT, height) if mode == "whole" else min(height, PAGE_HEIGHT)
    clip = {"x": 0, "y": 0, "width": viewport["width"], "height": tall}
    # A full-page shot only when the page is taller than the window (an
    # example seldom is): it lays the page out again at its whole height.
    png = page.screenshot(full_page=tall > viewport["height"], clip=clip, **options)
    return png


def capture_states(page: Any, selector: str) -> dict[str, bytes]:
    """The first control matching ``selector`` at rest, focused by keyboard,
    hovered and pressed (the press is let go elsewhere, so nothing is clicked)."""
    target = page.locator(selector).first
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    viewport = page.viewport_size
    left = max(0, box["x"] - STATE_MARGIN)
    top = max(0, box["y"] - STATE_MARGIN)
    clip = {
        "x": left,
        "y": top,
        "width": min(viewport["width"], box["x"] + box["width"] + STATE_MARGIN) - left,
        "height": min(viewport["height"], box["y"] + box["height"] + STATE_MARGIN) - top,
    }

    def shot() -> bytes:
        png: bytes = page.screenshot(clip=clip, animations="disabled", caret="hide")
        return png

    pictures = {"rest": shot()}
    target.focus()
    pictures["focus"] = shot()
    page.evaluate(AT_REST)
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*middle)
    pictures["hover"] = shot()
    page.mouse.down()
    pictures["active"] = shot()
    page.mouse.move(0, 0)
    page.mouse.up()
    page.evaluate(AT_REST)
    return pictures
