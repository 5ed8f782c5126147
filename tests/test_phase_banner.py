"""Render tests of the phase banner: tag, text, link, settings and placement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from demo_app import create_app
from flask_haven import HavenConfigError

from .conftest import parse

MACRO = '{% from "haven/phase-banner/macro.html" import haven_phase_banner %}'
Render = Callable[..., BeautifulSoup]


@pytest.fixture
def app_config() -> dict[str, Any]:
    """The library's own default texts: the demo's seed wording is tested apart
    (test_link_words_in_the_site_text_become_the_link)."""
    return {"HAVEN_PHASE_BANNER_TEXT": None}


def banner(render: Render, params: str = "") -> Any:
    return render(MACRO + "{{ haven_phase_banner(" + params + ") }}").select_one(
        ".haven-phase-banner"
    )


def test_default_banner_says_beta_and_links_to_feedback(render: Render) -> None:
    root = banner(render)
    assert root.select_one(".haven-tag").get_text(strip=True) == "Beta"
    link = root.find("a")
    assert link.get_text(strip=True) == "Tell us what you think"
    assert link["href"] == "/feedback?return_to=/"
    assert "This site is new" in root.get_text()


def test_link_words_in_the_site_text_become_the_link(render: Render) -> None:
    """A site's message may carry the feedback link in its own words, [in brackets]:
    the link then sits where the sentence puts it, and no second link follows."""
    root = banner(render, '{"text": "New here? Please [say what you think] & help."}')
    links = root.find_all("a")
    assert [a.get_text() for a in links] == ["say what you think"]
    assert links[0]["href"] == "/feedback?return_to=/"
    assert root.select_one(".haven-phase-banner__text").get_text() == (
        "New here? Please say what you think & help."
    )


def test_params_override_everything(render: Render) -> None:
    root = banner(
        render,
        '{"phase": "alpha", "text": "A trial.", "link_text": "Say more", "href": "/say"}',
    )
    assert root.select_one(".haven-tag").get_text(strip=True) == "Alpha"
    assert root.find("a")["href"] == "/say"
    assert root.find("a").get_text(strip=True) == "Say more"
    assert "A trial." in root.get_text()


def test_banner_text_is_escaped(render: Render) -> None:
    root = banner(render, '{"text": "<img src=x onerror=alert(1)>"}')
    assert root.find("img") is None
    assert "<img src=x" in root.get_text()


@pytest.mark.parametrize("path", ["/", "/components/", "/components/quick-exit/", "/feedback"])
def test_every_demo_page_has_the_banner_under_the_header(client: Any, path: str) -> None:
    page = parse(client.get(path).data)
    root = page.select_one(".haven-phase-banner")
    assert root is not None, f"no phase banner on {path}"
    header = page.select_one("header")
    assert header is not None and header.find_next(class_="haven-phase-banner") is root
    assert root.find("a")["href"].startswith("/feedback")


def test_link_carries_the_current_page_except_on_the_feedback_page(client: Any) -> None:
    link = parse(client.get("/components/").data).select_one(".haven-phase-banner a")
    assert link["href"] == "/feedback?return_to=/components/"
    link = parse(client.get("/feedback").data).select_one(".haven-phase-banner a")
    assert link["href"] == "/feedback"


def test_phase_none_removes_the_banner(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_PHASE": None})
    assert parse(app.test_client().get("/").data).select_one(".haven-phase-banner") is None


def test_alpha_and_configured_texts(tmp_path: Path) -> None:
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path,
            "HAVEN_PHASE": "alpha",
            "HAVEN_PHASE_BANNER_TEXT": "Our new site.",
            "HAVEN_PHASE_BANNER_LINK_TEXT": "Give feedback",
            "HAVEN_FEEDBACK_URL": "https://forms.example.org/feedback",
        }
    )
    root = parse(app.test_client().get("/").data).select_one(".haven-phase-banner")
    assert root.select_one(".haven-tag").get_text(strip=True) == "Alpha"
    assert "Our new site." in root.get_text()
    # An external form gets no return path: it would not know what to do with it.
    assert root.find("a")["href"] == "https://forms.example.org/feedback"


def test_previews_show_only_the_example(client: Any) -> None:
    page = parse(client.get("/components/quick-exit/default/preview").data)
    assert page.select_one(".haven-phase-banner") is None
    page = parse(client.get("/components/phase-banner/default/preview").data)
    assert len(page.select(".haven-phase-banner")) == 1


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("HAVEN_PHASE", "gamma"),
        ("HAVEN_PHASE_BANNER_TEXT", ""),
        ("HAVEN_FEEDBACK_URL", "javascript:alert(1)"),
        ("HAVEN_FEEDBACK_MAX_LENGTH", 0),
        ("HAVEN_FEEDBACK_MAX_LENGTH", True),
        ("HAVEN_FEEDBACK_RATE_LIMIT", "lots"),
        ("HAVEN_FEEDBACK_RATE_LIMIT", "0/minute"),
        ("HAVEN_FEEDBACK_SINKS", ["not callable"]),
        ("HAVEN_FEEDBACK_RATE_LIMIT_STORE", object()),
        ("HAVEN_FEEDBACK_MAX_REQUEST_BYTES", 10),
        ("HAVEN_FEEDBACK_QUESTIONS", [{"name": "feedback", "legend": "x", "options": ["a", "b"]}]),
        ("HAVEN_FEEDBACK_QUESTIONS", [{"name": "q", "legend": "x", "options": ["a"]}]),
        ("HAVEN_FEEDBACK_QUESTIONS", [{"name": "q", "legend": "", "options": ["a", "b"]}]),
        ("HAVEN_FEEDBACK_QUESTIONS", [{"name": "q", "legend": "x", "options": ["a", "a"]}]),
        ("HAVEN_FEEDBACK_QUESTIONS", "satisfaction"),
    ],
)
def test_bad_settings_fail_at_start_up(tmp_path: Path, key: str, value: Any) -> None:
    with pytest.raises(HavenConfigError):
        create_app({"INSTANCE_PATH": tmp_path, key: value})
