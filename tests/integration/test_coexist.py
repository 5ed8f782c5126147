"""Fast checks (test client, no browser) of how the library fits into a real site."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from flask_haven import Haven, HavenConfigError
from flask_haven.consent.manager import consent
from flask_haven.feedback import create_feedback_blueprint
from flask_haven.security import DEFAULT_CSP

from .sites import make_site


@pytest.mark.parametrize("csrf_first", [True, False])
def test_csrfprotect_keeps_the_typed_feedback_and_leaves_consent_to_us(
    tmp_path: Path, csrf_first: bool
) -> None:
    # CSRFProtect set up before Haven (its hook runs first) or after it.
    site = make_site(tmp=tmp_path, before_haven=CSRFProtect if csrf_first else None)
    if not csrf_first:
        CSRFProtect(site)
    client = site.test_client()
    # A stale token: the form comes back with the text kept, not a bare 400.
    response = client.post("/feedback", data={"feedback": "Kept text", "csrf_token": "stale"})
    assert response.status_code == 400
    assert "Kept text" in response.get_data(as_text=True)
    # The consent forms carry no token: CSRFProtect must not refuse them, and
    # our own origin check still does refuse another site's post.
    response = client.post("/_haven/consent", data={"cookies": "accept", "return_to": "/"})
    assert response.status_code == 303 and client.get_cookie("haven_consent") is not None
    response = client.post("/cookies", data={"analytics": "no", "preferences": "no"})
    assert response.status_code == 303
    client.delete_cookie("haven_consent")
    cross = {"Sec-Fetch-Site": "cross-site"}
    response = client.post("/_haven/consent", data={"cookies": "accept"}, headers=cross)
    assert response.status_code == 403 and client.get_cookie("haven_consent") is None
    response = client.post("/cookies", data={"analytics": "yes"}, headers=cross)
    assert response.status_code == 403 and client.get_cookie("haven_consent") is None


def test_a_valid_feedback_post_works_after_the_form_was_parsed_by_another_extension(
    tmp_path: Path,
) -> None:
    site = make_site(tmp=tmp_path)

    @site.before_request
    def parse_the_form_first() -> None:
        from flask import request

        _ = request.form  # as CSRFProtect does: the body is consumed

    client = site.test_client()
    page = client.get("/feedback").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/feedback", data={"feedback": "Hello", "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def test_talisman_weakening_the_headers_is_logged_at_start_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from flask_talisman import Talisman

    weak = make_site(tmp=tmp_path)
    with caplog.at_level(logging.WARNING):
        Talisman(weak, force_https=False)
        weak.test_client().get("/")  # Talisman after Haven: found on the first request
    messages = [r.getMessage() for r in caplog.records if "Talisman" in r.getMessage()]
    assert len(messages) == 1 and "frame-ancestors" in messages[0]

    caplog.clear()
    strong = Flask("strong", instance_path=str(tmp_path / "strong"))
    strong.config["SECRET_KEY"] = "k"
    Talisman(
        strong,
        force_https=False,
        content_security_policy=DEFAULT_CSP,
        referrer_policy="no-referrer",
    )
    with caplog.at_level(logging.WARNING):
        Haven(strong)
    assert not [r for r in caplog.records if "Talisman" in r.getMessage()]


def test_the_sites_session_interface_is_left_alone_unless_asked(tmp_path: Path) -> None:
    assert type(make_site(tmp=tmp_path).session_interface) is SecureCookieSessionInterface
    asked = make_site(tmp=tmp_path, config={"HAVEN_SECURE_SESSION_COOKIE": True})
    assert type(asked.session_interface) is not SecureCookieSessionInterface


def test_feedback_without_a_secret_key_fails_at_start_up() -> None:
    for order in ("haven-first", "blueprint-first"):
        app = Flask(__name__)
        with pytest.raises(HavenConfigError, match="SECRET_KEY"):
            if order == "haven-first":
                Haven(app)
                app.register_blueprint(create_feedback_blueprint())
            else:
                app.register_blueprint(create_feedback_blueprint())
                Haven(app)


def test_the_minimal_readme_app_has_no_dead_feedback_link() -> None:
    app = Flask(__name__)
    app.config["HAVEN_QUICK_EXIT_URL"] = "https://www.bbc.co.uk/weather"
    app.config["HAVEN_PHASE"] = "beta"
    Haven(app)
    app.add_url_rule(
        "/",
        "home",
        lambda: __import__("flask").render_template_string(
            '{% extends "haven/layout.html" %}{% block content %}<h1>Get help</h1>{% endblock %}'
        ),
    )
    page = app.test_client().get("/").get_data(as_text=True)
    assert "Beta" in page and "/feedback" not in page


def test_settings_that_name_a_page_take_an_endpoint(tmp_path: Path) -> None:
    site = make_site(tmp=tmp_path, config={"HAVEN_FEEDBACK_URL": "feedback.form"})
    with site.test_request_context("/", base_url="http://localhost/gethelp"):
        assert consent.settings_url == "/gethelp/cookies"
    page = site.test_client().get("/", base_url="http://localhost/gethelp")
    assert 'href="/gethelp/feedback?return_to=/"' in page.get_data(as_text=True)
    with pytest.raises(HavenConfigError, match="HAVEN_CONSENT_SETTINGS_URL"):
        make_site(tmp=tmp_path, config={"HAVEN_CONSENT_SETTINGS_URL": "not a page"})


def test_bundles_are_immutable(tmp_path: Path) -> None:
    site = make_site(tmp=tmp_path)
    client = site.test_client()
    page = client.get("/").get_data(as_text=True)
    src = page.split('<script src="', 1)[1].split('"', 1)[0]
    response = client.get(src)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    response.close()


def test_gated_scripts_keep_every_attribute(tmp_path: Path) -> None:
    site = make_site(tmp=tmp_path)
    with site.test_request_context("/"):
        site.preprocess_request()
        inert = str(
            consent.script(
                "analytics",
                "/a.js",
                integrity="sha384-x",
                crossorigin="anonymous",
                nonce="n1",
                async_=None,
                defer=True,
            )
        )
    assert 'type="text/plain"' in inert and 'integrity="sha384-x"' in inert
    assert 'crossorigin="anonymous"' in inert and 'nonce="n1"' in inert and " defer" in inert


@pytest.mark.parametrize("application_root", [None, "/gethelp"])
def test_under_a_prefix_the_redirect_and_the_consent_cookie_stay_inside_it(
    tmp_path: Path, application_root: str | None
) -> None:
    config = {"APPLICATION_ROOT": application_root} if application_root else {}
    site = make_site(tmp=tmp_path, config=config)
    client = site.test_client()
    base = "http://localhost/gethelp"
    response = client.post(
        "/_haven/consent",
        base_url=base,
        data={"cookies": "accept", "return_to": "/?q=1"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/gethelp/?q=1"
    cookie = client.get_cookie("haven_consent", path="/gethelp")
    assert cookie is not None and cookie.path == "/gethelp"


def test_auto_build_only_in_a_source_checkout(tmp_path: Path) -> None:
    from flask_haven.assets import PACKAGE_DIR, in_source_checkout

    assert in_source_checkout(PACKAGE_DIR)  # this repository
    installed = tmp_path / "lib" / "python3.11" / "site-packages" / "flask_haven"
    installed.mkdir(parents=True)
    (installed.parent.parent / "pyproject.toml").write_text("")
    assert not in_source_checkout(installed)
