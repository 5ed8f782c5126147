"""Safety information, the exit interruption, and discreet titles (render tests).

Both components describe the site's quick exit, so what they say must follow
its settings: the key it really uses, and what Back really does afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string

from demo_app import create_app
from flask_haven import HavenConfigError

from .conftest import parse

SAFETY = '{% from "haven/safety-info/macro.html" import haven_safety_info %}'
INTERRUPTION = '{% from "haven/exit-interruption/macro.html" import haven_exit_interruption %}'


def build(tmp_path: Path, **config: Any) -> Flask:
    return create_app({"TESTING": True, "INSTANCE_PATH": tmp_path / "i", **config})


def rendered(app: Flask, source: str) -> BeautifulSoup:
    with app.test_request_context("/"):
        return parse(render_template_string(source))


def texts(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


class TestSafetyInfo:
    def test_a_named_region_with_every_section(self, render: Callable[..., Any]) -> None:
        page = render(SAFETY + "{{ haven_safety_info() }}")
        region = page.select_one("section.haven-safety-info")
        heading = region.find("h2")
        assert region["aria-labelledby"] == heading["id"]
        assert heading.get_text() == "Staying safe online"
        assert [h.get_text() for h in region.find_all("h3")] == [
            "Who can see what you do online",
            "Private browsing",
            "Clearing your browsing history",
            "What “Leave this site” can and cannot do",
        ]

    def test_the_quick_exit_part_follows_the_sites_settings(self, tmp_path: Path) -> None:
        protected = texts(rendered(build(tmp_path), SAFETY + "{{ haven_safety_info() }}"))
        assert "Pressing the Escape key does the same." in protected
        assert "goes to the page you were on before you came to this site" in protected
        assert "It cannot delete your browsing history." in protected

        plain = build(
            tmp_path, HAVEN_JOURNEY_PROTECTION=False, HAVEN_QUICK_EXIT_TRIGGER="shift-thrice"
        )
        said = texts(rendered(plain, SAFETY + "{{ haven_safety_info() }}"))
        assert "Pressing the Shift key 3 times quickly does the same." in said
        assert "Escape" not in said
        assert "but it may return to other pages of this site" in said
        assert "before you came to this site" not in said

        link_only = build(tmp_path, HAVEN_QUICK_EXIT_TRIGGER="none")
        assert "key" not in texts(rendered(link_only, SAFETY + "{{ haven_safety_info() }}"))

        off = build(tmp_path, HAVEN_QUICK_EXIT_ENABLED=False)
        page = rendered(off, SAFETY + "{{ haven_safety_info() }}")
        assert "Leave this site" not in texts(page), "describes a quick exit the site lacks"

    def test_sections_heading_and_level(self, render: Callable[..., Any]) -> None:
        page = render(
            SAFETY + '{{ haven_safety_info({"sections": ["private-browsing"], "heading": "Privacy",'
            ' "heading_level": 3, "id": "p", "exit_text": "Hide this page"}) }}'
        )
        region = page.select_one("#p")
        assert region.find("h3", id="p-heading").get_text() == "Privacy"
        assert [h.get_text() for h in region.find_all("h4")] == ["Private browsing"]

    def test_in_welsh(self, render: Callable[..., Any]) -> None:
        page = render(SAFETY + '{{ haven_safety_info({"lang": "cy"}) }}')
        region = page.select_one(".haven-safety-info")
        assert region["lang"] == "cy"
        assert region.find("h2").get_text() == "Cadw'n ddiogel ar-lein"
        assert "Mae “Gadael y wefan hon” yn cuddio'r dudalen hon ar unwaith" in texts(region)


class TestExitInterruption:
    def test_explains_the_exit_and_its_key_then_continues(self, render: Callable[..., Any]) -> None:
        page = render(
            INTERRUPTION
            + '{{ haven_exit_interruption({"continue_href": "/support", "safety_href": "/safe"}) }}'
        )
        root = page.select_one(".haven-exit-interruption")
        said = texts(root)
        assert root.find("h2").get_text() == "You can leave this site quickly"
        assert "use the “Leave this site” button" in said
        assert "press the Escape key instead" in said
        assert "It does not delete your browsing history." in said
        assert root.find("a", string="How to stay safe online")["href"] == "/safe"
        button = root.find("a", string="Continue")
        assert button["href"] == "/support" and "haven-button" in button["class"]

    @pytest.mark.parametrize(
        ("trigger", "sentence"),
        [
            ("escape-twice", "press the Escape key twice quickly instead"),
            ("shift-thrice", "press the Shift key 3 times quickly instead"),
            ("none", None),
        ],
    )
    def test_the_key_sentence_follows_the_trigger(
        self, render: Callable[..., Any], trigger: str, sentence: str | None
    ) -> None:
        page = render(
            INTERRUPTION
            + f'{{{{ haven_exit_interruption({{"continue_href": "/", "trigger": "{trigger}"}}) }}}}'
        )
        said = texts(page)
        if sentence is None:
            assert "keyboard" not in said
        else:
            assert sentence in said
        assert page.find("a", string="How to stay safe online") is None  # not asked for

    def test_in_welsh_at_the_level_asked_for(self, render: Callable[..., Any]) -> None:
        page = render(
            INTERRUPTION + '{{ haven_exit_interruption({"continue_href": "/", "lang": "cy",'
            ' "heading_level": 1}) }}'
        )
        root = page.select_one(".haven-exit-interruption")
        assert root["lang"] == "cy"
        assert root.find("h1").get_text() == "Gallwch adael y wefan hon yn gyflym"
        assert root.find("a", string="Parhau") is not None


# -- discreet titles -----------------------------------------------------------------


def discreet_app(tmp_path: Path, **config: Any) -> Flask:
    app = build(tmp_path, **config)
    haven = app.extensions["haven"].extension

    @app.route("/support")
    @haven.sensitive
    def support() -> str:
        return render_template_string(
            '{% extends "haven/layout.html" %}{% block title %}Domestic abuse support{% endblock %}'
            "{% block content %}<h1>Domestic abuse support</h1>{% endblock %}"
        )

    @app.route("/marked")
    def marked() -> str:
        return render_template_string(
            '{% extends "haven/layout.html" %}{% set haven_sensitive = true %}'
            "{% set haven_has_errors = true %}{% block title %}Report abuse{% endblock %}"
        )

    return app


def title(app: Flask, path: str, **headers: str) -> str:
    page = parse(app.test_client().get(path, headers=headers).data)
    return page.title.get_text() if page.title else ""


def test_sensitive_pages_get_a_neutral_title_and_keep_their_heading(tmp_path: Path) -> None:
    app = discreet_app(tmp_path)
    assert title(app, "/support") == "Information"
    page = parse(app.test_client().get("/support").data)
    assert page.h1.get_text() == "Domestic abuse support"
    # Marked by the template; the "Error:" prefix still comes first.
    assert title(app, "/marked") == "Error: Information"
    # Other pages keep their own title.
    assert title(app, "/cookies").startswith("Cookies")
    assert title(app, "/support", **{"Accept-Language": "cy"}) == "Gwybodaeth"


def test_the_site_chooses_the_neutral_title(tmp_path: Path) -> None:
    app = discreet_app(
        tmp_path, HAVEN_DISCREET_TITLE={"en": "Council services", "cy": "Gwasanaethau"}
    )
    assert title(app, "/support") == "Council services"
    assert title(app, "/support", **{"Accept-Language": "cy"}) == "Gwasanaethau"


@pytest.mark.parametrize("value", ["", "  ", {"en": ""}, 3])
def test_an_empty_neutral_title_fails_at_start_up(tmp_path: Path, value: object) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_DISCREET_TITLE"):
        build(tmp_path, HAVEN_DISCREET_TITLE=value)
