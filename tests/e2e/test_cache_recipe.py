"""The nginx recipe (docs/examples/deploy/nginx-cache.conf), run with Debian's nginx.

One nginx for the module, in front of the demo app (served in this process),
configured from the very file the docs tell a site to copy. Checked over
plain HTTP first (what the cache stores, for whom), then in Chromium with and
without JavaScript: the consent flows and the quick exit work through it, and
nobody who has chosen (or has a session) is ever given a stored page.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page

from demo_app import create_app
from flask_haven.testing import (
    CookieBanner,
    QuickExit,
    assert_no_console_errors,
    assert_no_csp_violations,
)
from flask_haven.testing.plugin import LiveServer
from flask_haven.testing.watch import watch_context

from .. import services
from .conftest import EXIT_URL, fulfill_exit_page, wait_for_enhancement

RECIPE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "deploy" / "nginx-cache.conf"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo as shipped (it allows shared caches five minutes), in this process."""
    app: Flask = create_app({"INSTANCE_PATH": tmp_path_factory.mktemp("cache") / "instance"})
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cache(site: LiveServer) -> Iterator[str]:
    """nginx with the recipe, its upstream pointed at the demo; yields nginx's URL."""
    upstream = urlsplit(site.url).netloc
    recipe = RECIPE.read_text(encoding="utf-8")
    assert "server 127.0.0.1:8000;" in recipe, "the recipe's upstream line moved"
    manager = services.nginx(recipe.replace("server 127.0.0.1:8000;", f"server {upstream};"))
    try:
        url = manager.__enter__()
    except services.ServiceUnavailable as error:
        pytest.skip(f"nginx is unavailable here: {error}")
    yield url
    manager.__exit__(None, None, None)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache-Status", "")

    @property
    def cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []

    def cookie(self, name: str) -> str:
        """``name=value`` of the cookie this answer set (for the next request)."""
        found = [c.split(";", 1)[0] for c in self.cookies if c.startswith(name + "=")]
        assert found, f"no {name} cookie set: {self.cookies}"
        return found[0]


def ask(
    base: str,
    path: str,
    method: str = "GET",
    *,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request through the cache, on a fresh connection, as a browser without JS would."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        body = urlencode(form).encode() if form is not None else None
        sent = {"Content-Type": FORM} if body is not None else {}
        connection.request(method, path, body=body, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def lang(body: bytes) -> str:
    match = re.search(rb'<html lang="([^"]+)"', body)
    assert match
    return match.group(1).decode()


def asks_for_consent(body: bytes) -> bool:
    """The banner's question is shown (not hidden behind a confirmation)."""
    return b'class="haven-cookie-banner__question">' in body


# A browser posting from the page it was shown says so.
OURS = {"Sec-Fetch-Site": "same-origin"}


def test_first_visits_come_from_the_cache_the_same_for_everyone(cache: str) -> None:
    first = ask(cache, "/?from=first-visit")
    second = ask(cache, "/?from=first-visit")
    assert first.status == second.status == 200
    assert (first.cache, second.cache) == ("MISS", "HIT")
    assert first.body == second.body
    assert first.cookies == second.cookies == [], "a first visit got a cookie"
    assert asks_for_consent(second.body)
    # Browsers are still told to keep nothing (Back after the quick exit).
    assert second.headers["Cache-Control"] == "no-store"
    bundle = re.search(rb'src="(/_haven/static/dist/haven\.[0-9a-f]+\.js)"', first.body)
    assert bundle
    path = bundle.group(1).decode()
    assert [ask(cache, path).cache for _ in range(2)][-1] == "HIT"


def test_each_language_and_privacy_signal_gets_its_own_copy(cache: str) -> None:
    variants = {
        "english": {"Accept-Language": "en-GB,en;q=0.9"},
        "welsh": {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"},
        "gpc": {"Sec-GPC": "1", "Accept-Language": "en-GB,en;q=0.9"},
    }
    answers = {name: [ask(cache, "/?from=variants", headers=h) for _ in range(2)]
               for name, h in variants.items()}  # fmt: skip
    for name, (first, second) in answers.items():
        assert second.cache == "HIT", name
        assert first.body == second.body, name
    assert lang(answers["english"][1].body) == "en"
    assert lang(answers["welsh"][1].body) == "cy"
    assert b"Derbyn cwcis ychwanegol" in answers["welsh"][1].body
    assert asks_for_consent(answers["english"][1].body)
    assert not asks_for_consent(answers["gpc"][1].body), "GPC was given another's page"


def test_nobody_with_a_cookie_is_given_a_stored_page(cache: str) -> None:
    path = "/?from=cookies"
    assert ask(cache, path).status == 200
    assert ask(cache, path).cache == "HIT"
    chose = ask(cache, "/_haven/consent", "POST", form={"cookies": "reject"}, headers=OURS)
    assert chose.status == 303
    consent = chose.cookie("haven_consent")
    for cookie in (consent, chose.cookie("session"), "anything=1"):
        answer = ask(cache, path, headers={"Cookie": cookie})
        assert answer.cache == "BYPASS", cookie
    with_consent = ask(cache, path, headers={"Cookie": consent})
    assert not asks_for_consent(with_consent.body), "the banner came back after a choice"
    assert 'data-haven-consent=""' in with_consent.body.decode()
    # And the page it was answered with was not stored for the next visitor.
    assert asks_for_consent(ask(cache, path).body)


def test_the_consent_flows_work_through_the_cache(cache: str) -> None:
    host = urlsplit(cache).netloc
    for choice, source in (
        ("accept", OURS),
        # An old browser without Fetch Metadata: the recipe passes the Host on,
        # so the app can match the Origin against it.
        ("reject", {"Origin": f"http://{host}"}),
    ):
        answer = ask(
            cache, "/_haven/consent", "POST",
            form={"cookies": choice, "return_to": "/?from=flow"}, headers=source,
        )  # fmt: skip
        assert answer.status == 303 and answer.headers["Location"] == "/?from=flow", choice
        cookies = "; ".join((answer.cookie("haven_consent"), answer.cookie("session")))
        confirmed = ask(cache, "/?from=flow", headers={"Cookie": cookies})
        assert confirmed.cache == "BYPASS"
        assert b"data-haven-confirmation autofocus" in confirmed.body, choice
    fetched = ask(
        cache, "/_haven/consent", "POST", form={"cookies": "accept"},
        headers={**OURS, "Accept": "application/json"},
    )  # fmt: skip
    assert fetched.status == 200 and fetched.cookie("haven_consent")
    for elsewhere in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
        for url, form in (("/_haven/consent", {"cookies": "accept"}), ("/cookies", {"analytics": "yes", "preferences": "yes"})):  # fmt: skip
            refused = ask(cache, url, "POST", form=form, headers=elsewhere)
            assert refused.status == 403 and refused.cookies == [], (url, elsewhere)


def test_the_quick_exit_and_the_feedback_form_are_never_stored(cache: str) -> None:
    for _ in range(2):
        leave = ask(cache, "/_haven/quick-exit", headers=OURS)
        assert leave.status == 303 and leave.headers["Location"] == EXIT_URL
        assert "cookies" in leave.headers["Clear-Site-Data"] and leave.cache != "HIT"
        cleared = ask(cache, "/_haven/quick-exit", "POST", headers=OURS)
        assert cleared.status == 204 and "cookies" in cleared.headers["Clear-Site-Data"]
    assert (
        ask(cache, "/_haven/quick-exit", "POST", headers={"Sec-Fetch-Site": "cross-site"}).status
        == 403
    )
    forms = [ask(cache, "/feedback") for _ in range(2)]
    assert [f.cache for f in forms] == ["MISS", "MISS"]
    assert forms[0].cookie("session") != forms[1].cookie("session"), "one session for two people"


# -- in a browser ----------------------------------------------------------------------


@pytest.fixture
def visitor(browser: Browser, cache: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new visitor's browser, pointed at the cache (JavaScript as parametrised)."""
    context: BrowserContext = browser.new_context(base_url=cache, java_script_enabled=request.param)
    watch_context(context, site=cache)
    context.route(EXIT_URL + "**", fulfill_exit_page)
    page = context.new_page()
    yield page
    assert_no_csp_violations(page)
    assert_no_console_errors(page)
    context.close()


@pytest.mark.parametrize("visitor", [True], ids=["javascript"], indirect=True)
def test_accept_then_escape_through_the_cache(visitor: Page, cache: str) -> None:
    ask(cache, "/?from=browser")  # another visitor filled the cache
    response = visitor.goto("/?from=browser")
    assert response is not None and response.headers["x-cache-status"] == "HIT"
    wait_for_enhancement(visitor)
    CookieBanner(visitor).accept()
    response = visitor.reload()
    assert response is not None and response.headers["x-cache-status"] == "BYPASS"
    assert visitor.get_by_role("region", name=re.compile("^Cookies on")).count() == 0
    wait_for_enhancement(visitor)
    quick_exit = QuickExit(visitor)
    quick_exit.press_escape()
    quick_exit.assert_left()


@pytest.mark.parametrize("visitor", [False], ids=["no-javascript"], indirect=True)
def test_reject_without_javascript_through_the_cache(visitor: Page, cache: str) -> None:
    ask(cache, "/?from=no-js")  # another visitor filled the cache
    response = visitor.goto("/?from=no-js")
    assert response is not None and response.headers["x-cache-status"] == "HIT"
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Reject additional cookies").click()
    assert visitor.url.endswith("/?from=no-js"), "the form did not lead back to the page"
    assert visitor.get_by_text("Your cookie preferences have been saved").is_visible()
    response = visitor.goto("/?from=no-js")
    assert response is not None and response.headers["x-cache-status"] == "BYPASS"
    assert visitor.get_by_role("region", name=re.compile("^Cookies on")).count() == 0
    quick_exit = QuickExit(visitor)
    quick_exit.leave_by_link()
    quick_exit.assert_left()
