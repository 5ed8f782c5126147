"""The chrome every page wears (quick exit, cookie banner, phase banner), rendered once.

Each of these components renders the same HTML on page after page: the same
texts in the same language, the same settings, the same few states. So the
finished fragment is kept per app and reused, keyed by everything it depends
on: the component and its params, the page's and the text's locale, the
scheme, host and URL prefix (``SCRIPT_NAME``), the settings and consent
manager, and the component's own state (the banner's question, confirmation
or error). What differs on every
request (the banner's return path, the phase banner's link back) is rendered
as a placeholder and filled in per request, escaped as the template would.

Each component renders through :func:`render_component`, one Python call, and
the macros (``haven/<name>/macro.html``) are thin wrappers around it: no
``{% call %}`` and ``{% include %}`` layers per page, no macro import in the
layout. Nothing is cached while Jinja reloads templates (debug), when a site
has replaced the component's template with its own, or when params hold
anything but plain values (a site's own per-request text).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from flask import Request, current_app, g, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from .assets import COMPONENTS_DIR
from .consent.manager import consent
from .feedback.views import feedback_url
from .i18n import locale_for
from .state import HavenState, current_state, request_state

# Stands in for a per-request value while a fragment is rendered once. HTML
# escaping leaves it as it is; URL-encoding (a link carrying the value in its
# query) turns its "/" into "%2F", so each place gets the value encoded the way
# the template would have. Any other form of it makes the fragment uncacheable.
_PLACEHOLDER = "havenPerRequest/X7q"
_PLACEHOLDER_STEM = "havenPerRequest"
_PLACEHOLDERS = re.compile(
    f"({re.escape(_PLACEHOLDER)}|{re.escape(quote_plus(_PLACEHOLDER, safe=''))})"
)
# Markers in a kept fragment's pieces (compared by identity): where the value
# goes HTML-escaped, and where it goes URL-encoded then escaped.
_RAW = "\x00raw"
_QUOTED = "\x00quoted"
_UNCACHEABLE: tuple[str, ...] = ("\x00uncacheable",)
_REQUEST_KEY = "_haven_chrome"
_MISSING: Any = object()
# Far more than the locales x prefixes x states x param sets a site uses; a
# site that somehow makes more just starts again (the first page re-renders).
MAX_FRAGMENTS = 512


@dataclass(eq=False)
class FragmentCache:
    """One app's finished fragments, valid for one settings object and consent manager."""

    settings: object = None
    consent: object = None
    fragments: dict[Hashable, tuple[str, ...]] = field(default_factory=dict)
    # Per component: is the template the one we ship (not a site's own)?
    ours: dict[str, bool] = field(default_factory=dict)
    # The phase banner's link per page.
    links: dict[Hashable, str | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class _Component:
    """How one component renders: its template, and what varies per request."""

    template: str
    # Extra key parts read from the request state (the banner's state), or
    # None when the component renders nothing on this request.
    state: Callable[[Mapping[str, Any], _Here], Hashable | None] = lambda params, here: ()
    # The one param that differs on every request, as (name, value), filled in
    # after rendering (value None: left out, so the template leaves it out);
    # None when the caller gave it or the component has none.
    per_request: Callable[[Mapping[str, Any], _Here], tuple[str, str | None] | None] = (
        lambda params, here: None
    )


def _banner_state(params: Mapping[str, Any], here: _Here) -> Hashable | None:
    # What the template shows: nothing without a policy or a state to show.
    if here.haven.consent.policy is None:
        return None
    return params.get("state") or consent.banner_state() or None


def _banner_return_path(params: Mapping[str, Any], here: _Here) -> tuple[str, str | None] | None:
    if params.get("return_to"):
        return None
    return ("return_to", here.request.full_path.rstrip("?"))


def _phase_banner_link(params: Mapping[str, Any], here: _Here) -> tuple[str, str | None] | None:
    if params.get("href"):
        return None
    # The link for this path, kept like the fragments (building a URL costs
    # more than the rest of the banner).
    cache = here.cache
    path = here.request.path
    if cache is None:
        return ("href", feedback_url(path))
    key = (here.key, path, here.request.blueprint)
    link = cache.links.get(key, _MISSING)
    if link is _MISSING:
        link = feedback_url(path)
        with cache.lock:
            if len(cache.links) >= MAX_FRAGMENTS * 8:
                cache.links.clear()
            cache.links[key] = link
    return ("href", link)


COMPONENTS: dict[str, _Component] = {
    "quick-exit": _Component("haven/quick-exit/template.html"),
    "cookie-banner": _Component(
        "haven/cookie-banner/template.html",
        state=_banner_state,
        per_request=_banner_return_path,
    ),
    "phase-banner": _Component("haven/phase-banner/template.html", per_request=_phase_banner_link),
}
_NO_PARAMS: Mapping[str, Any] = {}


def render_component(name: str, params: Mapping[str, Any] | None = None) -> Markup:
    """Render the component ``name`` (``quick-exit``, ``cookie-banner``, ``phase-banner``).

    The one path for the layout, the page helpers and the macros. ``params``
    is the macro's mapping; ``params["lang"]`` renders the component in
    another language than the page's.
    """
    component = COMPONENTS[name]
    params = params or _NO_PARAMS
    if not has_request_context():
        return _render(component.template, params)  # a CLI render, say: nothing to key on
    here = _here()
    state = component.state(params, here)
    if state is None:
        return Markup("")
    cache = here.cache
    frozen = _freeze(params) if params else ()
    if cache is None or frozen is None or not _is_ours(cache, name):
        return _render(component.template, params)
    slot = component.per_request(params, here)
    value = slot[1] if slot is not None else None
    if value == "":
        # The template would work an empty value out itself, per request.
        return _render(component.template, params)
    # The text's locale is the page's unless a fragment forced another. Read
    # where Flask-Babel's get_locale() reads it, when that is where it is.
    locale = getattr(here.babel, "babel_locale", None) or get_locale()
    text = "" if locale is here.locale else str(locale)
    key = (name, frozen, state, here.key, text, slot is not None and value is None)
    pieces = cache.fragments.get(key)
    if pieces is None:
        filled = {**params, slot[0]: _PLACEHOLDER} if slot is not None and value else params
        pieces = _pieces(str(_render(component.template, filled)))
        with cache.lock:
            if len(cache.fragments) >= MAX_FRAGMENTS:
                cache.fragments.clear()
            cache.fragments[key] = pieces
    if pieces is _UNCACHEABLE:
        return _render(component.template, params)
    if len(pieces) == 1:
        html = pieces[0]
    else:
        # The text between the placeholders, and the value where each stood,
        # encoded as the template would have written it there.
        raw = str(escape(value))
        quoted = str(escape(quote_plus(value or "", safe=""))) if _QUOTED in pieces else ""
        html = "".join([raw if p is _RAW else quoted if p is _QUOTED else p for p in pieces])
    return Markup(html)  # noqa: S704  (our template's output; the value escaped above)


@dataclass(eq=False)
class _Here:
    """What the chrome needs to know of this request, worked out once per request."""

    haven: HavenState
    request: Request
    # The app's fragment cache; None renders every time (templates reloading).
    cache: FragmentCache | None
    # The page's locale (the object Flask-Babel hands out for this request).
    locale: object
    # The page's locale, the scheme and host, and the app's prefix: what every
    # text and link in a fragment may depend on. One string, so it is hashed
    # once per request.
    key: str
    # Flask-Babel's per-request namespace (where get_locale() keeps the locale).
    babel: object = None


def _pieces(html: str) -> tuple[str, ...]:
    """A rendered fragment cut at its placeholders (markers :data:`_RAW`, :data:`_QUOTED`).

    :data:`_UNCACHEABLE` when the template wrote the value in some other form
    (transformed, double-encoded): such a fragment is rendered every time.
    """
    parts: list[str] = []
    for index, part in enumerate(_PLACEHOLDERS.split(html)):
        if index % 2 == 0:
            if _PLACEHOLDER_STEM in part:
                return _UNCACHEABLE
            parts.append(part)
        else:
            parts.append(_RAW if part == _PLACEHOLDER else _QUOTED)
    return tuple(parts)


def _here() -> _Here:
    """This request's :class:`_Here` (needs a request context).

    Kept on the request object itself, not on ``g``: several requests may
    share one app context (a test client inside ``app.app_context()``).
    """
    current = request._get_current_object()  # type: ignore[attr-defined]
    here: _Here | None = getattr(current, _REQUEST_KEY, None)
    if here is not None and (here.cache is None or _is_current(here.cache, here.haven)):
        return here
    app = current_app
    haven = current_state()
    cache = None
    if not app.jinja_env.auto_reload:
        cache = haven.fragments
        if cache is None or not _is_current(cache, haven):
            cache = haven.fragments = FragmentCache(settings=haven.settings, consent=haven.consent)
    locale = request_state().locale
    # The scheme and host too: a fragment may hold an absolute URL of this site
    # (the quick exit's count ping), and a Host header must never reach a page
    # sent to someone who asked by another name.
    key = f"{locale}|{current.host_url}|{current.script_root}"
    here = _Here(haven, current, cache, locale, key, getattr(g, "_flask_babel", None))
    setattr(current, _REQUEST_KEY, here)
    return here


def _is_current(cache: FragmentCache, haven: HavenState) -> bool:
    # Settings are replaced whole, never edited; the gallery swaps the consent
    # manager (another policy) for one preview.
    return cache.settings is haven.settings and cache.consent is haven.consent


def _is_ours(cache: FragmentCache, name: str) -> bool:
    """Is the component's template the one we ship (a site may replace it)?"""
    ours = cache.ours.get(name)
    if ours is None:
        source = current_app.jinja_env.get_template(COMPONENTS[name].template).filename or ""
        ours = cache.ours[name] = source.startswith(str(COMPONENTS_DIR))
    return ours


def _render(template: str, params: Mapping[str, Any]) -> Markup:
    """Render a component's template with ``params``, in ``params["lang"]`` if given."""
    with locale_for(params.get("lang")):
        html = current_app.jinja_env.get_template(template).render(params=params)
    return Markup(html)  # noqa: S704  (rendered with autoescape)


_PLAIN = (str, int, float, bool, type(None))


def _freeze(value: Any) -> Hashable | None:
    """A hashable copy of plain params (``None`` if anything is not plain).

    A string's type is part of it: ``Markup`` renders unescaped, ``str`` escaped.
    """
    if isinstance(value, Mapping):
        items = [(str(key), _freeze(item)) for key, item in value.items()]
        if any(frozen is None for _, frozen in items):
            return None
        return ("map", tuple(sorted(items)))
    if isinstance(value, list | tuple):
        frozen_items = tuple(_freeze(item) for item in value)
        return None if None in frozen_items else ("seq", frozen_items)
    if isinstance(value, _PLAIN):
        return (type(value).__name__, value)
    return None


def init_app(app: Any) -> None:
    """The chrome's render functions as Jinja globals, named like their macros.

    The layout calls these directly (no macro import per page); a template
    that imports a macro gets the same function behind it.
    """

    def renderer(name: str) -> Callable[..., Markup]:
        def render(params: Mapping[str, Any] | None = None) -> Markup:
            return render_component(name, params)

        render.__name__ = "haven_" + name.replace("-", "_")
        return render

    app.jinja_env.globals["haven_render_component"] = render_component
    for name in COMPONENTS:
        app.jinja_env.globals["haven_" + name.replace("-", "_")] = renderer(name)
