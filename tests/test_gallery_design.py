"""The gallery a designer works in, server side: titles, thumbnails, error pages,
states, the width switch, right-to-left samples, the tokens and a spec per component.

The browser half (switches applied at once, focus on previews, previews that
fit their frames) is in tests/e2e/test_design.py.
"""

# The confirmations' typographic apostrophes are the catalogue's own:
# ruff: noqa: RUF001

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from demo_app import create_app, screens
from demo_app.gallery import ERROR_PAGES, colour_tokens, spacing_scale, type_scale
from flask_haven.catalogue import Component, load_components

from .conftest import parse

COMPONENTS = load_components()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """One app for the module: every test here only reads pages."""
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path_factory.mktemp("gallery")})
    return app.test_client()


def test_every_example_the_gallery_shows_has_a_hand_written_title() -> None:
    """Not one made from its slug ("Gpc", "In welsh")."""
    for component in COMPONENTS:
        for example in component.visible_examples:
            assert example.title, f"{component.name}/{example.name} has no title"
            made = example.name.replace("-", " ").capitalize()
            assert example.title != made, f"{component.name}/{example.name}: {example.title!r}"


def test_component_pages_use_the_titles(client: FlaskClient) -> None:
    page = parse(client.get("/components/cookie-settings/").data)
    headings = [h.get_text() for h in page.select(".demo-example h3")]
    assert "Global Privacy Control, no choice yet" in headings and "Gpc" not in headings


def test_index_has_a_thumbnail_for_every_entry_and_the_error_pages(client: FlaskClient) -> None:
    page = parse(client.get("/components/").data)
    cards = {
        card.select_one(".demo-cards__title a").get_text(): card
        for card in page.select(".demo-cards__item")
    }
    for component in COMPONENTS:
        assert component.title in cards
    # The 404, 500 and 503 pages and maintenance mode are gallery entries.
    for title in (
        "Page not found (404)",
        "Technical problem (500)",
        "Service unavailable (503)",
        "Maintenance mode",
    ):
        assert title in cards, title
        assert cards[title].a["href"].startswith("/components/error-pages/#error-")
    for title, card in cards.items():
        image = card.select_one("img")
        assert image is not None, f"{title}: no thumbnail"
        # Sized, so the page does not move as images arrive; decorative (the title names it).
        assert image["alt"] == "" and int(image["width"]) > 0 and int(image["height"]) > 0
        response = client.get(image["src"])
        assert response.status_code == 200 and response.mimetype == "image/png", title
        response.close()


@pytest.mark.parametrize("name", list(ERROR_PAGES))
def test_error_pages_are_previewed_as_a_person_gets_them(client: FlaskClient, name: str) -> None:
    response = client.get(f"/components/error-pages/{name}/preview")
    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    page = parse(response.data)
    heading = page.h1.get_text()
    assert (
        heading
        == {
            "404": "Page not found",
            "500": "Sorry, there was a technical problem",
            "503": "Sorry, the service is unavailable",
            "maintenance": "Sorry, the service is unavailable",
        }[name]
    )
    text = page.get_text(" ")
    assert "Leave this site" in text, "the quick exit is on error pages too"
    assert ("3F9A-C21B-7D04" in text) == (name in ("500", "503", "maintenance"))
    assert ("try again in about" in text) == (name == "maintenance")


def test_error_pages_page_frames_each_one(client: FlaskClient) -> None:
    page = parse(client.get("/components/error-pages/?width=320").data)
    frames = page.select("main iframe")
    assert [f["src"].split("?")[0] for f in frames] == [
        f"/components/error-pages/{name}/preview" for name in ERROR_PAGES
    ]
    assert all(f.find_parent(attrs={"data-preview": True})["data-width"] == "320" for f in frames)


def test_the_confirmations_after_accept_and_reject_are_states(client: FlaskClient) -> None:
    """Each says which choice was saved, so a designer sees both."""
    said = {}
    for name in ("accepted", "rejected"):
        page = parse(client.get(f"/components/cookie-banner/{name}/preview").data)
        confirmation = page.select_one("[data-haven-confirmation]")
        assert confirmation is not None and not confirmation.has_attr("hidden"), name
        assert page.select_one(".haven-cookie-banner__question").has_attr("hidden")
        shown = [p.get_text() for p in confirmation.select("p") if not p.has_attr("hidden")]
        said[name] = shown[0]
    assert said == {
        "accepted": "You’ve accepted additional cookies.",
        "rejected": "You’ve rejected additional cookies.",
    }


def test_the_error_summary_is_shown_with_its_fields(client: FlaskClient) -> None:
    page = parse(client.get("/components/error-summary/with-fields/preview").data)
    links = [a["href"] for a in page.select(".haven-error-summary a")]
    assert links == ["#feedback", "#satisfaction"]
    for href in links:
        field = page.select_one(href)
        assert field is not None and field.name in ("textarea", "input"), href
    assert len(page.select(".haven-error-message")) == 2


def test_width_switch_on_every_component_page(client: FlaskClient) -> None:
    page = parse(client.get("/components/phase-banner/").data)
    widths = page.select('input[name="width"]')
    assert [w["value"] for w in widths] == ["320", "768", "1280"]
    assert [w["value"] for w in widths if w.has_attr("checked")] == ["1280"]
    page = parse(client.get("/components/phase-banner/?width=768").data)
    previews = page.select("main [data-preview]")
    assert previews and {p["data-width"] for p in previews} == {"768"}
    assert page.select_one('input[name="width"][value="768"]').has_attr("checked")
    assert client.get("/components/phase-banner/?width=1024").status_code == 404


def test_the_button_is_for_a_browser_without_javascript(client: FlaskClient) -> None:
    """Inside <noscript>: with JavaScript the switches apply at once and no
    button is ever drawn (nor removed, which would move the page)."""
    page = parse(client.get("/components/quick-exit/").data)
    button = page.select_one("form[data-demo-switches] button")
    assert button is not None and button.get_text() == "Update previews"
    assert button.find_parent("noscript") is not None


def test_right_to_left_previews_show_right_to_left_content(client: FlaskClient) -> None:
    page = parse(client.get("/components/quick-exit/default/preview?dir=rtl").data)
    assert (page.html["dir"], page.html["lang"]) == ("rtl", "ar")
    assert page.select_one(".haven-quick-exit__link").get_text() == "غادر هذا الموقع"
    assert re.search(r"[\u0600-\u06ff]", page.select_one(".haven-quick-exit__hint").get_text())
    # The same example left to right is the English one.
    page = parse(client.get("/components/quick-exit/default/preview?dir=ltr").data)
    assert page.select_one(".haven-quick-exit__link").get_text() == "Leave this site"
    # An example about another language keeps its own words.
    page = parse(client.get("/components/quick-exit/in-welsh/preview?dir=rtl").data)
    assert page.select_one(".haven-quick-exit__link").get_text() == "Gadael y wefan hon"
    # The code shown is the code previewed.
    gallery = client.get("/components/quick-exit/?dir=rtl").data.decode()
    assert "غادر هذا الموقع" in gallery


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.name)
def test_every_component_has_right_to_left_sample_content(
    client: FlaskClient, component: Component
) -> None:
    """Every text parameter a component has is given in a right-to-left
    language, for at least one example: its previews then read right to left."""
    arabic = re.compile(r"[\u0600-\u06ff]")
    shown = "".join(
        parse(client.get(f"/components/{component.name}/{example.name}/preview?dir=rtl").data)
        .select_one("main")
        .get_text()
        for example in component.visible_examples
    )
    assert arabic.search(shown), component.name


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.name)
def test_every_component_has_a_spec(client: FlaskClient, component: Component) -> None:
    spec = component.spec
    assert spec.sizes and spec.spacing and spec.states, component.name
    page = parse(client.get(f"/components/{component.name}/").data)
    section = page.select_one(".demo-spec")
    assert [h.get_text() for h in section.select("h3")] == [
        "Sizes",
        "Spacing",
        "States",
        "Tokens used",
    ]
    tokens = [code.get_text() for code in section.select(".demo-tokens-used code")]
    assert tokens and all(token.startswith("--haven-") for token in tokens)
    css = component_css(component)
    for token in set(re.findall(r"var\((--haven-[a-z0-9-]+)", css)):
        assert token in tokens, f"{component.name}: {token} is used but not listed"


def component_css(component: Component) -> str:
    from flask_haven.assets import COMPONENTS_DIR

    path = COMPONENTS_DIR / component.name / f"{component.name}.css"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def test_shared_rules_count_as_tokens_used(client: FlaskClient) -> None:
    """The cookie settings use the shared radios of core.css: their tokens count."""
    page = parse(client.get("/components/cookie-settings/").data)
    tokens = {code.get_text() for code in page.select(".demo-tokens-used code")}
    assert {"--haven-control-size", "--haven-target-size", "--haven-focus"} <= tokens


def test_tokens_page_has_swatches_and_both_scales(client: FlaskClient) -> None:
    page = parse(client.get("/components/tokens/").data)
    swatches = [s["data-token"] for s in page.select(".demo-swatch")]
    assert swatches == list(colour_tokens()) and len(swatches) >= 15
    spacing_table = next(
        table for table in page.select("table") if table.caption.get_text() == "The spacing scale"
    )
    assert [row.th.get_text() for row in spacing_table.select("tbody tr")] == [
        f"--haven-space-{n}" for n in range(1, 10)
    ]
    assert [round(px) for _, _, px in spacing_scale()] == [4, 8, 12, 16, 24, 32, 40, 48, 64]
    body = next(step for step in type_scale() if step.name == "body")
    assert body.phone == (16, 20) and body.wide == (19, 25), "19 px body text from 641 px"
    # Each is drawn by the generated stylesheet, since no style attribute is allowed.
    css = client.get("/components/gallery.css").data.decode()
    for name in swatches:
        assert f'.demo-swatch[data-token="{name}"] {{ background: var({name}); }}' in css


def test_frames_take_their_height_from_the_screenshots(client: FlaskClient) -> None:
    """So a preview is as tall as what it shows before it loads: nothing moves."""
    css = client.get("/components/gallery.css").data.decode()
    for component in COMPONENTS:
        for example in component.visible_examples:
            shot = screens.example_shot(component.name, example.name)
            for width in screens.WIDTHS:
                size = screens.size(shot, width)
                assert size is not None, f"no screenshot of {shot} at {width}: make screenshots"
                rule = (
                    f'.demo-preview[data-shot="{shot}"][data-width="{width}"] '
                    f"{{ --demo-frame-height: {size[1]}px; }}"
                )
                assert rule in css


def test_state_pictures_are_shown_for_every_component_with_a_control(client: FlaskClient) -> None:
    for component in COMPONENTS:
        if not component.spec.interactive:
            continue
        page = parse(client.get(f"/components/{component.name}/").data)
        captions = [c.get_text() for c in page.select(".demo-states figcaption")]
        assert captions == ["Rest", "Hover", "Pressed", "Focus"], component.name
        for image in page.select(".demo-states img"):
            assert image["alt"] and image["width"] and image["height"]


def test_baselines_stay_small() -> None:
    """They are committed: 256-colour PNGs at half size (the state pictures whole)."""
    files = list(screens.SCREENS_DIR.glob("*.png"))
    assert files
    total = sum(path.stat().st_size for path in files)
    assert total < 4_000_000, f"{total / 1e6:.1f} MB of screenshots"
    assert max(path.stat().st_size for path in files) < 120_000


def test_every_example_and_page_has_a_baseline_at_three_widths() -> None:
    from .page_list import visual_pages

    manifest = screens.load_manifest()
    for path, shot in visual_pages().items():
        for width in screens.WIDTHS:
            assert screens.file_name(shot, width) in manifest["shots"], f"{path} at {width}"
            assert (screens.SCREENS_DIR / screens.file_name(shot, width)).is_file()
