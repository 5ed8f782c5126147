"""Every example in every component's YAML renders; the gallery shows each one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from flask_haven.assets import COMPONENTS_DIR
from flask_haven.catalogue import Component, Example, load_components

from .conftest import parse

EXAMPLES = [(c, ex) for c in load_components() for ex in c.examples]
VISIBLE = [(c, ex) for c in load_components() for ex in c.visible_examples]
HIDDEN = [(c, ex) for c in load_components() for ex in c.examples if ex.hidden]


def example_id(value: Any) -> str:
    return value.name if isinstance(value, Component | Example) else str(value)


def test_every_component_folder_has_the_standard_files() -> None:
    for component in load_components():
        folder = COMPONENTS_DIR / component.name
        for name in ("macro.html", "template.html", f"{component.name}.yaml", "README.md"):
            assert (folder / name).is_file(), f"{component.name}/{name} missing"


@pytest.mark.parametrize(("component", "example"), EXAMPLES, ids=example_id)
def test_example_renders(app: Flask, component: Component, example: Example) -> None:
    with app.test_request_context("/"):
        html = component.render(example)
    assert parse(html).find(True) is not None, "renders nothing"


@pytest.mark.parametrize(("component", "example"), VISIBLE, ids=example_id)
def test_gallery_shows_example_with_code(
    client: Any, component: Component, example: Example
) -> None:
    page = parse(client.get(f"/components/{component.name}/").data)
    frame = page.select_one(f'iframe[src^="/components/{component.name}/{example.name}/preview"]')
    assert frame is not None and frame.get("title")
    codes = [code.get_text() for code in page.select("pre code")]
    assert any(component.macro_name in code for code in codes)


def test_hidden_examples_are_rendered_but_not_shown(client: Any) -> None:
    assert HIDDEN, "at least one hidden, test-only example exists"
    for component, example in HIDDEN:
        page = client.get(f"/components/{component.name}/").data.decode()
        assert f"/{example.name}/preview" not in page
        # Still reachable by URL, for the sweeps and the fixtures.
        assert client.get(f"/components/{component.name}/{example.name}/preview").status_code == 200


def test_gallery_index_lists_every_component(client: Any) -> None:
    page = parse(client.get("/components/").data)
    links = {a["href"] for a in page.select("main a")}
    for component in load_components():
        assert f"/components/{component.name}/" in links


@pytest.mark.parametrize("url", ["/components/nope/", "/components/quick-exit/nope/preview"])
def test_unknown_gallery_pages_are_404(client: Any, url: str) -> None:
    assert client.get(url).status_code == 404
