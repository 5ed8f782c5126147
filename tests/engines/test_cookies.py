"""Cookie consent in Chromium, Firefox and WebKit, with JavaScript
(``test_cookies_nojs.py``: the same without)."""

from __future__ import annotations

from flask_haven.consent import COOKIE_NAME
from flask_haven.testing.engines import CookieBanner, CookieSettings, Engine

from .conftest import GATED, script_set


def test_accepting_runs_the_gated_scripts_without_a_reload(haven_engine: Engine) -> None:
    haven_engine.open("/")
    banner = CookieBanner(haven_engine)
    assert banner.is_shown()
    assert not script_set(haven_engine.cookies(), GATED), "a gated script ran before consent"
    haven_engine.run("window.__noReload = true")
    banner.accept()
    haven_engine.wait_until(
        lambda: haven_engine.cookies().get(GATED) == "1", message="the analytics script never ran"
    )
    assert haven_engine.run("return window.__noReload === true"), "the page reloaded"
    assert COOKIE_NAME in haven_engine.cookies()
    haven_engine.open("/")
    assert not banner.is_shown(), "the banner came back after consent"


def test_rejecting_sets_no_optional_cookie(haven_engine: Engine) -> None:
    haven_engine.open("/")
    CookieBanner(haven_engine).reject()
    haven_engine.open("/")
    assert not CookieBanner(haven_engine).is_shown()
    cookies = haven_engine.cookies()
    assert COOKIE_NAME in cookies
    assert not script_set(cookies, GATED) and not script_set(cookies, "demo_preferences")


def test_saving_on_the_cookies_page(haven_engine: Engine) -> None:
    haven_engine.open("/cookies")
    settings = CookieSettings(haven_engine)
    settings.set("analytics", True)
    settings.set("preferences", False)
    settings.save()
    haven_engine.wait_until(
        lambda: haven_engine.cookies().get(GATED) == "1", message="the analytics script never ran"
    )
    assert not script_set(haven_engine.cookies(), "demo_preferences")
    assert settings.is_set("analytics", True) and settings.is_set("preferences", False)
