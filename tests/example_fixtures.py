"""The YAML examples as fixtures: expected HTML, and the docs' parameter tables.

Each component's YAML examples (hidden, test-only ones included) are rendered
through the macro, normalised, and compared with ``tests/fixtures/html/
<component>/<example>.html``; the parameter tables in ``docs/*.md`` between
``<!-- params: <component> -->`` and ``<!-- /params -->`` are generated from
the YAML ``params``. ``make fixtures`` (``python -m tests.example_fixtures``)
rewrites both after an intended change; the tests fail on any drift.

The normaliser is ours, on the standard library's parser, so the fixtures
do not change with a BeautifulSoup or html5lib release: one tag per line,
attributes sorted, text with its whitespace collapsed, CSRF tokens masked.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from flask import Flask

from demo_app import create_app
from demo_app.states import apply_state
from flask_haven.catalogue import Component, Example, load_components

ROOT = Path(__file__).resolve().parent.parent
HTML_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
DOCS = ROOT / "docs"
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)
_PARAMS_BLOCK = re.compile(
    r"(<!-- params: (?P<name>[a-z-]+) .*?-->\n)(?P<table>.*?)(<!-- /params -->)", re.DOTALL
)


class _Normaliser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth = 0

    def _emit(self, text: str) -> None:
        self.lines.append("  " * self.depth + text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token":
            values["value"] = "[csrf token]"  # random per session
        parts = [tag] + [
            name if value is None else f'{name}="{html.escape(value, quote=True)}"'
            for name, value in sorted(values.items())
        ]
        self._emit("<" + " ".join(parts) + ">")
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        self._emit(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self._emit(html.escape(text, quote=False))


def normalise(markup: str) -> str:
    """``markup`` as stable, diffable text (see the module docstring)."""
    parser = _Normaliser()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.lines) + "\n"


def fixture_app(instance: Path) -> Flask:
    """The demo app in English, as the fixtures are rendered."""
    return create_app({"TESTING": True, "INSTANCE_PATH": instance, "SECRET_KEY": "fixtures"})


def examples() -> Iterator[tuple[Component, Example]]:
    """Every example of every component, hidden ones included."""
    for component in load_components():
        for example in component.examples:
            yield component, example


def render_example(app: Flask, component: Component, example: Example) -> str:
    """The normalised HTML of one example, rendered with its state, in English."""
    with (
        app.test_request_context("/", headers={"Accept-Language": "en"}),
        apply_state(example.state, component.name) as context,
    ):
        return normalise(str(component.render(example, **context)))


def html_fixture(component: Component, example: Example) -> Path:
    """Where the expected HTML of ``example`` is kept."""
    return HTML_FIXTURES / component.name / f"{example.name}.html"


def params_table(component: Component) -> str:
    """The Markdown table of ``component``'s params, from its YAML."""
    rows = ["| param | type | required | what it does |", "| --- | --- | --- | --- |"]
    for param in component.params:
        description = " ".join(param.description.split()).replace("|", "\\|")
        required = "yes" if param.required else "no"
        rows.append(f"| `{param.name}` | {param.type} | {required} | {description} |")
    return "\n".join(rows) + "\n"


def docs_with_tables(text: str) -> str:
    """``text`` (a docs page) with every params block regenerated."""
    components = {component.name: component for component in load_components()}

    def table(match: re.Match[str]) -> str:
        component = components[match.group("name")]
        return match.group(1) + params_table(component) + match.group(4)

    return _PARAMS_BLOCK.sub(table, text)


def params_blocks(text: str) -> list[str]:
    """Names of the components whose params table ``text`` carries."""
    return [match.group("name") for match in _PARAMS_BLOCK.finditer(text)]


def update() -> list[Path]:
    """Rewrite every HTML fixture and docs table; return the files that changed."""
    changed = []
    with tempfile.TemporaryDirectory() as instance:
        app = fixture_app(Path(instance))
        expected = set()
        for component, example in examples():
            path = html_fixture(component, example)
            expected.add(path)
            text = render_example(app, component, example)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                changed.append(path)
        for stale in set(HTML_FIXTURES.rglob("*.html")) - expected:
            stale.unlink()
            changed.append(stale)
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        new = docs_with_tables(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


if __name__ == "__main__":
    for path in update():
        print(f"updated {path.relative_to(ROOT)}")
    sys.exit(0)
