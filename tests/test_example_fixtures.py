"""The YAML examples are fixtures: their HTML, and the docs' parameter tables.

After an intended change, ``make fixtures`` rewrites them; review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from flask_haven.catalogue import Component, Example, load_components

from .example_fixtures import (
    DOCS,
    HTML_FIXTURES,
    docs_with_tables,
    examples,
    fixture_app,
    html_fixture,
    params_blocks,
    render_example,
)

EXAMPLES = list(examples())
FIX = "run `make fixtures` and review the diff"


@pytest.fixture(scope="module")
def render_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return fixture_app(tmp_path_factory.mktemp("fixtures"))


@pytest.mark.parametrize(
    ("component", "example"), EXAMPLES, ids=[f"{c.name}-{e.name}" for c, e in EXAMPLES]
)
def test_example_html_matches_its_fixture(
    render_app: Flask, component: Component, example: Example
) -> None:
    path = html_fixture(component, example)
    assert path.exists(), f"no fixture {path.name} for {component.name}; {FIX}"
    assert render_example(render_app, component, example) == path.read_text(encoding="utf-8"), (
        f"{component.name}/{example.name} renders differently from its fixture; {FIX}"
    )


def test_no_fixture_without_an_example() -> None:
    expected = {html_fixture(c, e) for c, e in EXAMPLES}
    assert set(HTML_FIXTURES.rglob("*.html")) <= expected, f"stale fixtures; {FIX}"


# Not called `page`: that is the browser page fixture of pytest-playwright.
@pytest.mark.parametrize("doc", sorted(DOCS.glob("*.md")), ids=lambda p: Path(p).name)
def test_docs_parameter_tables_match_the_yaml(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert docs_with_tables(text) == text, f"{doc.name}: a params table drifted; {FIX}"


def test_every_component_has_its_parameters_documented() -> None:
    documented = [name for doc in DOCS.glob("*.md") for name in params_blocks(doc.read_text())]
    assert sorted(documented) == sorted(c.name for c in load_components())
