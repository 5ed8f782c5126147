"""The gallery's server side: states, themes, the full-page preview and its switches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, g

from demo_app import states
from demo_app.gallery import THEMES, code_spans, default_tokens
from demo_app.states import UnknownStateError, apply_state, get_state, register_state
from flask_haven.catalogue import get_component, load_components

from .conftest import parse
from .test_security import test_page_has_strict_headers_and_no_inline_code as check_headers

GALLERY_PAGES = [
    "/components/full-page/",
    "/components/full-page/?js=off&theme=brand",
    "/components/full-page/preview",
    "/components/full-page/preview?js=off&theme=high-contrast",
    "/components/themes/",
    "/components/quick-exit/?theme=brand",
    "/components/quick-exit/mid-exit/preview",
    "/components/quick-exit/default/preview?theme=high-contrast",
]


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test registers into a copy, so none leaks into another."""
    monkeypatch.setattr(states, "_REGISTRY", dict(states._REGISTRY))


# -- the state registry ----------------------------------------------------------------


def test_a_function_state_gives_template_variables(app: Flask) -> None:
    register_state("loud", lambda: {"volume": 11})
    with app.test_request_context("/"), apply_state("loud") as context:
        assert context == {"volume": 11}


def test_register_state_works_as_a_decorator(app: Flask) -> None:
    @register_state("quiet", description="Hushed.")
    def quiet() -> None:
        g.quiet = True

    assert get_state("quiet").setup is quiet, "the decorator returns the function unchanged"
    with app.test_request_context("/"):
        with apply_state("quiet") as context:
            assert context == {} and g.quiet is True
        assert "quiet" not in g, "a state's flags on g do not outlive it"
    assert get_state("quiet").description == "Hushed."


def test_a_context_manager_state_is_undone_after_the_render(app: Flask) -> None:
    seen: list[str] = []

    @contextmanager
    def broken() -> Iterator[dict[str, Any]]:
        seen.append("set up")
        yield {"failed": True}
        seen.append("undone")

    register_state("broken", broken)
    with app.test_request_context("/"), apply_state("broken") as context:
        assert context == {"failed": True} and seen == ["set up"]
    assert seen == ["set up", "undone"]


def test_a_components_own_state_wins_over_a_shared_one() -> None:
    register_state("save-failed", lambda: {"who": "shared"})
    register_state("save-failed", lambda: {"who": "banner"}, component="cookie-banner")
    assert get_state("save-failed", "cookie-banner").setup() == {"who": "banner"}
    assert get_state("save-failed", "feedback-form").setup() == {"who": "shared"}


def test_an_unknown_state_fails_loudly(app: Flask) -> None:
    with pytest.raises(UnknownStateError, match="no state 'nope'"):
        get_state("nope")
    with app.test_request_context("/"), pytest.raises(UnknownStateError):  # noqa: SIM117
        with apply_state("nope"):
            pass


def test_a_setup_must_give_a_mapping(app: Flask) -> None:
    register_state("odd", lambda: ["not", "a", "mapping"])
    with app.test_request_context("/"), pytest.raises(TypeError, match="mapping"):  # noqa: SIM117
        with apply_state("odd"):
            pass


def test_no_state_is_a_no_op(app: Flask) -> None:
    with app.test_request_context("/"), apply_state(None) as context:
        assert context == {}


@pytest.mark.parametrize(
    ("component", "example"),
    [(c, ex) for c in load_components() for ex in c.examples if ex.state],
    ids=lambda v: v.name,
)
def test_every_example_state_is_registered(component: Any, example: Any) -> None:
    """The gallery previews an unregistered state without it (and says so); this test
    is what makes the omission fail. To fix: call demo_app.states.register_state
    for it (a setup returning None is fine when the params already show the state)."""
    assert get_state(example.state, component.name)


def test_gallery_survives_an_unregistered_state(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(states, "_REGISTRY", {})
    page = parse(client.get("/components/quick-exit/").data)
    assert "not registered by any code yet" in page.get_text()
    assert client.get("/components/quick-exit/mid-exit/preview").status_code == 200


def test_mid_exit_preview_hides_the_page_server_side(client: Any) -> None:
    page = parse(client.get("/components/quick-exit/mid-exit/preview").data)
    assert "haven-quick-exit-active" in page.html["class"]
    page = parse(client.get("/components/quick-exit/default/preview").data)
    assert "haven-quick-exit-active" not in page.html["class"]


def test_component_page_names_the_state_of_an_example(client: Any) -> None:
    page = parse(client.get("/components/quick-exit/").data)
    section = page.select_one('section[aria-labelledby="example-mid-exit"]')
    assert section is not None and "Server-side state" in section.get_text()


def test_a_state_changes_the_preview_and_the_html_shown(client: Any) -> None:
    @contextmanager
    def shouting() -> Iterator[dict[str, Any]]:
        yield {"html_classes": ["demo-shouting"], "body_classes": ["demo-loud"]}

    register_state("default", shouting, component="quick-exit")
    # The example "default" has no state, so registering one changes nothing...
    page = parse(client.get("/components/quick-exit/default/preview").data)
    assert "demo-shouting" not in page.html["class"]
    # ...while an example that names a state gets its classes.
    register_state("mid-exit", shouting, component="quick-exit")
    page = parse(client.get("/components/quick-exit/mid-exit/preview").data)
    assert "demo-shouting" in page.html["class"] and "demo-loud" in page.body["class"]


# -- themes ------------------------------------------------------------------------------


def theme_links(html: bytes) -> list[str]:
    return [
        link["href"]
        for link in parse(html).select('link[rel="stylesheet"]')
        if "themes/" in link["href"]
    ]


def test_default_theme_adds_no_stylesheet(client: Any) -> None:
    assert theme_links(client.get("/components/quick-exit/default/preview").data) == []
    assert theme_links(client.get("/components/full-page/preview").data) == []


@pytest.mark.parametrize("theme", ["high-contrast", "brand"])
def test_theme_adds_its_stylesheet_after_the_bundle(client: Any, theme: str) -> None:
    for url in (
        f"/components/quick-exit/default/preview?theme={theme}",
        f"/components/full-page/preview?theme={theme}",
    ):
        page = parse(client.get(url).data)
        hrefs = [link["href"] for link in page.select('link[rel="stylesheet"]')]
        assert hrefs[-1] == f"/static/themes/{theme}.css", hrefs
        assert any("/_haven/static/dist/haven." in href for href in hrefs[:-1])
        response = client.get(hrefs[-1])
        assert response.status_code == 200
        response.close()


def test_component_page_passes_the_theme_to_every_preview(client: Any) -> None:
    page = parse(client.get("/components/quick-exit/?theme=brand").data)
    frames = page.select(".demo-example iframe")
    assert frames and all("theme=brand" in frame["src"] for frame in frames)
    assert page.select_one('input[name="theme"][value="brand"]').has_attr("checked")


@pytest.mark.parametrize(
    "url",
    [
        "/components/quick-exit/?theme=neon",
        "/components/quick-exit/default/preview?theme=../../etc",
        "/components/full-page/preview?js=maybe",
        "/components/quick-exit/?lang=fr",
        "/components/quick-exit/default/preview?lang=cy-x",
        "/components/full-page/?dir=up",
        "/components/full-page/preview?dir=RTL",
    ],
)
def test_unknown_switch_values_are_404_not_500(client: Any, url: str) -> None:
    assert client.get(url).status_code == 404


# -- language and text direction -----------------------------------------------------------


def html_dir(client: Any, url: str) -> str:
    return str(parse(client.get(url).data).html["dir"])


@pytest.mark.parametrize(
    "path", ["/components/quick-exit/default/preview", "/components/full-page/preview"]
)
def test_a_preview_takes_the_direction_asked_for(client: Any, path: str) -> None:
    assert html_dir(client, path + "?dir=rtl") == "rtl"
    assert html_dir(client, path + "?dir=ltr") == "ltr"
    # Without the switch the layout's own direction stands.
    assert html_dir(client, path) == "ltr"


def test_gallery_pages_stay_left_to_right_while_their_previews_do_not(client: Any) -> None:
    assert html_dir(client, "/components/quick-exit/?dir=rtl") == "ltr"
    assert html_dir(client, "/components/full-page/?dir=rtl") == "ltr"


def test_component_page_carries_language_and_direction_to_every_preview(client: Any) -> None:
    page = parse(client.get("/components/error-notice/?lang=cy&dir=rtl&theme=brand").data)
    urls = [frame["src"] for frame in page.select("main iframe")]
    urls += [a["href"] for a in page.select("main a") if "/preview" in a["href"]]
    component = get_component("error-notice")
    assert component is not None and len(urls) == 2 * len(component.examples)
    for url in urls:
        assert {"lang=cy", "dir=rtl", "theme=brand", "embed=1"} <= set(url.split("?")[1].split("&"))
        assert html_dir(client, url) == "rtl"


def test_full_page_carries_language_and_direction_to_its_frames(client: Any) -> None:
    page = parse(client.get("/components/full-page/?js=off&lang=cy&dir=rtl").data)
    frames = page.select("iframe")
    assert {f["src"] for f in frames} == {"/components/full-page/preview?js=off&lang=cy&dir=rtl"}
    assert all(f["title"].endswith(", right to left") for f in frames)


@pytest.mark.parametrize("path", ["/components/quick-exit/", "/components/full-page/"])
def test_switches_offer_language_and_direction(client: Any, path: str) -> None:
    def checked(page: Any, name: str) -> str:
        return str(page.select_one(f'form input[name="{name}"][checked]')["value"])

    page = parse(client.get(path).data)
    groups = {g.legend.get_text(): g for g in page.select("form fieldset")}
    assert {"Theme", "Language", "Text direction"} <= set(groups)
    labels = {label.get_text(): label for label in groups["Language"].select("label")}
    assert set(labels) == {"English", "Cymraeg"}
    # A screen reader says "Cymraeg" in Welsh, not as an English word.
    assert labels["Cymraeg"]["lang"] == "cy" and labels["English"]["lang"] == "en"
    assert [label.get_text() for label in groups["Text direction"].select("label")] == [
        "Left to right",
        "Right to left",
    ]
    for group in ("Language", "Text direction"):
        for radio in groups[group].select("input"):
            assert page.select_one(f'label[for="{radio["id"]}"]'), "every radio is labelled"
    assert (checked(page, "lang"), checked(page, "dir")) == ("en", "ltr")
    page = parse(client.get(path + "?lang=cy&dir=rtl").data)
    assert (checked(page, "lang"), checked(page, "dir")) == ("cy", "rtl")


def relative_luminance(colour: str) -> float:
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    channels = [int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Text (or focus ring) colour -> the backgrounds it is drawn on.
TEXT_ON = {
    "text": ("background", "surface", "focus"),
    "text-secondary": ("background", "surface"),
    "link": ("background", "surface"),
    "link-visited": ("background", "surface"),
    "brand-text": ("brand",),
    "danger-text": ("danger",),
    "focus-text": ("focus",),
    "success": ("background",),
    "tag-beta-text": ("tag-beta-background",),
    "tag-alpha-text": ("tag-alpha-background",),
    "secondary-button-text": ("secondary-button",),
}


def test_alpha_and_beta_tags_differ_in_hue() -> None:
    tokens = default_tokens()
    assert tokens["--haven-tag-alpha-background"] != tokens["--haven-tag-beta-background"]
    assert tokens["--haven-tag-alpha-text"] != tokens["--haven-tag-beta-text"]


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_theme_keeps_aa_contrast(theme: str) -> None:
    tokens = {name.removeprefix("--haven-"): value for name, value in default_tokens().items()}
    tokens |= {name.removeprefix("--haven-"): v for name, v in THEMES[theme].tokens().items()}
    for text, backgrounds in TEXT_ON.items():
        for background in backgrounds:
            ratio = contrast(tokens[text], tokens[background])
            assert ratio >= 4.5, f"{theme}: {text} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", [t for t in THEMES.values() if t.stylesheet])
def test_themes_only_set_properties_the_library_has(theme: Any) -> None:
    assert theme.tokens(), "theme sets nothing"
    assert set(theme.tokens()) <= set(default_tokens())
    without_comments = re.sub(r"/\*.*?\*/", "", theme.source, flags=re.S)
    assert re.fullmatch(r"\s*:root\s*\{[^}]*\}\s*", without_comments), "only a :root rule"


# -- the full-page preview and the gallery pages -------------------------------------------


def test_full_page_preview_with_javascript_off_leaves_the_script_out(client: Any) -> None:
    on = parse(client.get("/components/full-page/preview").data)
    off = parse(client.get("/components/full-page/preview?js=off").data)
    assert on.select('script[src*="/_haven/static/dist/haven."]')
    # Nothing that runs: consent-gated scripts stay inert (type=text/plain).
    assert [s for s in off.select("script") if s.get("type") != "text/plain"] == []
    assert off.select_one("h1").get_text() == on.select_one("h1").get_text()


def test_full_page_frames_have_three_widths_and_keep_the_switches(client: Any) -> None:
    page = parse(client.get("/components/full-page/?js=off&theme=high-contrast").data)
    frames = page.select("iframe")
    assert [f.find_parent(attrs={"data-preview": True})["data-width"] for f in frames] == [
        "320",
        "768",
        "1280",
    ]
    assert {f["src"] for f in frames} == {
        "/components/full-page/preview?theme=high-contrast&js=off"
    }
    assert len({f["title"] for f in frames}) == 3, "each frame needs its own title"


@pytest.mark.parametrize("url", GALLERY_PAGES)
def test_gallery_pages_have_strict_headers_and_no_inline_code(client: Any, url: str) -> None:
    check_headers(client, url)


def test_previews_may_be_framed_by_the_gallery_but_pages_may_not(client: Any) -> None:
    preview = client.get("/components/full-page/preview")
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    page = client.get("/components/full-page/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_themes_page_lists_every_custom_property(client: Any) -> None:
    text = parse(client.get("/components/themes/").data).get_text()
    for name in default_tokens():
        assert name in text


def test_code_spans_escape_then_mark_up() -> None:
    assert code_spans("Use `<b>` & `x`") == "Use <code>&lt;b&gt;</code> &amp; <code>x</code>"


def test_index_links_the_whole_page_views(client: Any) -> None:
    links = {a["href"] for a in parse(client.get("/components/").data).select("main a")}
    assert {"/components/full-page/", "/components/themes/"} <= links


def test_embedded_previews_do_not_autofocus_but_standalone_ones_do(client: Any) -> None:
    """A frame that takes focus on load would scroll the gallery page to it."""
    page = parse(client.get("/components/error-summary/").data)
    frame = page.select_one('iframe[src^="/components/error-summary/default/preview"]')
    assert "embed=1" in frame["src"]
    embedded = parse(client.get(frame["src"]).data)
    standalone = parse(client.get("/components/error-summary/default/preview").data)
    assert embedded.select_one(".haven-error-summary") is not None
    assert not embedded.select("[autofocus]")
    assert standalone.select("[autofocus]")
