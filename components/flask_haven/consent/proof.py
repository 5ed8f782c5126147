"""Proof of consent: the exact text a person read when choosing, and its digest.

The consent log stores, with each choice, the SHA-256 digest of the visible
text of the form the person used (the banner's question, or the cookies page
form), rendered in their language by the component itself. Any change of
wording, translation or policy changes the digest, and the text is kept once
per digest (``haven_consent_notice``), so an audit can read what was shown.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from html.parser import HTMLParser

from babel.dates import format_datetime
from flask import render_template_string
from flask_babel import get_locale

from .log import Notice

# The component call rendered for each kind of notice: the question as a new
# visitor sees it, without anything personal (messages, receipt, GPC note).
_SOURCES = {
    "banner": (
        '{% from "haven/cookie-banner/macro.html" import haven_cookie_banner %}'
        '{{ haven_cookie_banner({"state": "question", "return_to": "/", "lang": lang}) }}'
    ),
    "cookies-page": (
        '{% from "haven/cookie-settings/macro.html" import haven_cookie_settings %}'
        '{{ haven_cookie_settings({"notice": true, "lang": lang}) }}'
    ),
}

# Elements whose content is never read as text.
_SKIPPED = frozenset({"script", "style", "template"})
# Void elements: no end tag, so they never open a hidden subtree.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Elements that separate words (``<li>a</li><li>b</li>`` reads "a b"); inline
# ones do not (``<strong>Analytics</strong>:`` reads "Analytics:").
_BREAKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "button",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "label",
        "legend",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)


class _VisibleText(HTMLParser):
    """The text of an HTML fragment, leaving out ``hidden`` subtrees and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")
        if tag in _VOID:
            return
        if self._hidden_depth or tag in _SKIPPED or any(name == "hidden" for name, _ in attrs):
            self._hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")
        if tag not in _VOID and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The words of ``html`` a person sees, whitespace collapsed to single spaces."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def render_notice(kind: str, language: str) -> Notice:
    """Render the ``banner`` or ``cookies-page`` notice in ``language`` and digest its text."""
    text = visible_text(render_template_string(_SOURCES[kind], lang=language))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Notice(kind=kind, language=language, text=text, digest=digest)


def format_moment(timestamp: int) -> str:
    """A Unix time as the page's language writes a date and time, in UTC."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return format_datetime(moment, "d MMMM y, HH:mm 'UTC'", tzinfo=UTC, locale=get_locale() or "en")
