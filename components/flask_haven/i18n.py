"""Every word a component renders, in the person's language.

All component text (visible, visually hidden, and the JavaScript's, which the
server renders into ``data-*`` attributes) comes from one gettext catalogue,
the ``flask_haven`` domain, through Flask-Babel. English is the source
language; ``translations/<locale>/LC_MESSAGES/flask_haven.po`` holds each
translation, compiled to ``.mo`` beside it.

The locale is chosen once per request:

1. the site's hook, ``@haven.locale_selector`` (return ``None`` to pass);
2. ``HAVEN_LOCALE``, for a site in one language;
3. the best match for the browser's ``Accept-Language`` among
   ``HAVEN_LANGUAGES``;
4. the first of ``HAVEN_LANGUAGES``.

A site that already uses Flask-Babel keeps its own locale selector: flask-haven
follows whatever locale Flask-Babel picks for the request.

Text that is not in the page's language is marked: a component rendered in
another language (``params.lang``), or one whose language has no catalogue yet
(so it falls back to English), carries its own ``lang`` (and ``dir``), so a
screen reader pronounces it correctly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.numbers import format_decimal
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel, Domain, force_locale, get_locale
from markupsafe import Markup, escape

from .caching import language_came_from_browser
from .state import current_state

DOMAIN = "flask_haven"
SOURCE_LANGUAGE = "en"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

LocaleSelector = Callable[[], "str | None"]
# A text a site provides: one string, or one per language (``{"en": ..., "cy": ...}``).
LocalText = str | Mapping[str, str]


class Translator:
    """The ``flask_haven`` catalogues of one app, and how it picks a locale.

    Kept per app on its :class:`~flask_haven.state.HavenState`: each app may
    add its own translation directories (``HAVEN_TRANSLATION_DIRECTORIES``).
    """

    def __init__(
        self,
        languages: tuple[str, ...],
        fixed_locale: str | None,
        translation_directories: tuple[Path, ...],
        hook: Callable[[], LocaleSelector | None],
    ) -> None:
        # Ours first, the site's after: a later catalogue overrides an earlier
        # one, so a site can correct or add a translation without forking.
        directories = [TRANSLATIONS_DIR, *translation_directories]
        self.domain = Domain([str(d) for d in directories], domain=DOMAIN)
        self.languages = languages
        self.fixed_locale = fixed_locale
        # Read at each request, so a hook registered after init_app still counts.
        self.hook = hook
        self.catalogues = frozenset(
            {SOURCE_LANGUAGE}
            | {
                path.parent.parent.name
                for directory in directories
                for path in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
            }
        )

    def page_locale(self) -> Locale:
        """The request's page locale (``<html lang>``), read once per request,
        before any fragment forces another locale."""
        return _page_locale()

    def select_locale(self) -> str:
        """The request's locale: the hook, then config, then ``Accept-Language``."""
        selector = self.hook()
        chosen = selector() if selector is not None else None
        if chosen and not _is_locale(chosen):
            # A hook may read a cookie or a URL; a bad value there must not
            # become a 500 for the person who sent it.
            current_app.logger.warning("locale hook returned %r, not a locale; ignored", chosen)
            chosen = None
        if not chosen:
            chosen = self.fixed_locale or self._browser_choice()
        # Babel writes en_GB; the web writes en-GB. Accept either.
        return (chosen or self.languages[0]).replace("-", "_")

    def _browser_choice(self) -> str | None:
        # In the browser's order of preference, each tag or else its language
        # (cy-GB -> cy) before the next tag: "cy-GB, en;q=0.5" means Welsh.
        language_came_from_browser()  # the page now varies by Accept-Language
        wanted = [tag.replace("-", "_") for tag in request.accept_languages.values()]
        offered = [language.replace("-", "_") for language in self.languages]
        return negotiate_locale(wanted, offered)

    def text_language(self, locale: Locale) -> str:
        """The catalogue that ``locale`` reads from: its own, its language's, or English."""
        for candidate in (str(locale), locale.language):
            if candidate in self.catalogues:
                return candidate
        return SOURCE_LANGUAGE


def init_i18n(app: Flask, translator: Translator) -> None:
    """Set up Flask-Babel (unless the site has it) and the template helpers."""
    if "babel" not in app.extensions:
        # configure_jinja=False: the site's templates get no `_` it did not ask for.
        Babel(app, locale_selector=translator.select_locale, configure_jinja=False)
    app.jinja_env.globals.update(
        haven_gettext=template_gettext,
        haven_ngettext=template_ngettext,
        haven_format_number=format_number,
        haven_localize=localize,
        haven_link_words=link_words,
        haven_has_link_words=has_link_words,
        haven_language_tag=page_language_tag,
        haven_text_direction=page_direction,
        haven_in_locale=in_locale,
        haven_fragment_lang=fragment_lang,
    )


def _translator() -> Translator:
    return current_state().translator


def _translations() -> Any:
    # Outside an app (a unit test of a pure function, a CLI script) the
    # English source text is the answer.
    if not has_app_context():
        return NullTranslations()
    # A page asks for a translation some twenty times: keep the catalogue of
    # the request's current locale at hand. The key is the Locale object
    # Flask-Babel's public get_locale() returns: one object per request, which
    # force_locale replaces and then restores, so a forced fragment never
    # reads a stale catalogue.
    locale = get_locale() if has_request_context() else None
    cached = g.get("haven_translations")
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = _translator().domain.get_translations()
    if locale is not None:
        g.haven_translations = (locale, translations)
    return translations


def gettext(message: str, **variables: Any) -> str:
    """``message`` in the current locale, with ``%(name)s`` placeholders filled.

    For Python code (validation messages, JSON errors). Templates use
    ``haven_gettext``, which escapes the translation and the variables.
    """
    text: str = _translations().ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The form of a message that fits ``num`` (available as ``%(num)s``, locale-formatted)."""
    variables.setdefault("num", format_number(num))
    text: str = _translations().ungettext(singular, plural, num)
    return text % variables


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (module constants)."""
    return message


def _markup(text: str, variables: Mapping[str, Any]) -> Markup:
    # The translation is escaped, and each variable unless it is Markup
    # already (a link built by the template), so a translator can move a link
    # within the sentence and no catalogue can inject markup.
    message = escape(text)
    return message % variables if variables else message


def template_gettext(message: str, **variables: Any) -> Markup:
    """``haven_gettext`` in templates: :func:`gettext`, escaped for HTML."""
    return _markup(_translations().ugettext(message), variables)


def template_ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    """``haven_ngettext`` in templates: :func:`ngettext`, escaped for HTML."""
    variables.setdefault("num", format_number(num))
    return _markup(_translations().ungettext(singular, plural, num), variables)


def format_number(number: float) -> str:
    """``number`` written the way the current locale writes it (``1,200``; ``1.200``)."""
    return format_decimal(number, locale=get_locale() or SOURCE_LANGUAGE)


def localize(value: LocalText | None) -> str:
    """A site-provided text: a plain string as it is, or the best entry of a language map.

    Policy texts, feedback questions and text settings may be given as
    ``{"en": "...", "cy": "..."}``. The entry for the current locale is used,
    then its language's, then the site's default language's, then English.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value[_best_key(value)]


# Words a site marks, in one of its own texts, as the link: "see the [cookies page]".
_LINK_WORDS = re.compile(r"\[([^\[\]]+)\]")


def has_link_words(text: str) -> bool:
    """True when ``text`` (a site's own, localized) marks words to link, in [square brackets]."""
    return _LINK_WORDS.search(text) is not None


def link_words(text: str, href: str | None) -> Markup:
    """``text`` escaped, its [bracketed] words made a link to ``href`` (``haven_link_words``).

    Lets a site write a sentence with a link in it as one plain setting, so
    the link stays where its grammar puts it in every language. Without
    ``href`` the brackets are dropped and the words stay plain text.
    """
    if isinstance(text, Markup):
        text = text.unescape()
    parts = _LINK_WORDS.split(text)
    html = [str(escape(part)) for part in parts]
    for index in range(1, len(parts), 2):
        words = escape(parts[index])
        html[index] = f'<a href="{escape(href)}">{words}</a>' if href else str(words)
    return Markup("".join(html))  # noqa: S704  (every part escaped)


def _best_key(value: Mapping[str, str]) -> str:
    locale: Locale | None = get_locale() if has_request_context() else None
    wanted: list[str] = [str(locale), locale.language] if locale else []
    if has_request_context():
        wanted.append(_translator().languages[0])
    wanted.append(SOURCE_LANGUAGE)
    # A site may write its keys the web's way (cy-GB) or Babel's (cy_GB).
    keys = {key.replace("-", "_"): key for key in value}
    for key in wanted:
        if key.replace("-", "_") in keys:
            return keys[key.replace("-", "_")]
    first: str = next(iter(value))
    return first


def _tag(locale: str | Locale) -> str:
    return str(locale).replace("_", "-")


def _page_locale() -> Locale:
    # Read once per request, before any fragment forces another locale.
    if "haven_page_locale" not in g:
        g.haven_page_locale = get_locale() or Locale.parse(SOURCE_LANGUAGE)
    locale: Locale = g.haven_page_locale
    return locale


def page_language_tag() -> str:
    """The page's language as a BCP 47 tag (``cy``, ``en-GB``), for ``<html lang>``."""
    return _tag(_page_locale())


def _direction(locale: Locale) -> str:
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def page_direction() -> str:
    """``rtl`` for a right-to-left page language, else ``ltr``, for ``<html dir>``."""
    return _direction(_page_locale())


@contextmanager
def locale_for(lang: str | None) -> Iterator[None]:
    """Render (or translate) inside the block in ``lang``; no change for ``None``."""
    if not lang:
        yield
        return
    _page_locale()
    with force_locale(lang.replace("-", "_")):
        yield


def in_locale(lang: str | None, caller: Callable[[], str]) -> str:
    """Jinja ``{% call haven_in_locale(params.lang) %}``: the block's text in ``lang``."""
    with locale_for(lang):
        return caller()


def fragment_lang() -> Markup:
    """``lang`` (and ``dir``) for a component root whose text is not in the page's language.

    Empty in the usual case. Set when the component was asked for another
    language, or when its text falls back to English because no catalogue
    exists for the page's language yet.
    """
    page = _page_locale()
    current = get_locale() or page
    return _lang_attributes(page, _translator().text_language(current))


@lru_cache(maxsize=256)
def _lang_attributes(page: Locale, text_language: str) -> Markup:
    # Cached: it runs for every component on every page, and parsing a locale
    # reads Babel's data files.
    text = Locale.parse(text_language)
    if text.language == page.language:
        return Markup("")
    attributes = f' lang="{_tag(text)}"'
    if _direction(text) != _direction(page):
        attributes += f' dir="{_direction(text)}"'
    return Markup(attributes)  # noqa: S704 - built from parsed locale codes only


def _is_locale(value: object) -> bool:
    try:
        Locale.parse(str(value).replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    return True


def check_locale(value: object, setting: str) -> str:
    """``value`` if Babel knows it as a locale (``cy``, ``en_GB``, ``en-GB``), else an error."""
    from .config import HavenConfigError

    if not _is_locale(value):
        raise HavenConfigError(
            f"{setting} must hold locale codes such as 'en' or 'cy'; got {value!r}."
        )
    return str(value)


def is_blank_text(value: object, setting: str) -> bool:
    """True unless ``value`` is a non-empty string, or a map of locales to those.

    A map's keys must be locales: one that is not raises, naming ``setting``.
    """
    if isinstance(value, Mapping):
        for language in value:
            check_locale(language, setting)
        texts = list(value.values())
        return not texts or any(_blank_string(text) for text in texts)
    return _blank_string(value)


def _blank_string(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def check_local_text(value: object, setting: str) -> None:
    """Raise unless ``value`` is ``None``, a non-empty string, or a map of locales to those."""
    from .config import HavenConfigError

    if value is not None and is_blank_text(value, setting):
        raise HavenConfigError(
            f"{setting} must be None, a non-empty string, or one per language "
            f'({{"en": ..., "cy": ...}}); got {value!r}.'
        )
