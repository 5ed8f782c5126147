"""Right-to-left safety, proved on the CSS sources: only logical properties and values.

A page in Arabic, Hebrew, Persian or Urdu sets ``<html dir="rtl">``; every
side the components care about must then swap by itself. That only happens
when the CSS names sides logically (``margin-inline-start``, ``text-align:
start``, ``inset-inline-end``) and never as left or right. This scanner reads
every stylesheet of the library and of the demo, and fails on each physical
side with ``file:line``, so the rule cannot slip back in with the next change.

Top and bottom are flagged too (``border-top`` → ``border-block-start``):
they do not swap in right-to-left text, but their logical forms are as well
supported and the house style is logical throughout.

Allowed, because they name an axis, not a side, and right-to-left text keeps
its axes: ``width``, ``height``, ``overflow-x``, ``resize: vertical``,
``vertical-align: top``. A declaration that really must be physical carries a
``direction-neutral`` comment on its line or the line above, saying why.

The browser half (every preview in ``dir=rtl`` is accessible, does not scroll
sideways and mirrors) is in ``tests/e2e/test_rtl.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flask_haven.assets import COMPONENTS_DIR, CORE_DIR

ROOT = Path(__file__).resolve().parent.parent
STYLESHEETS = sorted(
    [
        CORE_DIR / "core.css",
        *COMPONENTS_DIR.glob("*/*.css"),
        *(ROOT / "static").glob("*.css"),
        *(ROOT / "static" / "themes").glob("*.css"),
    ]
)

EXEMPTION = "direction-neutral"

# -- what is physical --------------------------------------------------------------------

# A physical side in a property name: margin-left, border-top-width,
# scroll-padding-bottom, border-top-left-radius, background-position-x...
_PHYSICAL_NAME = re.compile(r"(^|-)(left|right|top|bottom)(-|$)|^background-position-x$")
_LOGICAL_NAME = {
    "left": "inline-start",
    "right": "inline-end",
    "top": "block-start",
    "bottom": "block-end",
}
# The box properties whose shorthand lists sides clockwise from the top.
_BOX_SHORTHANDS = {
    "margin",
    "padding",
    "inset",
    "border-width",
    "border-style",
    "border-color",
    "scroll-margin",
    "scroll-padding",
}
_ZERO = re.compile(r"^[-+]?0*\.?0+(?:[a-z%]+)?$")
_LENGTH = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[a-z%]+)?$")


@dataclass(frozen=True)
class Declaration:
    """One ``property: value`` of a stylesheet, with where it starts."""

    path: Path
    line: int
    prop: str
    value: str
    exempt: bool

    def __str__(self) -> str:
        where = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{where}:{self.line}: {self.prop}: {self.value}"


def _blank_comments(css: str) -> tuple[str, list[tuple[int, str]]]:
    """The CSS with each comment blanked (newlines kept, so lines still count), and
    the comments as (line, text)."""
    comments: list[tuple[int, str]] = []

    def blank(match: re.Match[str]) -> str:
        comments.append((css.count("\n", 0, match.start()) + 1, match.group()))
        return re.sub(r"[^\n]", " ", match.group())

    return re.sub(r"/\*.*?\*/", blank, css, flags=re.S), comments


def declarations(path: Path, css: str | None = None) -> Iterator[Declaration]:
    """Every declaration in a stylesheet, nested at-rules included; selectors and
    at-rule preludes (``@media (max-width: 40em)``) are not declarations."""
    source = path.read_text(encoding="utf-8") if css is None else css
    text, comments = _blank_comments(source)
    exempt_lines = set()
    for line, comment in comments:
        if EXEMPTION in comment:
            # A comment exempts its own lines and the declaration right after it.
            exempt_lines.update(range(line, line + comment.count("\n") + 2))
    start = 0
    quote = ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "{};":
            segment_start, segment = start, text[start:index]
            start = index + 1
            if char == "{" or ":" not in segment:
                continue  # a selector or an at-rule's prelude
            offset = len(segment) - len(segment.lstrip())
            line = text.count("\n", 0, segment_start + offset) + 1
            prop, _, value = segment.strip().partition(":")
            value = " ".join(value.split())
            last_line = line + segment.strip().count("\n")
            exempt = any(n in exempt_lines for n in range(line, last_line + 1))
            yield Declaration(path, line, prop.strip().lower(), value, exempt)


def _words(value: str) -> list[str]:
    """The value's keywords, leaving out strings, url() and custom property names."""
    value = re.sub(r"\"[^\"]*\"|'[^']*'|url\([^)]*\)|--[\w-]+", " ", value)
    return re.findall(r"[a-z][a-z-]*", value.lower())


def _split_top_level(value: str, separator: str = ",") -> list[str]:
    """Split on ``separator`` outside brackets: ``rgb(0, 0, 0) 1px, red 2px`` is two."""
    parts, depth, current = [], 0, ""
    for char in value:
        depth += (char == "(") - (char == ")")
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _tokens(value: str) -> list[str]:
    """Space-separated parts, a bracketed function counted as one."""
    return [token for token in _split_top_level(value, " ") if token]


def _sides(values: list[str]) -> tuple[str, str, str, str]:
    """A 1-4 value box shorthand as (top, right, bottom, left)."""
    top, right, bottom, left = (values * 4)[:4]
    if len(values) == 1:
        right = bottom = left = top
    elif len(values) == 2:
        bottom, left = top, right
    elif len(values) == 3:
        left = right
    return top, right, bottom, left


def problems(declaration: Declaration) -> list[str]:
    """Why a declaration is physical, with the logical form to use instead; empty if fine."""
    prop, value = declaration.prop, declaration.value
    if declaration.exempt or prop.startswith("--"):
        return []
    found: list[str] = []
    match = _PHYSICAL_NAME.search(prop)
    if match:
        side = match.group(2) or "left"
        if prop in ("left", "right", "top", "bottom"):
            found.append(f"use inset-{_LOGICAL_NAME[side]}")
        elif prop == "background-position-x" or prop.endswith("-radius"):
            found.append("use a logical corner (border-start-start-radius...) or no side")
        else:
            found.append(f"use {prop.replace(side, _LOGICAL_NAME[side])}")
    words = _words(value)
    for side in ("left", "right"):
        if side in words:
            hint = {
                "text-align": f"text-align: {'start' if side == 'left' else 'end'}",
                "float": f"float: inline-{'start' if side == 'left' else 'end'}",
                "clear": f"clear: inline-{'start' if side == 'left' else 'end'}",
            }.get(prop, "a logical keyword (start, end) or a dir-aware rule")
            found.append(f"the value names the {side} side; use {hint}")
    if prop in _BOX_SHORTHANDS:
        _, right, _, left = _sides(_tokens(value))
        if right != left:
            found.append(
                f"the shorthand sets left ({left}) and right ({right}) apart; "
                f"use {prop}-block and {prop}-inline-start / -end"
            )
    if prop == "border-radius":
        for half in value.split("/"):
            values = _tokens(half)
            top_left, top_right, bottom_right, bottom_left = _sides(values)
            # border-radius lists corners clockwise from the top left; a 3-value form
            # repeats the second for the bottom left, as _sides does for a box.
            if top_left != top_right or bottom_left != bottom_right:
                found.append("corners differ between left and right; use border-start-end-radius…")
                break
    if prop in ("transform", "translate"):
        shifts = re.findall(r"translate(?:x|3d)?\(([^,)]+)", value.lower())
        if prop == "translate" and value.strip() != "none":
            shifts.append(_tokens(value)[0])
        if any(not _ZERO.match(shift.strip()) for shift in shifts):
            found.append(f"a sideways shift does not mirror; mark it {EXEMPTION} if it may not")
    if prop in ("box-shadow", "text-shadow"):
        for shadow in _split_top_level(value):
            lengths = [t for t in _tokens(shadow) if _LENGTH.match(t)]
            if lengths and not _ZERO.match(lengths[0]):
                found.append(f"a sideways shadow offset does not mirror; mark it {EXEMPTION}")
                break
    if prop in ("direction", "unicode-bidi"):
        found.append("direction comes from the dir attribute, never from CSS")
    return found


def physical_declarations(path: Path, css: str | None = None) -> list[str]:
    """``file:line: declaration — why`` for every physical declaration in a stylesheet."""
    return [
        f"{declaration} — {reason}"
        for declaration in declarations(path, css)
        for reason in problems(declaration)
    ]


# -- the tests ---------------------------------------------------------------------------


def test_every_stylesheet_is_scanned() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in STYLESHEETS}
    assert "components/flask_haven/core/core.css" in names
    assert "static/demo.css" in names and "static/themes/brand.css" in names
    assert len([n for n in names if n.startswith("components/flask_haven/components/")]) >= 7


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_stylesheet_uses_only_logical_sides(path: Path) -> None:
    found = physical_declarations(path)
    assert not found, "physical sides (they do not mirror in right-to-left pages):\n" + "\n".join(
        found
    )


# Each of these must be caught, so a scanner that silently stopped working fails here.
PHYSICAL = [
    "margin-left: 1rem",
    "padding-right: 0",
    "border-left: 5px solid red",
    "border-right-width: 5px",
    "border-top: 1px solid",
    "scroll-padding-top: 4rem",
    "inset-left: 0",
    "left: 0",
    "right: 1rem",
    "top: 0",
    "text-align: left",
    "text-align: right",
    "float: left",
    "clear: right",
    "border-top-left-radius: 4px",
    "border-bottom-right-radius: 4px",
    "border-radius: 4px 0",
    "border-radius: 4px 4px 0 4px",
    "background-position: left top",
    "background-position: right 1rem center",
    "background-position-x: 10%",
    "background: url(a.png) no-repeat right",
    "background-image: linear-gradient(to right, red, blue)",
    "justify-content: left",
    "transform-origin: left",
    "transform: translateX(10px)",
    "transform: scale(2) translate(-50%, 0)",
    "translate: 2px",
    "padding: 0.5rem 0.5rem 0.5rem 0",
    "margin: 0 1rem 0 0",
    "border-width: 1px 1px 1px 5px",
    "box-shadow: 2px 2px 0 black",
    "box-shadow: 0 0 0 3px red, rgb(0, 0, 0) -1px 0",
    "direction: rtl",
]
LOGICAL = [
    "margin-inline-start: 1rem",
    "border-inline-start: 5px solid red",
    "inset-block-start: 0",
    "inset-inline: 0",
    "text-align: start",
    "float: inline-end",
    "border-start-end-radius: 4px",
    "border-radius: 4px",
    "border-radius: 4px 4px 0 0",
    "border-radius: 4px / 2px",
    "padding: 0.5rem 1rem",
    "padding: 0.5rem 1rem 0",
    "margin: 0 0 1rem",
    "transform: translateX(0)",
    "transform: translateY(10px) scale(2)",
    "box-shadow: 0 2px 0 var(--haven-text)",
    "box-shadow: 0 0 0 6px rgb(0, 0, 0)",
    "vertical-align: top",
    "overflow-x: auto",
    'font-family: "Leftist Sans", sans-serif',
    "color: var(--haven-left-rail)",
    "--haven-right: 2px",
    "/* direction-neutral: a spinner turns the same way in any script */ "
    "transform: translateX(4px)",
]


@pytest.mark.parametrize("declaration", PHYSICAL)
def test_scanner_catches(declaration: str, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.css"
    sheet.write_text(f".a {{\n  color: red;\n  {declaration};\n}}\n", encoding="utf-8")
    found = physical_declarations(sheet)
    assert found, f"not caught: {declaration}"
    assert found[0].startswith(f"{sheet}:3: "), "each finding names the file and line"


@pytest.mark.parametrize("declaration", LOGICAL)
def test_scanner_lets_logical_css_through(declaration: str, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.css"
    sheet.write_text(f".a {{ {declaration}; }}\n", encoding="utf-8")
    assert physical_declarations(sheet) == []


def test_scanner_reads_nested_rules_and_ignores_selectors_and_preludes(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.css"
    sheet.write_text(
        "/* a left-over comment: padding-left: 1px */\n"
        ".a:focus-visible, [data-side=left] > .b { color: red }\n"
        "@media (min-width: 40em) and (orientation: landscape) {\n"
        "  .c {\n"
        "    margin-right:\n"
        "      1rem;\n"
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    assert [finding.split(" — ")[0] for finding in physical_declarations(sheet)] == [
        f"{sheet}:5: margin-right: 1rem"
    ]
