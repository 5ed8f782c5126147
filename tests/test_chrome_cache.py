"""The chrome's kept fragments (flask_haven/chrome.py) change nothing a person sees.

Every page is compared with the same page from an app that renders the chrome
anew each time (Jinja reloading templates turns the cache off), over the
states, languages, directions and prefixes the fragments are keyed by, twice
each so the second answer comes from the cache.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

from demo_app import create_app
from flask_haven.consent.codec import COOKIE_NAME

SECRET = "one-key-for-both"
TOKEN = re.compile(rb'name="csrf_token" value="[^"]+"')

# (path, headers, base_url)
REQUESTS: list[tuple[str, dict[str, str], str]] = [
    ("/", {}, "http://localhost"),
    ("/", {"Accept-Language": "cy"}, "http://localhost"),
    ("/?lang=cy&x=1", {}, "http://localhost"),
    ("/news?q=%22%3E%3Cscript%3E&b=<i>", {}, "http://localhost"),  # escaped return paths
    ("/cookies", {"Sec-GPC": "1"}, "http://localhost"),
    ("/feedback", {}, "http://localhost"),  # the phase banner leaves its return link off
    ("/feedback/thanks?return_to=/cookies", {}, "http://localhost"),
    ("/components/quick-exit/in-welsh/preview", {}, "http://localhost"),
    ("/components/cookie-banner/error/preview?dir=rtl", {}, "http://localhost"),
    ("/components/phase-banner/custom-text/preview?lang=cy", {}, "http://localhost"),
    ("/", {}, "http://localhost/gethelp"),  # under a prefix (SCRIPT_NAME)
    ("/cookies", {}, "http://localhost/gethelp"),
]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, Flask]:
    """The demo twice: keeping its chrome, and rendering it every time."""

    def make(name: str, **config: Any) -> Flask:
        path = tmp_path_factory.mktemp(name) / "instance"
        return create_app({"INSTANCE_PATH": path, "SECRET_KEY": SECRET, **config})

    return make("kept"), make("fresh", TEMPLATES_AUTO_RELOAD=True)


def pages(app: Flask, cookie: str | None) -> list[bytes]:
    bodies = []
    for path, headers, base_url in REQUESTS:
        for _ in range(2):
            client = app.test_client()
            if cookie:
                client.set_cookie(COOKIE_NAME, cookie)
            response = client.get(path, headers=headers, base_url=base_url)
            assert response.status_code in (200, 404), path
            # The feedback form's token is one person's (its page starts a session).
            bodies.append(TOKEN.sub(b"TOKEN", response.data))
    return bodies


@pytest.mark.parametrize("state", ["no choice", "after a choice", "saved", "error"])
def test_kept_chrome_is_the_chrome_rendered_anew(pair: tuple[Flask, Flask], state: str) -> None:
    kept, fresh = pair
    cookie = None
    if state != "no choice":
        # A choice, or the banner's one-time message (a no-JavaScript post), made on one app
        # and shown by both (same secret key).
        client = fresh.test_client()
        form = {"cookies": "maybe" if state == "error" else "accept", "return_to": "/"}
        client.post("/_haven/consent", data=form)
        consent = client.get_cookie(COOKIE_NAME)
        cookie = consent.value if consent else None
        if state in ("saved", "error"):
            session = client.get_cookie("session")
            assert session is not None
            for app in pair:
                flashed = app.test_client()
                flashed.set_cookie("session", session.value)
                if cookie:
                    flashed.set_cookie(COOKIE_NAME, cookie)
                html = flashed.get("/").data
                assert (b"data-haven-confirmation autofocus" in html) is (state == "saved")
                assert (b'class="haven-error-notice' in html) is (state == "error")
            assert kept.extensions["haven"].fragments is not None
    assert kept.jinja_env.auto_reload is False and fresh.jinja_env.auto_reload is True
    assert pages(kept, cookie) == pages(fresh, cookie)
    assert fresh.extensions["haven"].fragments is None, "the reloading app kept fragments"


def test_no_placeholder_or_other_page_leaks_into_a_page(pair: tuple[Flask, Flask]) -> None:
    kept = pair[0]
    first = kept.test_client().get("/first-page").data  # a 404 page wears the chrome too
    second = kept.test_client().get("/second?x=%3Cb%3E").data
    assert b"havenPerRequest" not in first + second
    assert b'name="return_to" value="/second?x=%3Cb%3E"' in second
    assert b"first-page" not in second
    assert b"/feedback?return_to=/second" in second


def test_a_site_template_of_its_own_is_rendered_every_time(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path})
    own = "<p class=own>{{ request.path }}</p>"
    app.jinja_loader = ChoiceLoader(
        [DictLoader({"haven/phase-banner/template.html": own}), app.jinja_loader]
    )
    assert b"<p class=own>/one</p>" in app.test_client().get("/one").data
    assert b"<p class=own>/two</p>" in app.test_client().get("/two").data


def test_new_settings_start_a_new_cache(tmp_path: Path) -> None:
    import dataclasses

    app = create_app({"INSTANCE_PATH": tmp_path})
    assert b"Beta" in app.test_client().get("/").data
    state = app.extensions["haven"]
    feedback = dataclasses.replace(state.settings.feedback, phase="alpha")
    state.settings = dataclasses.replace(state.settings, feedback=feedback)
    page = app.test_client().get("/").data
    assert b"Alpha" in page and b">Beta<" not in page


def test_requests_sharing_an_app_context_each_get_their_own_chrome(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path})
    client = app.test_client()
    with app.app_context():  # every request below shares this context (and its g)
        client.get("/first")
        page = client.get("/components/?x=2").data
    assert b'name="return_to" value="/components/?x=2"' in page
    assert b"/feedback?return_to=/components/" in page


def test_a_host_header_never_reaches_a_page_asked_for_by_another_name(tmp_path: Path) -> None:
    """The quick exit's count ping is an absolute URL: each host gets its own fragment."""
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_QUICK_EXIT_COUNTS": True})
    poisoned = app.test_client().get("/", base_url="http://evil.example").data
    assert b'ping="http://evil.example/' in poisoned
    page = app.test_client().get("/").data
    assert b'ping="http://localhost/' in page
    assert b"evil.example" not in page
