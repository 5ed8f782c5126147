"""Render tests of the quick exit: the link, hint, attributes and config options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from demo_app import create_app
from flask_haven import HavenConfigError

from .conftest import parse

MACRO = '{% from "haven/quick-exit/macro.html" import haven_quick_exit %}'

Render = Callable[..., BeautifulSoup]


def quick_exit(render: Render, params: str = "") -> Any:
    return render(MACRO + "{{ haven_quick_exit(" + params + ") }}").select_one(".haven-quick-exit")


def test_link_leaves_to_default_exit_url_without_referrer(render: Render) -> None:
    root = quick_exit(render)
    link = root.find("a")
    assert link.get_text(strip=True) == "Leave this site"
    assert link["href"] == "https://www.bbc.co.uk/weather"
    assert set(link["rel"]) >= {"noreferrer", "nofollow"}


def test_hint_is_visible_text_and_describes_the_link(render: Render) -> None:
    root = quick_exit(render)
    hint = root.find("p")
    assert hint.get_text(strip=True) == "Quickly exit this site by pressing the Escape key"
    assert root.find("a")["aria-describedby"] == hint["id"]
    assert "haven-visually-hidden" not in hint.get("class", [])


def test_javascript_is_configured_through_data_attributes(render: Render) -> None:
    root = quick_exit(render)
    assert root["data-module"] == "haven-quick-exit"
    assert root["data-exit-url"] == "https://www.bbc.co.uk/weather"
    assert root["data-trigger"] == "escape"
    assert root["data-status-text"] == "Leaving this site"
    assert not root.has_attr("data-clear-url")


@pytest.mark.parametrize(
    ("trigger", "hint"),
    [
        ("escape-twice", "Quickly exit this site by pressing the Escape key twice"),
        ("shift-thrice", "Quickly exit this site by pressing the Shift key 3 times"),
    ],
)
def test_hint_follows_the_trigger(render: Render, trigger: str, hint: str) -> None:
    root = quick_exit(render, f'{{"trigger": "{trigger}"}}')
    assert root["data-trigger"] == trigger
    assert root.find("p").get_text(strip=True) == hint


def test_params_override_texts_and_destination(render: Render) -> None:
    root = quick_exit(
        render,
        '{"url": "https://www.gov.uk/", "text": "Exit now", "hint": "Press Escape", "id": "qe"}',
    )
    link = root.find("a")
    assert link["href"] == root["data-exit-url"] == "https://www.gov.uk/"
    assert link.get_text(strip=True) == "Exit now"
    assert root.find("p")["id"] == "qe-hint" == link["aria-describedby"]


def test_texts_are_escaped(render: Render) -> None:
    root = quick_exit(render, '{"text": "<script>x</script>"}')
    assert root.find("script") is None
    assert root.find("a").get_text() == "<script>x</script>"


def test_macro_rejects_a_url_that_could_strand_someone(render: Render) -> None:
    with pytest.raises(HavenConfigError, match="absolute http"):
        quick_exit(render, '{"url": "javascript:alert(1)"}')


def test_unknown_trigger_param_falls_back_to_the_configured_one(render: Render) -> None:
    assert quick_exit(render, '{"trigger": "f12"}')["data-trigger"] == "escape"


def test_clear_site_data_option_adds_the_clearing_route(render: Render) -> None:
    root = quick_exit(render, '{"clear_site_data": true}')
    assert root["data-clear-url"] == "/_haven/quick-exit"


class TestConfig:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {
            "HAVEN_QUICK_EXIT_URL": "https://example.org/weather",
            "HAVEN_QUICK_EXIT_TRIGGER": "shift-thrice",
            "HAVEN_QUICK_EXIT_CLEAR_SITE_DATA": True,
        }

    def test_layout_uses_the_config(self, app: Flask) -> None:
        page = parse(app.test_client().get("/").data)
        root = page.select_one(".haven-quick-exit")
        assert root.find("a")["href"] == "https://example.org/weather"
        assert root["data-trigger"] == "shift-thrice"
        assert root["data-clear-url"] == "/_haven/quick-exit"


def test_layout_puts_quick_exit_right_after_the_skip_link(client: Any) -> None:
    body = parse(client.get("/").data).body
    first, second = [el for el in body.children if getattr(el, "name", None)][:2]
    assert "haven-skip-link" in first["class"]
    assert "haven-quick-exit" in second["class"]


def test_quick_exit_can_be_switched_off(tmp_path: Any) -> None:
    app = create_app({"HAVEN_QUICK_EXIT_ENABLED": False, "INSTANCE_PATH": tmp_path})
    client = app.test_client()
    assert parse(client.get("/").data).select_one(".haven-quick-exit") is None
    assert client.get("/_haven/quick-exit").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/weather",
        "www.bbc.co.uk",
        "javascript:alert(1)",
        "ftp://example.org/",
        "",
        " https://x.org",
    ],
)
def test_bad_exit_url_fails_at_start_up(tmp_path: Any, url: str) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_QUICK_EXIT_URL"):
        create_app({"HAVEN_QUICK_EXIT_URL": url, "INSTANCE_PATH": tmp_path})


def test_bad_trigger_fails_at_start_up(tmp_path: Any) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_QUICK_EXIT_TRIGGER"):
        create_app({"HAVEN_QUICK_EXIT_TRIGGER": "f12", "INSTANCE_PATH": tmp_path})


class TestClearSiteDataRoute:
    def test_get_redirects_to_exit_and_clears(self, client: Any) -> None:
        response = client.get("/_haven/quick-exit")
        assert response.status_code == 303
        assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
        assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
        assert "no-store" in response.headers["Cache-Control"]

    def test_post_answers_no_content_and_clears(self, client: Any) -> None:
        response = client.post("/_haven/quick-exit")
        assert response.status_code == 204
        assert "cookies" in response.headers["Clear-Site-Data"]


class TestNoStore:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"HAVEN_NO_STORE": True}

    def test_every_html_page_is_no_store(self, client: Any) -> None:
        assert "no-store" in client.get("/").headers["Cache-Control"]

    def test_bundles_stay_cacheable(self, client: Any, app: Flask) -> None:
        with app.test_request_context():
            url = app.extensions["haven"].extension.asset_url("js")
        response = client.get(url)
        assert "no-store" not in response.headers["Cache-Control"]
        response.close()


def test_no_store_decorator_protects_one_view(tmp_path: Any) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_NO_STORE": False})
    haven = app.extensions["haven"].extension

    @app.route("/sensitive")
    @haven.no_store
    def sensitive() -> str:
        return "private"

    response = app.test_client().get("/sensitive")
    assert response.headers["Cache-Control"].startswith("no-store")
    assert "no-store" not in (app.test_client().get("/").headers.get("Cache-Control") or "")


# -- fitting a phone, progress, options (issue 20) -----------------------------------


def test_a_short_hint_for_narrow_screens_is_hidden_from_screen_readers(render: Render) -> None:
    root = quick_exit(render)
    hint, short = root.select("p")
    assert short.get_text(strip=True) == "Press Esc"
    assert short["aria-hidden"] == "true"
    # The full hint stays the link's description, on every screen size.
    assert root.find("a")["aria-describedby"] == hint["id"]


@pytest.mark.parametrize(
    ("trigger", "marks"), [("escape", 0), ("escape-twice", 2), ("shift-thrice", 3)]
)
def test_multi_press_triggers_get_one_mark_per_press(
    render: Render, trigger: str, marks: int
) -> None:
    root = quick_exit(render, f'{{"trigger": "{trigger}"}}')
    link = root.find("a")
    assert len(link.select(".haven-quick-exit__mark")) == marks
    assert link.get_text(strip=True) == "Leave this site", "the marks add nothing to the name"
    if marks:
        assert link.select_one(".haven-quick-exit__progress")["aria-hidden"] == "true"
        assert root["data-progress-text"] == (
            f"Pressed {{n}} of {marks} times. Keep pressing to leave this site."
        )
    else:
        assert not root.has_attr("data-progress-text")


def test_progress_and_short_hint_are_translated(render: Render) -> None:
    root = quick_exit(render, '{"trigger": "shift-thrice", "lang": "cy"}')
    assert root["data-progress-text"] == (
        "Wedi pwyso {n} o 3 gwaith. Daliwch ati i bwyso i adael y wefan hon."
    )
    assert root.select("p")[1].get_text(strip=True) == "Shift 3 gwaith"


def test_link_only_trigger_has_no_hint_and_no_key(render: Render) -> None:
    root = quick_exit(render, '{"trigger": "none"}')
    assert root["data-trigger"] == "none"
    assert root.find("p") is None
    assert not root.find("a").has_attr("aria-describedby")


def test_position_and_field_option_from_params(render: Render) -> None:
    root = quick_exit(render, '{"position": "bottom", "ignore_in_fields": true}')
    assert "haven-quick-exit--bottom" in root["class"]
    assert root.has_attr("data-ignore-in-fields")
    plain = quick_exit(render)
    assert "haven-quick-exit--bottom" not in plain["class"]
    assert not plain.has_attr("data-ignore-in-fields")


class TestIssue20Settings:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {
            "HAVEN_QUICK_EXIT_POSITION": "bottom",
            "HAVEN_QUICK_EXIT_IGNORE_IN_FIELDS": True,
            "HAVEN_QUICK_EXIT_COUNTS": False,
            "HAVEN_JOURNEY_PROTECTION": False,
        }

    def test_layout_follows_the_settings(self, app: Flask) -> None:
        root = parse(app.test_client().get("/").data).select_one(".haven-quick-exit")
        assert "haven-quick-exit--bottom" in root["class"]
        assert root.has_attr("data-ignore-in-fields")
        # Off: no journey script, no counting URL, no ping.
        assert not root.has_attr("data-journey")
        assert not root.has_attr("data-count-url")
        assert not root.find("a").has_attr("ping")


def test_the_demo_protects_the_journey_and_counts_exits(client: Any) -> None:
    root = parse(client.get("/").data).select_one(".haven-quick-exit")
    assert root.has_attr("data-journey")
    assert root["data-count-url"] == "/_haven/quick-exit/count"
    # A link's ping must be an absolute http(s) URL.
    assert root.find("a")["ping"] == "http://localhost/_haven/quick-exit/count"


def test_the_gallery_header_exit_is_the_link_alone(client: Any) -> None:
    page = parse(client.get("/components/").data)
    (root,) = page.select("body > .haven-quick-exit")
    assert root["data-trigger"] == "none" and root.find("p") is None
    # Its previews keep the site's key.
    preview = parse(client.get("/components/quick-exit/default/preview").data)
    assert preview.select_one(".haven-quick-exit")["data-trigger"] == "escape"


def test_bad_position_fails_at_start_up(tmp_path: Any) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_QUICK_EXIT_POSITION"):
        create_app({"HAVEN_QUICK_EXIT_POSITION": "left", "INSTANCE_PATH": tmp_path})
