"""Cookie consent in Chromium, Firefox and WebKit with the page's JavaScript off:
the banner's buttons and the cookies page are plain forms."""

from __future__ import annotations

from flask_haven.consent import COOKIE_NAME
from flask_haven.testing.engines import CookieBanner, CookieSettings, Engine

from .conftest import GATED, script_set


def test_accepting_without_javascript(haven_engine_nojs: Engine) -> None:
    engine = haven_engine_nojs
    engine.open("/")
    banner = CookieBanner(engine)
    banner.accept()  # a form POST, then the server's redirect back
    assert "Your cookie preferences have been saved" in engine.focused_text()
    cookies = engine.cookies()
    assert COOKIE_NAME in cookies
    assert not script_set(cookies, GATED), "no script may run without JavaScript"


def test_rejecting_and_hiding_without_javascript(haven_engine_nojs: Engine) -> None:
    engine = haven_engine_nojs
    engine.open("/")
    banner = CookieBanner(engine)
    banner.reject()
    banner.hide()
    engine.wait_until(lambda: not banner.is_shown(), message="the banner did not hide")
    assert COOKIE_NAME in engine.cookies()


def test_saving_on_the_cookies_page_without_javascript(haven_engine_nojs: Engine) -> None:
    engine = haven_engine_nojs
    engine.open("/cookies")
    settings = CookieSettings(engine)
    settings.set("analytics", False)
    settings.set("preferences", True)
    settings.save()
    assert settings.is_set("analytics", False) and settings.is_set("preferences", True)
    assert not script_set(engine.cookies(), GATED), "no script may run without JavaScript"
