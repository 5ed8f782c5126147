"""The designers' gallery: every component, every example, driven by the YAML files.

Pages (all under ``/components/``):

- ``/`` every component, error page and whole-page view, each with a thumbnail;
- ``/<name>/`` one component: every example live, its Jinja and HTML (with
  copy buttons when JavaScript runs), its states, its spec, its parameters
  and accessibility notes;
- ``/<name>/<example>/preview`` one example alone, for review and the tests;
- ``/error-pages/`` the site's 404, 500 and 503 pages and maintenance mode,
  and ``/error-pages/<name>/preview`` each alone;
- ``/full-page/`` the news page at phone, tablet and desktop widths;
- ``/themes/`` the sample themes side by side, and how to theme;
- ``/tokens/`` the colours, the spacing scale and the type scale;
- ``/gallery.css`` the stylesheet the pages above need from the data
  (swatches, scales, frame heights): generated, because a strict CSP allows
  no ``style`` attribute.

Previews take ``?theme=<name>`` (one of :data:`THEMES`), ``?lang=`` (one of
:data:`LANGUAGES`), ``?dir=`` (one of :data:`DIRECTIONS`) and the full-page
preview ``?js=off``; the gallery pages carry them into every preview they
frame or link, and take ``?width=`` (one of :data:`WIDTHS`) for the frames.
Right to left, an example shows its real right-to-left sample content (its
YAML's ``rtl``). An example's ``state:`` is set up server-side through
:mod:`demo_app.states`, so no designer has to fiddle with cookies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    make_response,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape

from flask_haven.assets import COMPONENTS_DIR, CORE_DIR
from flask_haven.catalogue import Component, Example, get_component, load_components
from flask_haven.errors import error_response
from flask_haven.security import DEFAULT_CSP
from flask_haven.state import current_state

from . import screens
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

# The widths previews are shown at, the same three the screenshots are taken at.
WIDTHS = (("Phone", 320), ("Tablet", 768), ("Desktop", 1280))
WIDTH_NAMES = {str(width): name for name, width in WIDTHS}
DEFAULT_WIDTH = 1280

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
    return dict(_parsed_core()[1])


@gallery.app_template_filter("code_spans")
def code_spans(text: str) -> Markup:
    """Escape ``text`` and show its `backticked` parts as code, as in the YAML files."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))  # noqa: S704


@gallery.app_template_global("screens_size")
def screens_size(shot: str, width: int) -> tuple[int, int] | None:
    """A baseline screenshot's size (for an image's width and height), or ``None``."""
    return screens.size(shot, width)


@gallery.app_template_global("screens_file")
def screens_file(shot: str, width: int) -> str:
    """A baseline screenshot's path in the demo's static folder."""
    return screens.STATIC_PREFIX + screens.file_name(shot, width)


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
    ``width`` is the frames' width on the gallery pages; previews themselves
    are as wide as their frame.
    """

    theme: Theme
    js_off: bool = False
    lang: str | None = None
    direction: str | None = None
    width: int = DEFAULT_WIDTH

    @property
    def rtl(self) -> bool:
        """Right to left asked for: previews show their right-to-left sample content."""
        return self.direction == "rtl"

    def query(self, *, js: bool = True) -> dict[str, Any]:
        """URL arguments that keep these switches (defaults are left out);
        ``js=False`` leaves out the JavaScript switch, which only the full page has.
        The width is the gallery page's, not the preview's, so it is left out."""
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
    width = _choice("width", WIDTH_NAMES)
    return Switches(
        theme=_theme(),
        js_off=_js_off() if js else False,
        lang=_choice("lang", LANGUAGES),
        direction=_choice("dir", DIRECTIONS),
        width=int(width) if width else DEFAULT_WIDTH,
    )


def _switch_context(
    switches: Switches, *, js_switch: bool = False, widths: bool = True
) -> dict[str, Any]:
    """What the switches form (gallery/_switches.html) needs."""
    return {
        "themes": THEMES.values(),
        "theme": switches.theme,
        "switches": switches,
        "languages": LANGUAGES,
        "directions": DIRECTIONS,
        "widths": WIDTHS if widths else (),
        "js_switch": js_switch,
        "js_off": switches.js_off,
    }


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


def _embedded(body: str) -> str:
    """Inside a gallery page's frame, an example's autofocus (an error summary,
    a banner confirmation) would scroll the whole gallery page to that frame
    as it loads. The standalone preview keeps it."""
    return _AUTOFOCUS.sub(r"\1", body) if request.args.get("embed") == "1" else body


# -- the design tokens, read from core.css ----------------------------------------------

_CLASS = re.compile(r'class="([^"]*)"')
_VAR = re.compile(r"var\((--haven-[a-z0-9-]+)")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _core_css() -> str:
    return _parsed_core()[0]


@dataclass(frozen=True)
class _Rule:
    """A rule of core.css: the classes its selector names, the tokens it uses."""

    classes: frozenset[str]
    tokens: frozenset[str]


def _parsed_core() -> tuple[str, dict[str, str], tuple[_Rule, ...]]:
    # Read again only when the file changes (the gallery reads it on every page).
    path = CORE_DIR / "core.css"
    return _parse_core(path.stat().st_mtime_ns)


@cache
def _parse_core(mtime: int) -> tuple[str, dict[str, str], tuple[_Rule, ...]]:
    css = (CORE_DIR / "core.css").read_text(encoding="utf-8")
    rules = tuple(
        _Rule(
            frozenset(re.findall(r"\.(haven-[a-z0-9_-]+)", selector)),
            frozenset(_VAR.findall(body)),
        )
        for selector, body in _RULE.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    )
    return css, parse_tokens(css), rules


def wide_tokens() -> dict[str, str]:
    """The tokens core.css sets again from 40.0625em (641 px): the larger type."""
    match = re.search(r"@media \(min-width: 40\.0625em\)\s*\{\s*:root\s*\{([^}]*)\}", _core_css())
    return dict(_TOKEN.findall(match.group(1))) if match else {}


def _rem_to_px(value: str, unit_px: float = 16.0) -> float | None:
    """``1.5rem`` -> 24.0; ``calc(var(--haven-space) * 0.25)`` -> 4.0 (the unit at 16 px)."""
    value = value.strip()
    if value.endswith("rem"):
        return float(value[:-3]) * 16
    if value == "var(--haven-space)":
        return unit_px
    scaled = re.fullmatch(r"calc\(var\(--haven-space\) \* ([0-9.]+)\)", value)
    return float(scaled.group(1)) * unit_px if scaled else None


@dataclass(frozen=True)
class TypeStep:
    """One size of the type scale, on a phone and from 641 px, in CSS pixels."""

    name: str
    phone: tuple[float, float]
    wide: tuple[float, float]
    use: str


TYPE_USES = {
    "xl": "The largest page headings",
    "l": "Page headings (h1)",
    "m": "Section headings; the cookie banner's and error summary's titles",
    "s": "Small headings; the error notice's title",
    "lead": "The opening paragraph",
    "body": "All text, controls and buttons",
    "small": "The phase banner, table text on phones, captions",
}


def type_scale() -> list[TypeStep]:
    """Every ``--haven-font-size-*`` with its line height, phone and wide."""
    base, wide = default_tokens(), {**default_tokens(), **wide_tokens()}
    steps = []
    for name in TYPE_USES:

        def measure(tokens: dict[str, str], name: str = name) -> tuple[float, float]:
            size = _rem_to_px(tokens[f"--haven-font-size-{name}"]) or 0.0
            return size, round(size * float(tokens[f"--haven-line-height-{name}"]))

        steps.append(TypeStep(name, measure(base), measure(wide), TYPE_USES[name]))
    return steps


def spacing_scale() -> list[tuple[str, str, float]]:
    """Every ``--haven-space-N``: name, declared value, pixels at the default unit."""
    return [
        (name, value, _rem_to_px(value) or 0.0)
        for name, value in default_tokens().items()
        if re.fullmatch(r"--haven-space-\d", name)
    ]


def colour_tokens() -> dict[str, str]:
    """The tokens whose default is a colour."""
    return {name: value for name, value in default_tokens().items() if value.startswith("#")}


def tokens_used(component: Component, html: str) -> list[str]:
    """The tokens a component uses: those in its own CSS, and those of the shared
    rules in core.css (buttons, radios, tags) whose classes its markup carries."""
    css_file = COMPONENTS_DIR / component.name / f"{component.name}.css"
    own = css_file.read_text(encoding="utf-8") if css_file.is_file() else ""
    used = set(_VAR.findall(own))
    classes = {name for attr in _CLASS.findall(html) for name in attr.split()}
    for rule in _parsed_core()[2]:
        if rule.classes & classes:
            used |= rule.tokens
    order = list(default_tokens())
    return sorted(used, key=lambda name: order.index(name) if name in order else len(order))


# -- the error pages --------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorPage:
    """One of the site's error pages, as the gallery shows it."""

    name: str
    title: str
    status: int
    description: str
    maintenance: bool = False

    @property
    def shot(self) -> str:
        """Its screenshot name (also its index thumbnail)."""
        return screens.page_shot(f"/components/error-pages/{self.name}/preview")


ERROR_PAGES: dict[str, ErrorPage] = {
    page.name: page
    for page in (
        ErrorPage("404", "Page not found", 404, "An address that leads nowhere."),
        ErrorPage(
            "500",
            "Technical problem",
            500,
            "A fault of ours. The reference lets support find the log entry; nothing of the "
            "fault itself is shown.",
        ),
        ErrorPage(
            "503",
            "Service unavailable",
            503,
            "The service is down for a reason other than planned maintenance.",
        ),
        ErrorPage(
            "maintenance",
            "Maintenance mode",
            503,
            "`HAVEN_MAINTENANCE` on: every page answers this, saying when to try again "
            "(from `HAVEN_MAINTENANCE_RETRY_AFTER`); the quick exit still works.",
            maintenance=True,
        ),
    )
}

# A reference in the format the error pages use, the same on every preview so
# their screenshots do not change from run to run.
SAMPLE_REQUEST_ID = "3F9A-C21B-7D04"


# -- the pages ---------------------------------------------------------------------------


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
    shot: str


@dataclass(frozen=True)
class Card:
    """One entry of the gallery's index: where it goes, what it is, its thumbnail."""

    title: str
    url: str
    text: str
    shot: str
    thumbnail_width: int = 768
    # A whole page (shown from its top), not a component (shown whole, centred).
    page: bool = False

    @property
    def thumbnail(self) -> tuple[str, int, int] | None:
        """The thumbnail's static path and size, or ``None`` before ``make screenshots``."""
        found = screens.size(self.shot, self.thumbnail_width)
        if found is None:
            return None
        return screens.STATIC_PREFIX + screens.file_name(self.shot, self.thumbnail_width), *found


def _first_example(component: Component) -> Example:
    visible = component.visible_examples
    return visible[0] if visible else component.examples[0]


@gallery.route("/")
def index() -> str:
    """Every component, error page and whole-page view, each with a thumbnail."""
    components = [
        Card(
            component.title,
            url_for("gallery.component", name=component.name),
            component.purpose,
            screens.example_shot(component.name, _first_example(component).name),
        )
        for component in load_components()
    ]
    errors = [
        Card(
            f"{page.title} ({page.status})" if not page.maintenance else page.title,
            url_for("gallery.error_pages", _anchor=f"error-{page.name}"),
            page.description,
            page.shot,
            page=True,
        )
        for page in ERROR_PAGES.values()
    ]
    views = [
        Card(
            "Full page",
            url_for("gallery.full_page"),
            "The news page wearing all the chrome, at phone, tablet and desktop widths, with "
            "JavaScript on or off.",
            screens.page_shot("/"),
            page=True,
        ),
        Card(
            "Themes",
            url_for("gallery.themes"),
            "The default, a high-contrast and a sample brand theme side by side, and how to "
            "make your own.",
            screens.page_shot("/components/themes/"),
            page=True,
        ),
        Card(
            "Tokens",
            url_for("gallery.tokens"),
            "The colours, the spacing scale, the type scale and the shared form controls every "
            "component is built from.",
            screens.page_shot("/components/tokens/"),
            page=True,
        ),
    ]
    return render_template("gallery/index.html", components=components, errors=errors, views=views)


@gallery.route("/<name>/")
def component(name: str) -> str:
    """One component: every example live, with its code, states, spec, parameters and notes."""
    component = _component_or_404(name)
    switches = _switches()
    views = []
    for example in component.visible_examples:
        with apply_state(example.state, component.name, missing_ok=True) as context:
            html = component.html_source(example, rtl=switches.rtl, **context)
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
                macro_call=component.macro_call(example, rtl=switches.rtl),
                html=html,
                state=state,
                missing_state=example.state if example.state and state is None else None,
                shot=screens.example_shot(component.name, example.name),
            )
        )
    interactions = [
        (interaction, screens.state_shot(component.name, interaction))
        for interaction in screens.INTERACTIONS
        if screens.size(screens.state_shot(component.name, interaction), 1280)
    ]
    return render_template(
        "gallery/component.html",
        component=component,
        examples=views,
        tokens=tokens_used(component, "".join(view.html for view in views)),
        interactions=interactions,
        **_switch_context(switches),
    )


@gallery.route("/<name>/<example_name>/preview")
def preview(name: str, example_name: str) -> Response:
    """One example alone on a plain page, for visual review and for the tests."""
    component = _component_or_404(name)
    example = component.example(example_name)
    if example is None:
        abort(404)
    switches = _switches()
    # Right to left, the example's sample content is in a right-to-left
    # language, and the page says which.
    rtl_sample = switches.rtl and example.rtl_params is not None
    with apply_state(example.state, component.name, missing_ok=True) as context:
        body = render_template(
            "gallery/preview.html",
            component=component,
            example=example,
            theme=switches.theme,
            switches=switches,
            state_context=context,
            rtl_sample=rtl_sample,
            rtl_lang=component.rtl.lang if rtl_sample else None,
            **context,
        )
    return _frameable(_embedded(body))


@gallery.route("/error-pages/")
def error_pages() -> str:
    """The site's error pages and maintenance mode, each in a frame."""
    switches = _switches()
    pages = [
        (page, url_for("gallery.error_page_preview", name=page.name, embed=1, **switches.query()))
        for page in ERROR_PAGES.values()
    ]
    return render_template("gallery/error-pages.html", pages=pages, **_switch_context(switches))


@gallery.route("/error-pages/<name>/preview")
def error_page_preview(name: str) -> Response:
    """One error page as a person gets it (sent here with status 200: it is a preview)."""
    page = ERROR_PAGES.get(name)
    if page is None:
        abort(404)
    _switches()  # an unknown switch value is a 404 here too
    g.haven_request_id = SAMPLE_REQUEST_ID
    retry = current_state().settings.errors.maintenance_retry_after if page.maintenance else None
    response = error_response(page.status, retry_after=retry)
    return _frameable(_embedded(response.get_data(as_text=True)))


@gallery.route("/full-page/")
def full_page() -> str:
    """The news page at phone, tablet and desktop widths, with JavaScript on or off."""
    switches = _switches(js=True)
    return render_template(
        "gallery/full-page.html",
        preview_url=url_for("gallery.full_page_preview", **switches.query()),
        frame_widths=WIDTHS,
        **_switch_context(switches, js_switch=True, widths=False),
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


@gallery.route("/tokens/")
def tokens() -> str:
    """The design tokens: colour swatches, the spacing scale and the type scale."""
    switches = _switches()
    return render_template(
        "gallery/tokens.html",
        colours=colour_tokens(),
        spacing=spacing_scale(),
        type_scale=type_scale(),
        **_switch_context(switches, widths=False),
    )


@gallery.route("/gallery.css")
def stylesheet() -> Response:
    """The styles that come from data: a swatch per colour token, a bar per space,
    a sample per type size, and each preview frame's height per width (from its
    screenshot, so a frame is as tall as what it shows before it loads)."""
    lines = [
        f'.demo-swatch[data-token="{name}"] {{ background: var({name}); }}'
        for name in colour_tokens()
    ]
    lines += [
        f'.demo-space[data-token="{name}"] {{ width: var({name}); }}'
        for name, _, _ in spacing_scale()
    ]
    lines += [
        f'.demo-type[data-token="{step.name}"] {{ font-size: var(--haven-font-size-{step.name}); '
        f"line-height: var(--haven-line-height-{step.name}); }}"
        for step in type_scale()
    ]
    for file, (_, height) in sorted(screens.shots().items()):
        shot, _, width = file.removesuffix(".png").rpartition("@")
        if shot.startswith("example-"):
            lines.append(
                f'.demo-preview[data-shot="{shot}"][data-width="{width}"] '
                f"{{ --demo-frame-height: {height}px; }}"
            )
    response = make_response("\n".join(lines) + "\n")
    response.mimetype = "text/css"
    return response


# Pages that frame previews: a preview's quick exit leaves within its frame, so
# these pages may frame the exit page too (otherwise their CSP's default-src
# would block it, and the key would seem dead in a preview).
_FRAMING_ENDPOINTS = frozenset(
    {"gallery.component", "gallery.full_page", "gallery.themes", "gallery.error_pages"}
)


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
