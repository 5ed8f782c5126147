"""Example sites built as integrators build them, each driven through the key flows.

One row per way a site is put together: its own layout (the docs' snippet),
mounted under a prefix by ``DispatcherMiddleware`` or behind a proxy with
ProxyFix ``x_prefix``, beside ``CSRFProtect`` (with Flask-Login,
Flask-SQLAlchemy and the site's own Flask-Babel), beside Talisman, and two
apps from one factory in one process. Each site is served once for the
module; each row runs its flows in one JavaScript context and one without, in
order (the flows share cookies on purpose: accepting, then saving on the
cookies page, is what a person does).

The seventh row, debug on and installed from the built wheel without extras,
is the same site served by a subprocess from a fresh venv: test_wheel.py
collects these same flow tests (and those of test_matrix_no_js.py) with a
``site`` fixture of its own, param "wheel", so that under ``--dist loadfile``
one worker builds the venv once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as WerkzeugResponse

from flask_haven import Haven
from flask_haven.security import DEFAULT_CSP
from flask_haven.testing.plugin import LiveServer

from .sites import EXIT_URL, make_site

PREFIX = "/gethelp"
SAVED = "Your cookie preferences have been saved"


@dataclass
class Site:
    """A served example: where it is, and the prefix its pages live under."""

    url: str
    prefix: str
    name: str = "Safe Haven Trust"

    def at(self, path: str) -> str:
        return f"{self.url}{self.prefix}{path}"


def _not_found(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    return WerkzeugResponse("not this app", status=404)(environ, start_response)


def _behind_proxy(app: Flask, prefix: str) -> Callable[..., Any]:
    """A reverse proxy in miniature: strips ``prefix`` and says so in X-Forwarded-Prefix."""
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)  # type: ignore[method-assign]

    def proxy(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if not (path == prefix or path.startswith(prefix + "/")):
            return _not_found(environ, start_response)
        environ["PATH_INFO"] = path[len(prefix) :] or "/"
        environ["HTTP_X_FORWARDED_PREFIX"] = prefix
        environ["HTTP_X_FORWARDED_FOR"] = "127.0.0.1"
        environ["HTTP_X_FORWARDED_PROTO"] = "http"
        environ["HTTP_X_FORWARDED_HOST"] = environ.get("HTTP_HOST", "")
        return app(environ, start_response)

    return proxy


def _with_site_extensions(tmp: Path) -> Flask:
    """CSRFProtect for the whole app, Flask-Login, Flask-SQLAlchemy and the site's Flask-Babel."""
    from flask_babel import Babel
    from flask_login import LoginManager
    from flask_sqlalchemy import SQLAlchemy
    from flask_wtf.csrf import CSRFProtect

    site_db = SQLAlchemy()
    csrf = CSRFProtect()
    login = LoginManager()

    def build(app: Flask) -> None:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp / 'site-own.sqlite3'}"
        site_db.init_app(app)
        login.init_app(app)
        login.user_loader(lambda user_id: None)
        Babel(app)
        csrf.init_app(app)  # after Haven: the late case

    app = make_site(tmp=tmp)
    build(app)
    with app.app_context():
        site_db.session.execute(site_db.text("create table visits (id integer primary key)"))
        site_db.session.commit()
    return app


def build_case(name: str, tmp: Path) -> tuple[Callable[..., Any], str]:
    """The WSGI app of one row, and the prefix its pages are under."""
    if name == "own-layout":
        return make_site(tmp=tmp), ""
    if name == "dispatcher":
        return DispatcherMiddleware(_not_found, {PREFIX: make_site(tmp=tmp)}), PREFIX
    if name == "proxyfix":
        return _behind_proxy(make_site(tmp=tmp), PREFIX), PREFIX
    if name == "csrfprotect":
        return _with_site_extensions(tmp), ""
    if name == "talisman":
        from flask_talisman import Talisman

        app = make_site(tmp=tmp)
        Talisman(
            app,
            force_https=False,
            content_security_policy=DEFAULT_CSP,
            referrer_policy="no-referrer",
            session_cookie_secure=False,
        )
        return app, ""
    if name == "factory":
        # One Haven() object, two apps (the application factory pattern), one process.
        haven = Haven()
        one = make_site(tmp=tmp / "one", haven=haven)
        two = make_site("Second Site", tmp=tmp / "two", haven=haven, layout=SECOND_LAYOUT)
        return DispatcherMiddleware(_not_found, {"/one": one, "/two": two}), "/one"
    raise AssertionError(name)


# The second factory app wears the library's own layout.
SECOND_LAYOUT = '{% extends "haven/layout.html" %}'

CASES = ("own-layout", "dispatcher", "proxyfix", "csrfprotect", "talisman", "factory")


@pytest.fixture(scope="module", params=CASES)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp(request.param)
    for folder in ("one", "two"):
        (tmp / folder).mkdir()
    wsgi, prefix = build_case(request.param, tmp)
    server = LiveServer(wsgi).start()
    yield Site(server.url, prefix)
    server.stop()


def _exit_page(route: Route) -> None:
    route.fulfill(
        status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
    )


@pytest.fixture
def contexts(browser: Browser) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    with_js = browser.new_context()
    without_js = browser.new_context(java_script_enabled=False)
    for context in (with_js, without_js):
        context.route(EXIT_URL + "**", _exit_page)
    yield with_js, without_js
    with_js.close()
    without_js.close()


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _consent_cookie(context: BrowserContext) -> dict[str, Any]:
    return next(c for c in context.cookies() if c["name"] == "haven_consent")


def _banner(page: Page, site: Site) -> Any:
    return page.get_by_role("region", name=re.compile(r"^Cookies on"))


def test_key_flows_with_javascript(
    site: Site, contexts: tuple[BrowserContext, BrowserContext]
) -> None:
    context = contexts[0]
    page = context.new_page()
    errors = _console_errors(page)
    page.goto(site.at("/"))
    page.wait_for_function("() => document.body.classList.contains('haven-js-enabled')")

    # Every link the library made stays inside the prefix.
    banner = _banner(page, site)
    # (carrying the app-relative page to link back to after saving)
    expect(banner.get_by_role("link", name="Customise cookies")).to_have_attribute(
        "href", f"{site.prefix}/cookies?return_to=%2F"
    )
    expect(page.get_by_role("link", name="Tell us what you think")).to_have_attribute(
        "href", f"{site.prefix}/feedback?return_to=/"
    )
    leave = page.get_by_role("link", name="Leave this site")
    expect(leave).to_have_attribute("href", EXIT_URL)
    expect(leave).to_have_css("display", re.compile(r"^(?!inline$)"))  # styled, not a plain link

    # Accept: the gated script runs at once, with every attribute the site gave it.
    banner.get_by_role("button", name="Accept additional cookies").click()
    expect(banner.get_by_text(SAVED)).to_be_visible()
    expect(page.locator('script[data-haven-consent="analytics"][src]')).to_have_attribute(
        "integrity", re.compile(r"^sha384-")
    )
    page.wait_for_function("() => document.cookie.includes('site_analytics=1')")
    assert _consent_cookie(context)["path"] == (site.prefix or "/")
    banner.get_by_role("button", name="Hide cookie message").click()
    assert page.evaluate("document.activeElement.id") == "main-content"

    # The cookies page: withdraw, save, and the analytics cookie goes.
    page.goto(site.at("/cookies"))
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save cookie settings").click()
    expect(page.get_by_text(re.compile("saved"))).to_be_visible()
    assert not any(c["name"] == "site_analytics" for c in context.cookies())
    assert page.url.startswith(site.at("/cookies"))

    # Feedback, from the phase banner and back again.
    page.goto(site.at("/"))
    page.get_by_role("link", name="Tell us what you think").click()
    page.get_by_label("Your feedback").fill("Clear and calm, thank you.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    page.get_by_role("link", name="Go back to the page you were on").click()
    page.wait_for_url(site.at("/"))

    # Error pages wear the layout, quick exit included.
    for path, status in (("/gone", 404), ("/boom", 500)):
        response = page.goto(site.at(path))
        assert response is not None and response.status == status
        expect(page.get_by_role("link", name="Leave this site")).to_be_visible()
        assert "Traceback" not in page.content()

    # Quick exit, last: it leaves the site.
    page.goto(site.at("/"))
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(EXIT_URL + "**")
    unexpected = [e for e in errors if not re.search(r"status of (404|500)", e)]
    assert not unexpected, unexpected
