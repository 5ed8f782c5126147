"""The demo's home page is the seed's page: a police force's news story, in the seed's words.

The seed texts are copied here from the issue (and CONTRACT.md), not imported
from the demo, so a typo in the demo's settings fails. Also the settings that
carry them (HAVEN_QUICK_EXIT_TEXT / _HINT, HAVEN_COOKIE_BANNER_TEXT /
_SAVED_TEXT, HAVEN_ERROR_TEXT, HAVEN_PHASE_BANNER_TEXT) and the [link words]
they may hold.
"""

# The seed's typographic apostrophes and quotes are the point:
# ruff: noqa: RUF001

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from demo_app import create_app
from flask_haven import HavenConfigError
from flask_haven.i18n import link_words
from flask_haven.page import breakable_name

from .conftest import parse


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """One demo app for the module's read-only tests."""
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path_factory.mktemp("seed")})
    return app.test_client()


SEED = [
    "Quickly exit this site by pressing the Escape key",
    "Leave this site",
    "We use some essential cookies to make our website work. We’d like to set additional "
    "cookies so we can remember your preferences and understand how you use our site.",
    "You can manage your preferences and cookie settings at any time by clicking on "
    "“Customise Cookies” below. For more information on how we use cookies, please see our "
    "Cookies notice.",
    "Your cookie preferences have been saved. You can update your cookie settings at any time "
    "on the cookies page.",
    "Sorry, there was a technical problem. Please try again.",
    "This site is a beta, which means it's a work in progress and we'll be adding more to it "
    "over the next few weeks. Your feedback helps us make things better, so please let us "
    "know what you think.",
]


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", SEED, ids=lambda text: text[:30])
def test_home_page_holds_each_seed_text_exactly(client: FlaskClient, text: str) -> None:
    """Each seed text is on `/`, word for word, curly quotes and all: as the page's
    text, or (the error notice's, which the script shows when saving fails) in
    the attribute the script takes it from."""
    body = client.get("/").data.decode()
    page = parse(body)
    visible = words(page.get_text(" "))
    # Text split by a link ("see our <a>Cookies notice</a>.") reads as one sentence.
    joined = words(page.get_text(""))
    attribute = page.body["data-haven-error-text"] if page.body else ""
    assert text in visible or text in joined or text == html.unescape(attribute)


def test_seed_texts_are_the_demos_settings_not_the_librarys_defaults(tmp_path: Path) -> None:
    """The demo sets them; a site that sets nothing gets the library's own words."""
    plain = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path / "plain",
            "HAVEN_COOKIE_BANNER_TEXT": None,
            "HAVEN_COOKIE_BANNER_SAVED_TEXT": None,
            "HAVEN_PHASE_BANNER_TEXT": None,
        }
    )
    text = words(parse(plain.test_client().get("/").data).get_text(" "))
    assert "We use essential cookies to make this site work." in text
    assert "This site is new and we are still improving it." in text
    assert SEED[2] not in text


def test_the_page_is_a_police_forces_news_story(client: FlaskClient) -> None:
    page = parse(client.get("/").data)
    name = page.select_one(".haven-header__service").get_text()
    assert "Police" in name
    # Its own mark, drawn in SVG, decorative: the name beside it names the link.
    logo = page.select_one(".haven-header__service svg")
    assert logo is not None and logo["aria-hidden"] == "true" and logo.find("path")
    assert "crime" in page.h1.get_text().lower() or "burglar" in page.h1.get_text().lower()
    assert page.select_one("table caption").get_text().startswith("Crimes reported")
    crumbs = page.select_one('nav[aria-label="Breadcrumb"]')
    assert crumbs is not None and [a["href"] for a in crumbs.select("a")] == [
        "/news/",
        "/news/?topic=crime-figures",
    ]
    search = page.select_one('form[role="search"]')
    field = search.select_one("input[name=q]")
    assert search["action"] == "/news/" and search["method"] == "get"
    assert page.select_one(f'label[for="{field["id"]}"]').get_text() == "Search news"
    related = page.select_one('section[aria-labelledby="related-title"]')
    assert related is not None and len(related.select("a")) >= 3
    contact = page.select_one('section[aria-labelledby="contact-title"]').get_text(" ")
    for number in ("999", "101", "18001 101"):
        assert number in contact
    # Someone at risk may be reading it: how to get help, and how to leave.
    story = words(page.select_one("article").get_text(" "))
    assert "press 55" in story and "Leave this site" in story


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("burglary", ["Burglary falls by a fifth as more people report domestic abuse"]),
        ("BICYCLE library", ["Have you seen this bicycle?"]),
        ("unicorns", []),
        ("<script>" * 40, []),
    ],
)
def test_search_finds_stories_by_every_word(
    client: FlaskClient, query: str, found: list[str]
) -> None:
    response = client.get("/news/", query_string={"q": query})
    assert response.status_code == 200
    page = parse(response.data)
    assert [h.get_text(strip=True) for h in page.select(".demo-news__item h2")] == found
    assert "<script>" not in response.data.decode().split("</head>")[1]
    if not found:
        assert "No stories match your search" in page.get_text()


def test_topics_filter_and_unknown_topics_are_404(client: FlaskClient) -> None:
    page = parse(client.get("/news/?topic=appeals").data)
    assert [h.get_text(strip=True) for h in page.select(".demo-news__item h2")] == [
        "Have you seen this bicycle?"
    ]
    assert client.get("/news/?topic=nope").status_code == 404


# -- the settings the seed texts use ---------------------------------------------------


def test_link_words_become_a_link_and_everything_is_escaped() -> None:
    assert str(link_words("See the [cookies <b>page</b>] & more.", "/cookies?a=1&b=2")) == (
        'See the <a href="/cookies?a=1&amp;b=2">cookies &lt;b&gt;page&lt;/b&gt;</a> &amp; more.'
    )
    assert str(link_words("No link <i>here</i>.", "/x")) == "No link &lt;i&gt;here&lt;/i&gt;."
    # Without a target the words stay, as text.
    assert str(link_words("Read the [notice].", None)) == "Read the notice."


def test_cookie_names_wrap_only_between_their_parts() -> None:
    assert str(breakable_name("haven_consent")) == "haven_<wbr>consent"
    assert str(breakable_name("a-b.c<d>")) == "a-<wbr>b.<wbr>c&lt;d&gt;"


def banner(app_config: dict[str, Any], tmp_path: Path) -> Any:
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path / "i", **app_config})
    return parse(app.test_client().get("/").data)


def test_banner_text_may_be_one_paragraph_or_several(tmp_path: Path) -> None:
    one = banner({"HAVEN_COOKIE_BANNER_TEXT": "Just [this]."}, tmp_path)
    paragraphs = one.select(".haven-cookie-banner__question > p")
    assert [p.get_text() for p in paragraphs] == ["Just this."]
    assert paragraphs[0].a["href"].startswith("/cookies")
    assert not one.select(".haven-cookie-banner__list"), "the site's words replace the list"
    two = banner(
        {"HAVEN_COOKIE_BANNER_TEXT": ["First.", {"en": "Second.", "cy": "Ail."}]}, tmp_path
    )
    assert [p.get_text() for p in two.select(".haven-cookie-banner__question > p")] == [
        "First.",
        "Second.",
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("HAVEN_COOKIE_BANNER_TEXT", []),
        ("HAVEN_COOKIE_BANNER_TEXT", ["fine", "  "]),
        ("HAVEN_COOKIE_BANNER_SAVED_TEXT", ""),
        ("HAVEN_QUICK_EXIT_TEXT", {"xx-nope": "Go"}),
        ("HAVEN_QUICK_EXIT_HINT", 12),
        ("HAVEN_ERROR_TEXT", "   "),
    ],
)
def test_unusable_texts_fail_at_start_up(tmp_path: Path, key: str, value: Any) -> None:
    with pytest.raises(HavenConfigError, match=key):
        create_app({"TESTING": True, "INSTANCE_PATH": tmp_path / "i", key: value})


def test_the_sites_hint_is_for_the_sites_own_trigger(tmp_path: Path) -> None:
    """A call that asks for another trigger gets the hint for that trigger, not the
    site's sentence about Escape."""
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path / "i", "HAVEN_QUICK_EXIT_HINT": "Press Esc."}
    )
    macro = '{% from "haven/quick-exit/macro.html" import haven_quick_exit %}'
    with app.test_request_context("/"):
        from flask import render_template_string

        own = parse(render_template_string(macro + "{{ haven_quick_exit() }}"))
        other = parse(
            render_template_string(macro + '{{ haven_quick_exit({"trigger": "shift-thrice"}) }}')
        )
    assert own.select_one(".haven-quick-exit__hint").get_text() == "Press Esc."
    assert "Shift key 3 times" in other.select_one(".haven-quick-exit__hint").get_text()


def test_error_text_setting_reaches_the_notice_and_the_script(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path / "i", "HAVEN_ERROR_TEXT": "Oops."}
    )
    page = parse(app.test_client().get("/").data)
    assert page.body["data-haven-error-text"] == "Oops."
    with app.test_request_context("/"):
        from flask import render_template_string

        notice = render_template_string(
            '{% from "haven/error-notice/macro.html" import haven_error_notice %}'
            "{{ haven_error_notice() }}"
        )
    assert parse(notice).select_one(".haven-error-notice__text").get_text() == "Oops."
