"""A first visit sets no cookie, looks the same to everyone, and no other site can choose for it.

Issue 21: the consent forms carry no per-visitor token (so no session on a
first visit), are protected by what the browser says about a request's source
(flask_haven/csrf.py), and first-visit pages are marked for shared caches
(flask_haven/caching.py). The same behaviour through a real nginx is in
tests/e2e/test_cache_recipe.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from demo_app import create_app
from flask_haven import HavenConfigError
from flask_haven.consent.log import consent_log
from flask_haven.db import get_engine

from .conftest import parse
from .page_list import SITE_PAGES, gallery_pages

CONSENT = "/_haven/consent"
FIRST_VISIT_PAGES = ["/", "/cookies", "/?lang=cy", "/cookies?lang=cy", "/components/"]


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, Flask]:
    """Two workers of one site: separate instances, each with its own secret key."""
    return (
        create_app({"INSTANCE_PATH": tmp_path_factory.mktemp("one") / "instance"}),
        create_app({"INSTANCE_PATH": tmp_path_factory.mktemp("two") / "instance"}),
    )


def log_rows(app: Flask) -> int:
    with app.app_context(), get_engine().connect() as connection:
        return int(connection.execute(select(func.count()).select_from(consent_log)).scalar())


def has_banner_question(html: bytes) -> bool:
    """The banner asks (its question is shown, not only its confirmation)."""
    region = parse(html).select_one('[role="region"][aria-label^="Cookies on"]')
    buttons = region.select("button[value=accept]") if region else []
    return any(not button.find_parent(hidden=True) for button in buttons)


# -- no cookie, one page for everyone ----------------------------------------------


@pytest.mark.parametrize("path", FIRST_VISIT_PAGES)
@pytest.mark.parametrize("language", ["", "cy", "en-GB,en;q=0.9"])
def test_a_first_visit_sets_no_cookie_and_is_the_same_for_everyone(
    apps: tuple[Flask, Flask], path: str, language: str
) -> None:
    headers = {"Accept-Language": language} if language else {}
    first, second = (app.test_client().get(path, headers=headers) for app in apps)
    assert first.status_code == 200
    for response in (first, second):
        assert response.headers.getlist("Set-Cookie") == [], f"{path} set a cookie"
    assert first.data == second.data, f"two first-time visitors got different HTML at {path}"
    assert b'name="csrf_token"' not in first.data
    assert b"nonce" not in first.data


def test_the_session_starts_where_the_feedback_form_is_only(apps: tuple[Flask, Flask]) -> None:
    """The feedback form keeps its token, so its page (and the gallery's
    examples of it) start a session; no other page does."""
    app = apps[0]
    for path in [*SITE_PAGES, *gallery_pages()]:
        response = app.test_client().get(path)
        cookies = response.headers.getlist("Set-Cookie")
        if path == "/feedback":
            assert b'name="csrf_token"' in response.data, "the feedback form keeps its token"
        if path == "/feedback" or "/feedback-form/" in path:
            assert any(c.startswith("session=") and "SameSite=Lax" in c for c in cookies)
        else:
            assert cookies == [], f"{path} set {cookies}"


# -- who may post -----------------------------------------------------------------------

# The test client sends Sec-Fetch-Site: same-origin unless told otherwise; an
# empty value stands for an older browser that sends no Fetch Metadata at all.
OTHER_SOURCES = {
    "another site (Fetch Metadata)": {"Sec-Fetch-Site": "cross-site"},
    "a sibling subdomain": {"Sec-Fetch-Site": "same-site"},
    "another site (old browser, Origin)": {"Sec-Fetch-Site": "", "Origin": "https://evil.example"},
    "another site (old browser, Referer)": {
        "Sec-Fetch-Site": "",
        "Referer": "https://evil.example/http://localhost/",
    },
    "a sandboxed frame (Origin null)": {"Sec-Fetch-Site": "", "Origin": "null"},
    "nothing to go on": {"Sec-Fetch-Site": ""},
    "a look-alike host": {"Sec-Fetch-Site": "", "Origin": "http://localhost.evil.example"},
}
POSTS = {
    "banner, accept": (CONSENT, {"cookies": "accept", "return_to": "/"}),
    "banner, reject": (CONSENT, {"cookies": "reject", "return_to": "/"}),
    "cookies page": ("/cookies", {"analytics": "yes", "preferences": "yes"}),
}


@pytest.mark.parametrize("source", OTHER_SOURCES.values(), ids=OTHER_SOURCES.keys())
@pytest.mark.parametrize("post", POSTS.values(), ids=POSTS.keys())
def test_a_post_from_elsewhere_records_nothing(
    apps: tuple[Flask, Flask], source: dict[str, str], post: tuple[str, dict[str, str]]
) -> None:
    app = apps[0]
    before = log_rows(app)
    url, form = post
    for accept in ("text/html", "application/json"):
        client = app.test_client()
        response = client.post(url, data=form, headers={**source, "Accept": accept})
        assert response.status_code == 403
        assert response.headers.getlist("Set-Cookie") == [], "another site set a cookie here"
        if accept == "application/json":
            assert response.json == {"ok": False}
        assert has_banner_question(client.get("/").data), "the banner stopped asking"
    assert log_rows(app) == before, "another site's post reached the consent log"


OUR_PAGES = {
    "a current browser": {"Sec-Fetch-Site": "same-origin"},
    "typed or bookmarked": {"Sec-Fetch-Site": "none"},
    "an old browser (Origin)": {"Sec-Fetch-Site": "", "Origin": "http://localhost"},
    "an old browser (Referer)": {"Sec-Fetch-Site": "", "Referer": "http://localhost/news?x=1"},
    "our script's fetch (Origin null)": {
        "Sec-Fetch-Site": "",
        "Origin": "null",
        "X-Requested-With": "fetch",
    },
    "behind a TLS proxy (https Origin, http app)": {
        "Sec-Fetch-Site": "",
        "Origin": "https://localhost",
    },
}


@pytest.mark.parametrize("source", OUR_PAGES.values(), ids=OUR_PAGES.keys())
def test_a_post_from_our_own_pages_is_saved(
    apps: tuple[Flask, Flask], source: dict[str, str]
) -> None:
    client = apps[1].test_client()
    response = client.post(CONSENT, data={"cookies": "reject", "return_to": "/"}, headers=source)
    assert response.status_code == (200 if "X-Requested-With" in source else 303)
    assert client.get_cookie("haven_consent") is not None
    assert not has_banner_question(client.get("/").data), "the banner asks again after a choice"


def test_under_a_prefix_and_a_port_our_origin_is_still_ours(apps: tuple[Flask, Flask]) -> None:
    client = apps[1].test_client()
    base = "http://localhost:8443/gethelp"
    old_browser = {"Sec-Fetch-Site": "", "Origin": "http://localhost:8443"}
    response = client.post(
        CONSENT, data={"cookies": "accept", "return_to": "/x"}, headers=old_browser, base_url=base
    )
    assert response.status_code == 303 and response.headers["Location"] == "/gethelp/x"
    elsewhere = {"Sec-Fetch-Site": "", "Origin": "http://localhost:9999"}
    response = client.post(CONSENT, data={"cookies": "accept"}, headers=elsewhere, base_url=base)
    assert response.status_code == 403


# -- caching headers ---------------------------------------------------------------------


def test_first_visit_pages_are_offered_to_shared_caches_only(apps: tuple[Flask, Flask]) -> None:
    app = apps[0]
    response = app.test_client().get("/")
    assert response.headers["Cache-Control"] == "no-store", "browsers must keep nothing"
    assert response.headers["CDN-Cache-Control"] == "max-age=300"
    assert set(response.headers["Vary"].split(", ")) == {"Cookie", "Sec-GPC", "Accept-Language"}
    chosen = app.test_client().get("/?lang=cy")
    assert "Accept-Language" not in chosen.headers["Vary"], "the URL chose the language"

    not_shared: dict[str, Any] = {}
    with_cookie = app.test_client()
    with_cookie.set_cookie("haven_consent", "anything")
    not_shared["a visitor with a cookie"] = with_cookie.get("/")
    not_shared["the feedback form (session)"] = app.test_client().get("/feedback")
    not_shared["a page that failed"] = app.test_client().get("/no-such-page")
    not_shared["a post"] = app.test_client().post("/cookies", data={})
    not_shared["credentials"] = app.test_client().get("/", headers={"Authorization": "Basic eA=="})
    for what, answer in not_shared.items():
        assert "CDN-Cache-Control" not in answer.headers, what
        assert answer.headers["Cache-Control"] == "no-store", what


def test_shared_caching_is_off_unless_the_site_asks(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_SHARED_CACHE_MAX_AGE": None})
    assert "CDN-Cache-Control" not in app.test_client().get("/").headers
    for bad in (0, -5, "300", True, 1.5):
        with pytest.raises(HavenConfigError, match="HAVEN_SHARED_CACHE_MAX_AGE"):
            create_app({"INSTANCE_PATH": tmp_path, "HAVEN_SHARED_CACHE_MAX_AGE": bad})


def test_a_view_that_chose_its_own_caching_is_never_shared(client: FlaskClient, app: Flask) -> None:
    @app.route("/private")
    @app.extensions["haven"].extension.no_store
    def private() -> str:
        return "<!DOCTYPE html><title>x</title>"

    response = client.get("/private")
    assert response.headers["Cache-Control"] == "no-store"
    assert "CDN-Cache-Control" not in response.headers
