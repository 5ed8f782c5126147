"""Every word translatable: the catalogues, the locale choice and the lang marks.

The strongest check is the pseudo-language sweep: every message of the
catalogue is "translated" into a marked form (⟦…⟧), every page and every
example is rendered in it, and any component text left unmarked is a string
that does not come from the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.checkers import python_format
from bs4 import BeautifulSoup, Tag
from flask import Flask, render_template_string
from flask_babel import Babel

from demo_app import SEED_TEXTS, create_app
from flask_haven import Haven, HavenConfigError
from flask_haven.catalogue import load_components
from scripts.translations import (
    DOMAIN,
    TEMPLATE,
    extract,
    is_compiled_from,
    mo_bytes,
    out_of_date,
    po_files,
    read_catalogue,
)

from .conftest import parse
from .page_list import SITE_PAGES, preview_pages

LANGUAGES = ("cy",)


# -- the catalogues --------------------------------------------------------------


def test_catalogues_are_current_with_the_code() -> None:
    """`make translations` would change nothing: template, .po and .mo all current."""
    assert out_of_date() == []


def test_a_stale_compiled_catalogue_is_caught(tmp_path: Path) -> None:
    """The check compares messages, not bytes (which change with the Babel release),
    so it must still see a translation that changed after compiling."""
    (po,) = po_files()
    catalogue = read_catalogue(po)
    mo = tmp_path / "compiled.mo"
    mo.write_bytes(mo_bytes(catalogue))
    copy = tmp_path / "changed.po"
    copy.write_bytes(po.read_bytes())
    assert is_compiled_from(copy, mo)
    message = next(m for m in catalogue if m.id and isinstance(m.id, str) and m.string)
    copy.write_text(
        po.read_text(encoding="utf-8").replace(
            f'msgstr "{message.string}"', f'msgstr "{message.string} (changed)"', 1
        ),
        encoding="utf-8",
    )
    assert not is_compiled_from(copy, mo)


def test_every_language_ships_a_catalogue() -> None:
    assert [path.parent.parent.name for path in po_files()] == list(LANGUAGES)


@pytest.mark.parametrize("path", po_files(), ids=lambda p: p.parent.parent.name)
def test_catalogue_is_complete(path: Path) -> None:
    """Every message translated (each plural form), none fuzzy, placeholders kept."""
    catalogue = read_catalogue(path)
    template = read_catalogue(TEMPLATE)
    problems = []
    for wanted in template:
        if not wanted.id:
            continue
        message = catalogue.get(wanted.id)
        key = wanted.id if isinstance(wanted.id, str) else wanted.id[0]
        if message is None:
            problems.append(f"missing: {key!r}")
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.pluralizable and len(forms) != catalogue.num_plurals:
            problems.append(f"needs {catalogue.num_plurals} plural forms: {key!r}")
        if not all(form and form.strip() for form in forms):
            problems.append(f"untranslated: {key!r}")
        if message.fuzzy:
            problems.append(f"fuzzy (needs review): {key!r}")
        try:
            python_format(catalogue, message)
        except Exception as error:  # TranslationError: a placeholder lost or invented
            problems.append(f"placeholders differ in {key!r}: {error}")
    assert catalogue.obsolete == {}, "obsolete messages: run `make translations`"
    assert problems == []


def test_completeness_check_catches_a_gap(tmp_path: Path) -> None:
    """The check above is not vacuous: a catalogue missing a message is out of step."""
    template = read_catalogue(TEMPLATE)
    assert len([m for m in template if m.id]) > 50
    assert {m.id for m in extract() if m.id} == {m.id for m in template if m.id}


def test_javascript_holds_no_sentences() -> None:
    """The scripts' texts come from data-* attributes the server renders from the catalogue."""
    scripts = Path(__file__).resolve().parent.parent / "components" / "flask_haven"
    sentence = re.compile(r"""(['"])[A-Z][a-z]+ [a-z]+[^'"]*\1""")
    found = {
        f"{path.name}: {match.group(0)}"
        for path in scripts.glob("**/*.js")
        if "dist" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith(("//", "*", "/*"))
        for match in sentence.finditer(line)
    }
    assert found == set()


# -- the pseudo-language sweep ---------------------------------------------------

PSEUDO = "eo"  # a real locale code (Esperanto) that has no catalogue of ours
MARK = re.compile(r"⟦[^⟦⟧]*⟧")

# Where component text lives: each component's root, the layout's skip link,
# and the pages the extension renders itself.
COMPONENT_ROOTS = ", ".join(
    [
        "[data-module^=haven-]",
        ".haven-phase-banner",
        ".haven-feedback-form",
        ".haven-error-summary",
        ".haven-skip-link",
        ".haven-error-page",
        ".haven-safety-info",
        ".haven-exit-interruption",
        ".haven-feedback-page",
    ]
)
SPOKEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def _pseudo(text: str) -> str:
    return f"⟦{text}⟧"


@pytest.fixture(scope="module")
def pseudo_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every message of the template, "translated" into ⟦the same text⟧."""
    template = read_catalogue(TEMPLATE)
    catalogue = Catalog(locale=PSEUDO)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string: Any = tuple(_pseudo(form) for form in message.id)[: catalogue.num_plurals]
            string += (string[-1],) * (catalogue.num_plurals - len(string))
        else:
            string = _pseudo(message.id)
        catalogue.add(message.id, string, flags=message.flags)
    folder = tmp_path_factory.mktemp("pseudo")
    target = folder / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / f"{DOMAIN}.mo").write_bytes(mo_bytes(catalogue))
    return folder


@pytest.fixture
def pseudo_app(pseudo_catalogue: Path, tmp_path: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path / "instance",
            "HAVEN_LOCALE": PSEUDO,
            "HAVEN_TRANSLATION_DIRECTORIES": [pseudo_catalogue],
            "HAVEN_FEEDBACK_RATE_LIMIT": None,
            # The demo's own wording (the seed texts) is the site's, not the
            # catalogue's: leave it out, so every default text is checked.
            **dict.fromkeys(SEED_TEXTS),
        }
    )


def _site_texts(app: Flask) -> set[str]:
    """Texts the site gave us (policy, questions, service name): not ours to translate."""
    texts: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                collect(getattr(value, name))

    collect(app.config["HAVEN_SERVICE_NAME"])
    collect(app.config["HAVEN_FEEDBACK_QUESTIONS"])
    collect(app.extensions["haven"].settings.consent.policy)
    for component in load_components():
        for example in component.examples:
            collect(example.params)
    # [Bracketed] words in a site's text are the link in it: read without brackets.
    texts |= {re.sub(r"[\[\]]", "", text) for text in texts}
    return {text for text in texts if text.strip()}


def _unmarked(text: str, allowed: set[str]) -> str:
    """What is left of ``text`` once catalogue text, site text and mere symbols are gone."""
    rest = text
    # Innermost marks first: a message may hold another (a link inside a sentence).
    while MARK.search(rest):
        rest = MARK.sub(" ", rest)
    for value in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(value, " ")
    # Numbers, request ids, punctuation and code names (`haven_consent`) are not words.
    rest = re.sub(r"\b[A-Z0-9]{4}\b", " ", rest)
    rest = re.sub(r"[\W\d_]+", " ", rest)
    return " ".join(rest.split())


# Their text is data, not ours: what a person typed, cookie names and
# references, and dates (written by Babel's locale data, not our catalogue).
DATA_ELEMENTS = ("textarea", "code", "time", "script", "style")


def _component_texts(page: BeautifulSoup) -> Iterator[tuple[str, str, str | None]]:
    """(where, text, lang) for the text and spoken attributes of every component.

    ``lang`` is the root's own language, when the component was asked for one.
    """
    for root in page.select(COMPONENT_ROOTS):
        lang = str(root["lang"]) if root.has_attr("lang") else None
        for data in root.find_all(DATA_ELEMENTS):
            data.decompose()
        yield str(root.get("class", ["?"])[0]), root.get_text(""), lang
        for node in [root, *root.find_all(True)]:
            for name, value in node.attrs.items():
                spoken = name in SPOKEN_ATTRIBUTES
                if spoken or (name.startswith("data-") and name.endswith("-text")):
                    yield f"{node.name}[{name}]", str(value), lang


def _translated_texts(language: str) -> set[str]:
    """The pieces of every translation in ``language`` (placeholders cut out)."""
    (path,) = [p for p in po_files() if p.parent.parent.name == language]
    pieces: set[str] = set()
    for message in read_catalogue(path):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            pieces.update(piece for piece in re.split(r"%\(\w+\)s", form or "") if piece.strip())
    return pieces


def _pseudo_pages(client: Any) -> Iterator[tuple[str, bytes]]:
    for url in [*SITE_PAGES, *preview_pages(), "/no-such-page"]:
        yield url, client.get(url).data
    # The states only a post reaches: errors in the forms.
    page = client.get("/feedback")
    token = parse(page.data).select_one("[name=csrf_token]")["value"]
    yield "POST /feedback", client.post("/feedback", data={"csrf_token": token}).data
    yield "POST /cookies", client.post("/cookies", data={"csrf_token": token}).data


def test_every_component_text_comes_from_the_catalogue(pseudo_app: Flask) -> None:
    client = pseudo_app.test_client()
    allowed = _site_texts(pseudo_app)
    # A component asked for another language (`lang: cy`) reads that catalogue.
    in_language = {language: allowed | _translated_texts(language) for language in LANGUAGES}
    problems = []
    pages = 0
    for url, html in _pseudo_pages(client):
        page = parse(html)
        pages += 1
        for where, text, lang in _component_texts(page):
            rest = _unmarked(text, in_language[lang] if lang else allowed)
            if rest:
                problems.append(f"{url} {where}: {rest!r} (in {text.strip()!r})")
        body = page.body
        assert body is not None
        for name in ("data-haven-error-text", "data-haven-dismiss-text"):
            assert MARK.fullmatch(str(body[name])), f"{url} body[{name}]"
    assert pages > 30
    assert problems == []


def test_pseudo_sweep_would_catch_a_hard_coded_string(pseudo_app: Flask) -> None:
    """The sweep's own check: English written straight into markup is reported."""
    page = parse('<div data-module="haven-x"><p>⟦Leave this site⟧ now</p></div>')
    texts = [_unmarked(text, set()) for _, text, _ in _component_texts(page)]
    assert texts == ["now"]
    page = parse('<p class="haven-skip-link" aria-label="Skip">⟦a ⟦b⟧ c⟧</p>')
    assert [_unmarked(text, set()) for _, text, _ in _component_texts(page)] == ["", "Skip"]


def test_error_prefix_in_the_title_is_translated(pseudo_app: Flask) -> None:
    client = pseudo_app.test_client()
    page = parse(client.get("/feedback").data)
    token = page.select_one("[name=csrf_token]")["value"]
    title = parse(client.post("/feedback", data={"csrf_token": token}).data).title
    assert title is not None
    assert title.get_text().startswith("⟦Error:⟧ ⟦Give feedback⟧")


def test_json_errors_are_translated(pseudo_app: Flask) -> None:
    response = pseudo_app.test_client().get("/nowhere", headers={"Accept": "application/json"})
    error = response.get_json()["error"]
    assert error["title"] == "⟦Page not found⟧"
    assert MARK.fullmatch(error["message"])


# -- Welsh -----------------------------------------------------------------------


@pytest.fixture
def welsh(client: Any) -> Any:
    """Get a demo page in Welsh, parsed."""

    def get(url: str) -> BeautifulSoup:
        response = client.get(url, headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
        assert response.status_code in (200, 404)
        return parse(response.data)

    return get


def test_welsh_page_is_marked_welsh(welsh: Any) -> None:
    page = welsh("/")
    html = page.html
    assert html is not None
    assert (html["lang"], html["dir"]) == ("cy", "ltr")
    assert page.find("a", string="Gadael y wefan hon") is not None
    assert page.find(string="Derbyn cwcis ychwanegol") is not None
    # The demo's own article is English only, and says so.
    article = page.select_one("article")
    assert article is not None and article["lang"] == "en"
    # Welsh components on a Welsh page need no lang of their own.
    assert not page.select("[data-module=haven-quick-exit][lang]")


def test_welsh_site_texts_come_from_language_maps(welsh: Any) -> None:
    page = welsh("/cookies")
    assert page.find("h2", string="Cwcis dadansoddi") is not None
    assert page.find(string="Ydych chi eisiau caniatáu cwcis dadansoddi?") is not None
    assert page.select_one(".haven-header__service").get_text() == "Heddlu Harrowdale"


def test_welsh_error_page(welsh: Any) -> None:
    page = welsh("/nowhere")
    assert page.find("h1", string="Heb ddod o hyd i'r dudalen") is not None


def test_welsh_validation_messages(client: Any) -> None:
    headers = {"Accept-Language": "cy"}
    page = parse(client.post("/cookies", data={}, headers=headers).data)
    assert page.title is not None and page.title.get_text().startswith("Gwall: ")
    summary = page.select_one(".haven-error-summary")
    assert summary is not None
    assert "Mae problem wedi codi" in summary.get_text()
    quoted_yes = "\N{LEFT SINGLE QUOTATION MARK}ydw\N{RIGHT SINGLE QUOTATION MARK}"
    assert f"Dewiswch {quoted_yes} neu" in summary.get_text()


def test_welsh_plurals_and_numbers(client: Any) -> None:
    page = parse(client.get("/feedback", headers={"Accept-Language": "cy"}).data)
    limit = page.select_one("#feedback-limit")
    assert limit is not None and limit.get_text() == "Gallwch ysgrifennu hyd at 1,200 nod."
    form = page.select_one("[data-module=haven-feedback-form]")
    assert form is not None and form["data-left-text"] == "Nodau ar ôl: {n}"


# -- choosing the locale ---------------------------------------------------------


def _site(config: dict[str, Any] | None = None) -> tuple[Flask, Haven]:
    """A bare site with flask-haven, its own page wearing the layout."""
    app = Flask(__name__)
    app.config.update({"SECRET_KEY": "test", "TESTING": True, **(config or {})})
    haven = Haven(app)

    @app.route("/")
    def page() -> str:
        return render_template_string(
            '{% extends "haven/layout.html" %}{% block content %}<p>Hi</p>{% endblock %}'
        )

    return app, haven


def _html(app: Flask, **headers: str) -> Tag:
    html = parse(app.test_client().get("/", headers=headers).data).html
    assert html is not None
    return html


def test_english_by_default_whatever_the_browser_asks() -> None:
    """A site that has not said it is published in Welsh never shows Welsh components."""
    app, _ = _site()
    html = _html(app, **{"Accept-Language": "cy"})
    assert html["lang"] == "en"
    assert html.find("a", string="Leave this site") is not None


def test_accept_language_picks_among_the_site_languages() -> None:
    app, _ = _site({"HAVEN_LANGUAGES": ("en", "cy")})
    assert _html(app, **{"Accept-Language": "cy-GB, en;q=0.5"})["lang"] == "cy"
    assert _html(app, **{"Accept-Language": "fr, en;q=0.5"})["lang"] == "en"
    assert _html(app, **{"Accept-Language": "fr"})["lang"] == "en"  # the first is the default
    assert _html(app)["lang"] == "en"


def test_config_fixes_the_locale() -> None:
    app, _ = _site({"HAVEN_LANGUAGES": ("cy", "en"), "HAVEN_LOCALE": "cy"})
    html = _html(app, **{"Accept-Language": "en"})
    assert html["lang"] == "cy"
    assert html.find(string="Neidio i'r prif gynnwys") is not None


def test_the_site_hook_comes_first_and_may_pass() -> None:
    app, haven = _site({"HAVEN_LANGUAGES": ("en", "cy"), "HAVEN_LOCALE": "en"})
    choice: dict[str, str | None] = {"value": "cy"}
    haven.locale_selector(lambda: choice["value"])
    assert _html(app)["lang"] == "cy"
    choice["value"] = "en-GB"  # the web's spelling is fine
    assert _html(app)["lang"] == "en-GB"
    choice["value"] = None
    assert _html(app, **{"Accept-Language": "cy"})["lang"] == "en"  # HAVEN_LOCALE then


def test_a_hook_returning_nonsense_falls_back_instead_of_failing() -> None:
    app, haven = _site({"HAVEN_LANGUAGES": ("en", "cy")})
    haven.locale_selector(lambda: "<script>")  # say, read from a tampered cookie
    response = app.test_client().get("/", headers={"Accept-Language": "cy"})
    assert response.status_code == 200
    html = parse(response.data).html
    assert html is not None and html["lang"] == "cy"


def test_a_site_with_its_own_flask_babel_keeps_its_selector() -> None:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", TESTING=True)
    Babel(app, locale_selector=lambda: "cy")
    Haven(app)
    with app.test_request_context("/"):
        page = render_template_string('{% extends "haven/layout.html" %}')
    assert 'lang="cy"' in page
    assert "Gadael y wefan hon" in page


@pytest.mark.parametrize(
    "config",
    [
        {"HAVEN_LANGUAGES": ()},
        {"HAVEN_LANGUAGES": "en"},
        {"HAVEN_LANGUAGES": ("en", "xx-nonsense")},
        {"HAVEN_LOCALE": "not a locale"},
        {"HAVEN_PHASE_BANNER_TEXT": {"en": ""}},
        {"HAVEN_PHASE_BANNER_TEXT": {"nonsense!": "Hi"}},
    ],
)
def test_bad_language_settings_fail_at_start_up(config: dict[str, Any]) -> None:
    with pytest.raises(HavenConfigError):
        _site(config)


# -- text in another language than the page --------------------------------------


def test_a_language_without_a_catalogue_falls_back_to_english_marked_as_such() -> None:
    app, _ = _site({"HAVEN_LOCALE": "fr"})
    html = _html(app)
    assert html["lang"] == "fr"  # the page is the site's, in French
    exit_root = html.select_one("[data-module=haven-quick-exit]")
    assert exit_root is not None and exit_root["lang"] == "en"
    skip = html.select_one(".haven-skip-link")
    assert skip is not None and skip["lang"] == "en"


def test_right_to_left_page() -> None:
    app, _ = _site({"HAVEN_LOCALE": "ar"})
    html = _html(app)
    assert (html["lang"], html["dir"]) == ("ar", "rtl")
    exit_root = html.select_one("[data-module=haven-quick-exit]")
    assert exit_root is not None
    # English fallback inside an Arabic page: its own language and direction.
    assert (exit_root["lang"], exit_root["dir"]) == ("en", "ltr")


def test_one_component_in_another_language() -> None:
    app, _ = _site({"HAVEN_LANGUAGES": ("en", "cy")})
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "haven/quick-exit/macro.html" import haven_quick_exit %}'
            '{{ haven_quick_exit({"lang": "cy", "id": "welsh"}) }}'
            '{{ haven_quick_exit({"id": "english"}) }}'
        )
    page = parse(html)
    welsh = page.select_one("#welsh")
    english = page.select_one("#english")
    assert welsh is not None and english is not None
    assert welsh["lang"] == "cy" and welsh.find("a", string="Gadael y wefan hon") is not None
    assert welsh["data-status-text"] == "Yn gadael y wefan hon"
    # The locale comes back after the fragment.
    assert not english.has_attr("lang") and english.find("a", string="Leave this site")


def test_site_texts_per_language_accept_either_spelling_of_a_locale() -> None:
    name = {"en-GB": "Northfield Council", "cy-GB": "Cyngor Northfield"}
    app, _ = _site({"HAVEN_LANGUAGES": ("en-GB", "cy-GB"), "HAVEN_SERVICE_NAME": name})
    html = _html(app, **{"Accept-Language": "cy-GB"})
    assert html["lang"] == "cy-GB"
    assert html.select_one(".haven-header__service").get_text() == "Cyngor Northfield"
    html = _html(app, **{"Accept-Language": "en"})
    assert html.select_one(".haven-header__service").get_text() == "Northfield Council"


def test_a_site_directory_adds_or_corrects_a_translation(tmp_path: Path) -> None:
    catalogue = Catalog(locale="cy")
    catalogue.add("Leave this site", "Gadael y safle hwn")
    target = tmp_path / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / f"{DOMAIN}.mo").write_bytes(mo_bytes(catalogue))
    app, _ = _site({"HAVEN_LOCALE": "cy", "HAVEN_TRANSLATION_DIRECTORIES": [tmp_path]})
    html = _html(app)
    assert html.find("a", string="Gadael y safle hwn") is not None  # theirs wins
    assert html.find(string="Neidio i'r prif gynnwys") is not None  # ours for the rest


def test_python_messages_work_outside_an_app() -> None:
    """Validation is pure: without Flask it answers in English."""
    from flask_haven.feedback.validation import validate_submission

    result = validate_submission({"feedback": ""}, [], 100)
    assert result.errors == {"feedback": "Enter your feedback"}


# -- the demo's language switch ----------------------------------------------------


def test_the_demo_remembers_a_chosen_language(client: Any) -> None:
    response = client.get("/language/cy?next=/feedback")
    assert (response.status_code, response.headers["Location"]) == (303, "/feedback")
    html = parse(client.get("/feedback").data).html
    assert html is not None and html["lang"] == "cy"
    # A one-page ?lang= wins over the remembered choice, and is not remembered.
    html = parse(client.get("/feedback?lang=en").data).html
    assert html is not None and html["lang"] == "en"
    html = parse(client.get("/").data).html
    assert html is not None and html["lang"] == "cy"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil", ""])
def test_the_language_switch_only_returns_to_this_site(client: Any, target: str) -> None:
    response = client.get("/language/en", query_string={"next": target})
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_an_unknown_language_is_not_found(client: Any) -> None:
    assert client.get("/language/xx").status_code == 404
    assert client.get("/?lang=xx").status_code == 200  # ignored, not an error
