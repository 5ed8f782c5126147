"""The page-template contract: what any page wearing the components must carry.

``haven/layout.html`` is one page template; a site with its own base layout
calls the same helpers (Jinja globals), so nobody copies the layout's
internals (docs/own-layout.md)::

    <html {{ haven_html_attributes() }}>
    <head> ... {{ haven_head() }} </head>
    <body {{ haven_body_attributes() }}>
      {{ haven_body_start() }}
      ... <main {{ haven_main_attributes() }}> ... </main>
      {{ haven_body_end() }}
    </body>

Each piece has a reason a page breaks without it: the ``haven-template`` class
scopes the components' CSS; ``data-haven-consent`` tells the bundle what the
server read from the signed consent cookie; the ``main-content`` id is where
the skip link goes and where focus lands after "Hide cookie message"; the
empty favicon stops a ``/favicon.ico`` request (a 404 in the console).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, g, render_template, url_for
from markupsafe import Markup, escape

from .consent.manager import consent
from .i18n import gettext, localize, page_direction, page_language_tag
from .state import current_state

MAIN_ID = "main-content"
_SENSITIVE_KEY = "haven_sensitive"

F = TypeVar("F", bound=Callable[..., Any])


def _attributes(pairs: list[tuple[str, str | None]]) -> Markup:
    # Names are ours; values are escaped.
    text = " ".join(f'{name}="{escape(value)}"' for name, value in pairs if value is not None)
    return Markup(text)  # noqa: S704


def _join_classes(base: str, extra: str | None) -> str:
    extra = (extra or "").strip()
    return f"{base} {extra}" if extra else base


def html_attributes(
    classes: str | None = None, lang: str | None = None, dir: str | None = None
) -> Markup:
    """``lang``, ``dir``, ``class`` (with ``haven-template``) and ``data-haven-consent``
    for the ``<html>`` element. ``classes`` adds the site's own classes."""
    pairs: list[tuple[str, str | None]] = [
        ("lang", (lang or "").strip() or page_language_tag()),
        ("dir", (dir or "").strip() or page_direction()),
        ("class", _join_classes("haven-template", classes)),
    ]
    manager = current_state().consent
    if manager.policy is not None:
        pairs.append(("data-haven-consent", " ".join(consent.allowed_categories())))
        # The Google Consent Mode map, when the site set one: the bundle tells
        # Google's tags what the person chose (no inline script needed).
        if manager.settings.google_consent_mode:
            pairs.append(("data-haven-consent-mode", consent.consent_mode()))
    return _attributes(pairs)


def head(*, favicon: bool = True, styles: bool = True, scripts: bool = True) -> Markup:
    """The tags for ``<head>``: the empty favicon, the stylesheet and the deferred bundle.

    The site keeps its own ``<meta charset>``, viewport and ``<title>``. Pass
    ``favicon=False`` when the site has an icon of its own; ``scripts=False``
    renders the no-JavaScript experience.
    """
    state = current_state()
    extension = state.extension
    tags: list[str] = []
    if favicon:
        # An empty icon: browsers keep no recognisable site icon in history or
        # bookmarks, and make no /favicon.ico request.
        tags.append('<link rel="icon" href="data:,">')
    css = extension.asset_url("css") if styles else None
    if css:
        tags.append(f'<link rel="stylesheet" href="{escape(css)}">')
    js = extension.asset_url("js") if scripts else None
    if js:
        tags.append(f'<script src="{escape(js)}" defer></script>')
        manager = state.consent
        if manager.policy is not None and manager.settings.google_consent_mode:
            # The Google Consent Mode bridge, only for sites that map to it;
            # deferred after the bundle, whose haven.consent it uses.
            bridge = url_for("haven.static", filename="consent-mode.js")
            tags.append(f'<script src="{escape(bridge)}" defer></script>')
    return Markup("\n  ".join(tags))  # noqa: S704  (escaped)


def body_attributes(classes: str | None = None) -> Markup:
    """``class`` and the texts the bundle uses for messages it makes itself."""
    return _render("haven/page/body-attributes.html", haven_body_classes=(classes or "").strip())


def skip_link() -> Markup:
    """The skip link to ``#main-content``: the first stop for keyboard users."""
    return _render("haven/page/skip-link.html")


def _render(template: str, **context: object) -> Markup:
    # Templates of ours, rendered with autoescape; texts come from the catalogue.
    return Markup(render_template(template, **context).strip())  # noqa: S704


def body_start(
    *, skip_link: bool = True, quick_exit: bool = True, cookie_banner: bool = True
) -> Markup:
    """Right after ``<body>``: the skip link, the quick exit, the cookie banner.

    In this order on purpose: skip link first by long convention, the quick
    exit the very next stop, then the banner (rendered only while no valid
    choice exists, so a page with consent carries none).
    """
    return _render(
        "haven/page/body-start.html",
        haven_show_skip_link=skip_link,
        haven_show_quick_exit=quick_exit,
        haven_show_cookie_banner=cookie_banner,
    )


def body_end() -> Markup:
    """Just before ``</body>``. Empty today (the bundle is deferred in ``<head>``);
    calling it keeps a site's layout right when a later release needs it."""
    return Markup("")


def main_attributes() -> Markup:
    """``id="main-content" tabindex="-1"``: the skip link's target, and where
    focus goes when the cookie confirmation is hidden."""
    return _attributes([("id", MAIN_ID), ("tabindex", "-1")])


def sensitive(view: F) -> F:
    """Mark a view's pages as sensitive: their document title becomes the neutral
    ``HAVEN_DISCREET_TITLE`` (``haven.sensitive`` on the view, under ``@app.route``).

    A template can do the same with ``{% set haven_sensitive = true %}``.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        setattr(g, _SENSITIVE_KEY, True)
        return view(*args, **kwargs)

    return cast(F, wrapper)


def discreet_title(marked: bool = False) -> str | None:
    """The neutral title for this page if it is sensitive (``marked`` by its
    template, or its view decorated with :func:`sensitive`), else ``None``.

    The title is what a browser keeps longest: in its history list, in the
    tab switcher, in address-bar suggestions. Only the title changes; the
    page's heading still says what it is about.
    """
    if not (marked or g.get(_SENSITIVE_KEY)):
        return None
    own = current_state().settings.discreet_title
    # Translators: the neutral document title of a page a site marks as sensitive.
    return localize(own) if own is not None else gettext("Information")


def breakable_name(name: str) -> Markup:
    """``name`` (a cookie's, a file's) escaped, with a line-break opportunity
    after each ``_``, ``-`` and ``.``: a long name wraps between its parts
    ("haven_ / consent"), never inside a word ("haven_co / nsent")."""
    return Markup(re.sub(r"([_.-])", r"\1<wbr>", str(escape(name))))  # noqa: S704


def init_app(app: Flask) -> None:
    """Make the helpers Jinja globals."""
    app.jinja_env.globals.update(
        haven_html_attributes=html_attributes,
        haven_head=head,
        haven_body_attributes=body_attributes,
        haven_skip_link=skip_link,
        haven_body_start=body_start,
        haven_body_end=body_end,
        haven_main_attributes=main_attributes,
        haven_discreet_title=discreet_title,
        haven_breakable_name=breakable_name,
    )
