"""The designers' gallery: every component, every example, driven by the YAML files.

Pages (all under ``/components/``):

- ``/`` the components, each with a one-line purpose;
- ``/<name>/`` one component: every example live, its Jinja and HTML (with
  copy buttons when JavaScript runs), its parameters and accessibility notes;
- ``/<name>/<example>/preview`` one example alone, for review and the tests;
- ``/full-page/`` the news page at phone, tablet and desktop widths;
- ``/themes/`` the sample themes side by side, and how to theme.

Previews take ``?theme=<name>`` (one of :data:`THEMES`), ``?lang=`` (one of
:data:`LANGUAGES`), ``?dir=`` (one of :data:`DIRECTIONS`) and the full-page
preview ``?js=off``; the gallery pages carry them into every preview they
frame or link. An example's ``state:`` is set up server-side through
:mod:`demo_app.states`, so no designer has to fiddle with cookies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    make_response,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape

from flask_haven.assets import CORE_DIR
from flask_haven.catalogue import Component, Example, get_component, load_components
from flask_haven.security import DEFAULT_CSP
from flask_haven.state import current_state

from .states import State, apply_state, find_state

gallery = Blueprint("gallery", __name__, url_prefix="/components")

# Previews are shown in iframes on the gallery pages, so (unlike every other
# page) they may be framed by this same site.
PREVIEW_FRAME_HEADERS = {"X-Frame-Options": "SAMEORIGIN"}

# The demo site's own static folder (the repository's static/), where the sample themes live.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@dataclass(frozen=True)
class Theme:
    """A sample theme: a stylesheet in the demo's ``static/themes/`` that sets ``--haven-*``."""

    name: str
    title: str
    description: str
    stylesheet: str | None = None

    @property
    def source(self) -> str:
        """The theme's CSS, to show as the "how to" example."""
        if self.stylesheet is None:
            return ""
        return (STATIC_DIR / self.stylesheet).read_text(encoding="utf-8")

    def tokens(self) -> dict[str, str]:
        """The custom properties the theme sets, name -> value."""
        return parse_tokens(self.source)


THEMES: dict[str, Theme] = {
    theme.name: theme
    for theme in (
        Theme("default", "Default", "The library's own colours, fonts and spacing."),
        Theme(
            "high-contrast",
            "High contrast",
            "Black on white, no tinted surfaces, strong borders.",
            "themes/high-contrast.css",
        ),
        Theme(
            "brand",
            "Sample brand",
            "A charity's purple, another font stack and roomier spacing.",
            "themes/brand.css",
        ),
    )
}

WIDTHS = (("Phone", 320), ("Tablet", 768), ("Desktop", 1200))

# The languages the previews can be shown in, each named in itself. The app's
# locale selector reads ``?lang=`` on every request; the gallery only checks the
# value and passes it on to the previews.
LANGUAGES = {"en": "English", "cy": "Cymraeg"}

# Text directions a preview can be forced into, whatever its language: no
# language we ship is written right to left, yet every component must mirror
# for a site that is.
DIRECTIONS = {"ltr": "Left to right", "rtl": "Right to left"}

_TOKEN = re.compile(r"(--haven-[a-z0-9-]+)\s*:\s*([^;]+);")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def parse_tokens(css: str) -> dict[str, str]:
    """``--haven-*`` declarations in the first ``:root`` rule of ``css``."""
    match = re.search(r":root\s*\{([^}]*)\}", css)
    return dict(_TOKEN.findall(match.group(1))) if match else {}


def default_tokens() -> dict[str, str]:
    """The theme tokens and their defaults, read from core.css (so they cannot drift)."""
    return parse_tokens((CORE_DIR / "core.css").read_text(encoding="utf-8"))


@gallery.app_template_filter("code_spans")
def code_spans(text: str) -> Markup:
    """Escape ``text`` and show its `backticked` parts as code, as in the YAML files."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))  # noqa: S704


def _component_or_404(name: str) -> Component:
    component = get_component(name)
    if component is None:
        abort(404)
    return component


def _choice(arg: str, allowed: Mapping[str, object]) -> str | None:
    """The value of ``?<arg>=`` if given; one not in ``allowed`` is a 404, like an unknown page."""
    value = request.args.get(arg)
    if value is not None and value not in allowed:
        abort(404)
    return value


def _theme() -> Theme:
    """The theme asked for by ``?theme=`` (the default one when none is)."""
    return THEMES[_choice("theme", THEMES) or "default"]


def _js_off() -> bool:
    """True for ``?js=off``; ``on`` (or nothing) means on."""
    return _choice("js", {"on": True, "off": False}) == "off"


@dataclass(frozen=True)
class Switches:
    """The preview switches of the current request, checked.

    ``lang`` and ``direction`` are ``None`` when not asked for: the preview
    then keeps the app's own choice (its locale, and the layout's direction).
    """

    theme: Theme
    js_off: bool = False
    lang: str | None = None
    direction: str | None = None

    def query(self, *, js: bool = True) -> dict[str, Any]:
        """URL arguments that keep these switches (defaults are left out);
        ``js=False`` leaves out the JavaScript switch, which only the full page has."""
        args: dict[str, Any] = {}
        if self.theme.name != "default":
            args["theme"] = self.theme.name
        if js and self.js_off:
            args["js"] = "off"
        if self.lang is not None:
            args["lang"] = self.lang
        if self.direction is not None:
            args["dir"] = self.direction
        return args


def _switches(*, js: bool = False) -> Switches:
    """Every switch asked for; ``js`` reads the JavaScript one too (full page only)."""
    return Switches(
        theme=_theme(),
        js_off=_js_off() if js else False,
        lang=_choice("lang", LANGUAGES),
        direction=_choice("dir", DIRECTIONS),
    )


_AUTOFOCUS = re.compile(r"(<[^<>]*?)\sautofocus(?=[\s>])")


def _frameable(body: str) -> Response:
    """A preview response that this site's own gallery pages may frame."""
    response = make_response(body)
    csp = current_state().settings.csp or DEFAULT_CSP
    response.headers["Content-Security-Policy"] = csp.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    response.headers.update(PREVIEW_FRAME_HEADERS)
    return response


@dataclass(frozen=True)
class ExampleView:
    """What the component page shows for one example."""

    example: Example
    preview_url: str
    macro_call: str
    html: str
    state: State | None
    # Named in the YAML but registered by no code: previewed without it, and said so.
    missing_state: str | None


@gallery.route("/")
def index() -> str:
    """All components with a one-line purpose each."""
    return render_template("gallery/index.html", components=load_components())


@gallery.route("/<name>/")
def component(name: str) -> str:
    """One component: every example live, with its code, parameters and notes."""
    component = _component_or_404(name)
    switches = _switches()
    views = []
    for example in component.visible_examples:
        with apply_state(example.state, component.name, missing_ok=True) as context:
            html = component.html_source(example, **context)
        state = find_state(example.state, component.name) if example.state else None
        views.append(
            ExampleView(
                example=example,
                preview_url=url_for(
                    "gallery.preview",
                    name=component.name,
                    example_name=example.name,
                    embed=1,
                    **switches.query(),
                ),
                macro_call=component.macro_call(example),
                html=html,
                state=state,
                missing_state=example.state if example.state and state is None else None,
            )
        )
    return render_template(
        "gallery/component.html",
        component=component,
        examples=views,
        themes=THEMES.values(),
        theme=switches.theme,
        switches=switches,
        languages=LANGUAGES,
        directions=DIRECTIONS,
    )


@gallery.route("/<name>/<example_name>/preview")
def preview(name: str, example_name: str) -> Response:
    """One example alone on a plain page, for visual review and for the tests."""
    component = _component_or_404(name)
    example = component.example(example_name)
    if example is None:
        abort(404)
    switches = _switches()
    with apply_state(example.state, component.name, missing_ok=True) as context:
        body = render_template(
            "gallery/preview.html",
            component=component,
            example=example,
            theme=switches.theme,
            switches=switches,
            state_context=context,
            **context,
        )
    if request.args.get("embed") == "1":
        # Inside a component page's frame, an example's autofocus (an error
        # summary, a banner confirmation) would scroll the whole gallery page
        # to that frame as it loads. The standalone preview keeps it.
        body = _AUTOFOCUS.sub(r"\1", body)
    return _frameable(body)


@gallery.route("/full-page/")
def full_page() -> str:
    """The news page at phone, tablet and desktop widths, with JavaScript on or off."""
    switches = _switches(js=True)
    return render_template(
        "gallery/full-page.html",
        preview_url=url_for("gallery.full_page_preview", **switches.query()),
        widths=WIDTHS,
        themes=THEMES.values(),
        theme=switches.theme,
        js_off=switches.js_off,
        switches=switches,
        languages=LANGUAGES,
        directions=DIRECTIONS,
    )


@gallery.route("/full-page/preview")
def full_page_preview() -> Response:
    """The news page (``/``) itself, frameable, in a theme, a language and a text
    direction, optionally without JavaScript."""
    switches = _switches(js=True)
    return _frameable(
        render_template("gallery/full-page-preview.html", theme=switches.theme, switches=switches)
    )


@gallery.route("/themes/")
def themes() -> str:
    """The sample themes side by side, and how to make one."""
    defaults = default_tokens()
    rows: list[dict[str, Any]] = [
        {
            "name": name,
            "default": value,
            "themes": {t.name: t.tokens().get(name) for t in THEMES.values()},
        }
        for name, value in defaults.items()
    ]
    return render_template(
        "gallery/themes.html",
        themes=THEMES.values(),
        rows=rows,
        brand=THEMES["brand"],
    )


# Pages that frame previews: a preview's quick exit leaves within its frame, so
# these pages may frame the exit page too (otherwise their CSP's default-src
# would block it, and the key would seem dead in a preview).
_FRAMING_ENDPOINTS = frozenset({"gallery.component", "gallery.full_page"})


@gallery.after_request
def _let_previews_leave(response: Response) -> Response:
    if request.endpoint not in _FRAMING_ENDPOINTS or "Content-Security-Policy" in response.headers:
        return response
    exit_url = urlsplit(current_state().settings.quick_exit.url)
    csp = current_state().settings.csp or DEFAULT_CSP
    response.headers["Content-Security-Policy"] = (
        f"{csp}; frame-src 'self' {exit_url.scheme}://{exit_url.netloc}"
    )
    return response
