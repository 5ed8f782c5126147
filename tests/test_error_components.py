"""Render tests of the error notice and error summary, and the layout's "Error:" title prefix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from demo_app import create_app
from flask_haven.catalogue import Example, get_component

from .conftest import parse

NOTICE = '{% from "haven/error-notice/macro.html" import haven_error_notice %}'
SUMMARY = '{% from "haven/error-summary/macro.html" import haven_error_summary %}'
DEFAULT_TEXT = "Sorry, there was a technical problem. Please try again."

Render = Callable[..., BeautifulSoup]


def examples(name: str) -> list[Example]:
    component = get_component(name)
    assert component is not None
    return list(component.examples)


def render_example(app: Flask, name: str, example: Example) -> BeautifulSoup:
    component = get_component(name)
    assert component is not None
    with app.test_request_context("/"):
        return parse(component.render(example))


# -- error notice -----------------------------------------------------------------


@pytest.mark.parametrize("example", examples("error-notice"), ids=lambda e: e.name)
def test_every_notice_example_is_an_alert_with_its_texts(app: Flask, example: Example) -> None:
    root = render_example(app, "error-notice", example).select_one(".haven-error-notice")
    params = example.params
    assert root["role"] == "alert"
    assert root.select_one(".haven-error-notice__text").get_text(strip=True) == params.get(
        "text", DEFAULT_TEXT
    )
    title = root.find("h2")
    assert (title.get_text(strip=True) if title else None) == params.get("title")
    details = root.select_one(".haven-error-notice__details")
    assert (details.get_text(strip=True) if details else None) == params.get("details")
    link = root.find("a")
    action = params.get("action")
    assert (link["href"] if link else None) == (action["href"] if action else None)
    button = root.find("button")
    assert bool(button) == bool(params.get("dismissible"))
    if button:
        assert button.has_attr("hidden"), "the hide button needs JavaScript, so starts hidden"
        assert button["type"] == "button"


def test_notice_defaults(render: Render) -> None:
    root = render(NOTICE + "{{ haven_error_notice() }}").select_one("[role=alert]")
    assert root.get_text(strip=True) == DEFAULT_TEXT
    assert root["data-module"] == "haven-error-notice"
    assert not root.has_attr("tabindex") and not root.has_attr("autofocus")


def test_notice_action_defaults_to_try_again(render: Render) -> None:
    root = render(NOTICE + '{{ haven_error_notice({"action": {"href": "/retry"}}) }}')
    link = root.find("a")
    assert link.get_text(strip=True) == "Try again" and link["href"] == "/retry"


def test_notice_can_take_focus_on_load(render: Render) -> None:
    root = render(NOTICE + '{{ haven_error_notice({"focus": true, "id": "n"}) }}').find(id="n")
    assert root["tabindex"] == "-1" and root.has_attr("autofocus")


def test_notice_texts_are_escaped(render: Render) -> None:
    page = render(
        NOTICE + '{{ haven_error_notice({"text": "<script>x</script>", "title": "<b>t</b>"}) }}'
    )
    assert page.find("script") is None and page.find("b") is None
    assert "<script>x</script>" in page.get_text()


# -- error summary ------------------------------------------------------------------


@pytest.mark.parametrize("example", examples("error-summary"), ids=lambda e: e.name)
def test_every_summary_example_takes_focus_and_links_each_error(
    app: Flask, example: Example
) -> None:
    root = render_example(app, "error-summary", example).select_one(".haven-error-summary")
    assert root.has_attr("autofocus") and root["tabindex"] == "-1"
    heading = root.find("h2")
    assert heading.get_text(strip=True) == example.params.get("title", "There is a problem")
    assert root["aria-labelledby"] == heading["id"]
    links = [(a.get_text(strip=True), a["href"]) for a in root.select("li a")]
    assert links == [(e["text"], e["href"]) for e in example.params["errors"]]


def test_summary_error_without_href_is_plain_text(render: Render) -> None:
    root = render(SUMMARY + '{{ haven_error_summary({"errors": [{"text": "Try later"}]}) }}')
    assert root.find("li").get_text(strip=True) == "Try later"
    assert root.find("a") is None


def test_summary_id_names_the_heading(render: Render) -> None:
    root = render(SUMMARY + '{{ haven_error_summary({"errors": [], "id": "problems"}) }}')
    assert root.find(id="problems")["aria-labelledby"] == "problems-title"


# -- "Error:" in the title ------------------------------------------------------------

PAGE = """{% extends "haven/layout.html" %}{{ flag }}
{% block title %}Send feedback{% endblock %}{% block content %}<h1>x</h1>{% endblock %}"""


@pytest.mark.parametrize(
    ("flag", "context", "title"),
    [
        ("", {}, "Send feedback"),
        ("{% set haven_has_errors = true %}", {}, "Error: Send feedback"),
        ("", {"haven_has_errors": True}, "Error: Send feedback"),
        ("", {"haven_has_errors": False}, "Send feedback"),
    ],
)
def test_title_prefix(render: Render, flag: str, context: dict[str, Any], title: str) -> None:
    page = render(PAGE.replace("{{ flag }}", flag), **context)
    assert page.title.get_text() == title + " \N{EN DASH} Harrowdale Police"


def test_title_prefix_through_a_site_base_template(tmp_path: Path) -> None:
    """The demo form extends base.html, which extends the layout: the flag still reaches it."""
    demo = create_app({"TESTING": True, "DEMO_ERROR_ROUTES": True, "INSTANCE_PATH": tmp_path})
    client = demo.test_client()
    assert parse(client.get("/_demo/form").data).title.get_text().startswith("Contact details")
    page = parse(client.post("/_demo/form", data={"full_name": "Sam"}).data)
    assert page.title.get_text().startswith("Error: Contact details")
    links = [a["href"] for a in page.select("[data-module=haven-error-summary] a")]
    assert links == ["#contact-method"]
    assert page.find(id="full-name")["value"] == "Sam", "what was typed is kept"
