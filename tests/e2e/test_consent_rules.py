"""Consent by the 2026 rules in a real browser (issue 19), and clearing that clears
(issue 17, item 7): one demo variant, served once for the module, checked with
JavaScript on and off, in English and Welsh.

The variant's analytics category relies on the UK statistics exception, its
cookie is declared on two paths and the parent domain, the choice is shared
across ``*.app.localhost`` (Chromium resolves every ``*.localhost`` name to
this machine), and Google Consent Mode is mapped (a ``gtag`` stub records what
Google's tags would be told). The QA plugin's three ICO checks run on it with
its policy: with the exception, what it sets before a choice is allowed, and
nothing may be left after a refusal. The server-side rules are in
tests/test_consent_rules.py; the demo without the exception in
tests/e2e/test_cookies.py and the QA toolkit's own runs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Route, expect

from demo_app import create_app
from demo_app.policies import statistics_policy
from flask_haven.consent import COOKIE_NAME, Policy
from flask_haven.testing import CookieBanner, CookieSettings, assert_no_csp_violations
from flask_haven.testing.compliance import (
    check_nothing_after_refusal,
    check_nothing_before_choice,
    check_reject_as_prominent,
)
from flask_haven.testing.plugin import LiveServer
from flask_haven.testing.watch import watch_context

from .conftest import open_page

# Records every gtag() call, as Google's tag would receive it.
GTAG_STUB = (
    "window.__gtag = []; window.gtag = function () { window.__gtag.push([].slice.call(arguments)) }"
)
DENIED = {
    "analytics_storage": "denied",
    "ad_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
}
# Left from before the visit: on another path, and on the parent domain.
OLD_COOKIES = [
    {"name": "demo_analytics", "value": "old", "domain": "www.app.localhost", "path": "/feedback"},
    {"name": "demo_analytics", "value": "old", "domain": ".app.localhost", "path": "/"},
]


def variant_policy() -> Policy:
    policy = statistics_policy()
    categories = []
    for category in policy.categories:
        if category.name == "analytics":
            (cookie,) = category.cookies
            placed = dataclasses.replace(
                cookie, paths=("/", "/feedback"), domains=("app.localhost",)
            )
            category = dataclasses.replace(category, cookies=(placed,))
        categories.append(category)
    return dataclasses.replace(policy, categories=tuple(categories))


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Policy]]:
    """The demo under the statistics exception, sharing its choice across app.localhost."""
    policy = variant_policy()
    app: Flask = create_app(
        {
            "INSTANCE_PATH": tmp_path_factory.mktemp("rules") / "instance",
            "HAVEN_CONSENT_POLICY": policy,
            "HAVEN_CONSENT_COOKIE_DOMAIN": "app.localhost",
            "HAVEN_CONSENT_GOOGLE_CONSENT_MODE": {
                "analytics": ["analytics_storage"],
                "preferences": ["ad_storage", "ad_user_data", "ad_personalization"],
            },
        }
    )
    server = LiveServer(app).start()
    port = server.url.rsplit(":", 1)[1]
    yield f"http://{{}}.app.localhost:{port}", policy
    server.stop()


def analytics_cookies(context: BrowserContext) -> list[tuple[str, str, str]]:
    return sorted(
        (c["domain"], c["path"], c["value"])
        for c in context.cookies()
        if c["name"] == "demo_analytics"
    )


def new_context(browser: Browser, **kwargs: Any) -> BrowserContext:
    context = browser.new_context(**kwargs)
    watch_context(context)
    context.add_cookies(OLD_COOKIES)  # type: ignore[arg-type]
    return context


def only_the_consent_cookie(route: Route) -> None:
    """Pass the save through, but drop the server's own clearing headers, so
    what is cleared after it was cleared by the page's script.

    Playwright's own fetch resolves names itself, without Chromium's
    ``*.localhost`` rule: it goes to 127.0.0.1 with the page's Host header.
    """
    request = route.request
    host = request.url.split("/")[2]
    loopback = request.url.replace(host, "127.0.0.1:" + host.rsplit(":", 1)[1], 1)
    response = route.fetch(url=loopback, headers={**request.all_headers(), "host": host})
    kept = [h["value"] for h in response.headers_array if h["name"].lower() == "set-cookie"]
    consent = [value for value in kept if value.startswith(COOKIE_NAME + "=")]
    headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
    headers["set-cookie"] = "\n".join(consent)
    route.fulfill(response=response, headers=headers)


def test_with_javascript_the_exception_the_ico_checks_subdomains_and_consent_mode(
    browser: Browser, variant: tuple[str, Policy]
) -> None:
    site, policy = variant
    context = new_context(browser)
    context.add_init_script(GTAG_STUB)
    page = context.new_page()
    open_page(page, site.format("www") + "/")
    banner = CookieBanner(page)
    expect(banner.region).to_contain_text(
        "which UK law allows without asking first, unless you object"
    )
    # On before any choice: the gated script ran, and every API says so.
    page.wait_for_function("() => document.cookie.includes('demo_analytics=1')")
    assert page.evaluate("() => haven.consent.allows('analytics')") is True
    assert page.evaluate("() => window.__gtag") == [
        ["consent", "default", DENIED],
        ["consent", "update", {**DENIED, "analytics_storage": "granted"}],
    ]
    # ICO check 1 with the policy: what the exception sets is allowed before a choice.
    assert check_nothing_before_choice(page, policy) == []
    # ICO check 2: reject is as prominent, and one press refuses (and objects).
    page.route("**/_haven/consent", only_the_consent_cookie)
    assert check_reject_as_prominent(page) == []
    expect(banner.rejected).to_be_visible()
    expect(banner.accepted).to_be_hidden()
    # The page's script cleared the cookie on every declared path and domain
    # (the server's clearing headers were held back), even on a path it cannot see.
    assert analytics_cookies(context) == []
    assert page.evaluate("() => window.__gtag.at(-1)") == ["consent", "update", DENIED]
    page.unroute("**/_haven/consent")
    # ICO check 3: nothing after the refusal, and the banner does not ask again.
    assert check_nothing_after_refusal(page, policy) == []
    # The choice is shared with the other subdomain.
    open_page(page, site.format("help") + "/")
    banner.assert_hidden()
    assert page.evaluate("() => haven.consent.allows('analytics')") is False
    assert_no_csp_violations(page)

    # In Welsh, on the other subdomain, from the start: accept, then object on
    # the cookies page in one action, without a reload.
    context.clear_cookies()
    page.goto(site.format("help") + "/language/cy?next=/cookies")
    welsh = CookieBanner(page, language="cy")
    welsh.assert_hidden()  # never on the cookies page, in any language
    open_page(page, site.format("help") + "/")
    welsh.accept()
    expect(welsh.accepted).to_be_visible()
    expect(welsh.accepted).to_have_text("Rydych wedi derbyn cwcis ychwanegol.")
    page.wait_for_function("() => document.cookie.includes('demo_preferences=1')")
    welsh.region.get_by_role("link", name="dudalen cwcis").click()
    expect(page).to_have_url(re.compile(r"/cookies\?return_to=%2F$"))
    page.evaluate("() => { window.__havenNoReload = true }")
    analytics = page.get_by_role("group", name=re.compile("dadansoddi"))
    expect(analytics.get_by_role("radio", name="Ydw", exact=True)).to_be_checked()
    reference_before = page.locator("[data-haven-receipt] code").inner_text()
    page.get_by_role("button", name="Gwrthwynebu cwcis dadansoddi").click()
    success = CookieSettings(page, language="cy").success
    expect(success).to_be_focused()
    expect(
        success.get_by_role("link", name="Ewch yn ôl i'r dudalen roeddech chi'n edrych arni")
    ).to_have_attribute("href", "/")
    expect(analytics.get_by_role("radio", name="Nac ydw", exact=True)).to_be_checked()
    expect(page.get_by_role("button", name="Gwrthwynebu cwcis dadansoddi")).to_be_hidden()
    # The receipt shows the new record, without a reload.
    expect(page.locator("[data-haven-receipt] code")).not_to_have_text(reference_before)
    assert page.evaluate("() => window.__havenNoReload === true")
    assert analytics_cookies(context) == []
    assert page.evaluate("() => haven.consent.allows('preferences')") is True
    assert page.evaluate("() => window.__gtag.at(-1)") == [
        "consent",
        "update",
        {
            **DENIED,
            "ad_storage": "granted",
            "ad_user_data": "granted",
            "ad_personalization": "granted",
        },
    ]
    assert_no_csp_violations(page)
    context.close()


def test_without_javascript_reject_clears_every_path_and_domain_in_welsh_and_english(
    browser: Browser, variant: tuple[str, Policy]
) -> None:
    site, _ = variant
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(site.format("www") + "/language/cy?next=/")
    welsh = CookieBanner(page, language="cy")
    expect(welsh.region).to_contain_text("oni bai eich bod yn gwrthwynebu")
    welsh.reject_button.click()
    expect(welsh.rejected).to_have_text("Rydych wedi gwrthod cwcis ychwanegol.")
    # The server alone cleared the cookie on the other path and the parent domain.
    assert analytics_cookies(context) == []
    # On the cookies page: the objection stands, and the receipt has the reference.
    welsh.region.get_by_role("link", name="dudalen cwcis").click()
    analytics = page.get_by_role("group", name=re.compile("dadansoddi"))
    expect(analytics.get_by_role("radio", name="Nac ydw", exact=True)).to_be_checked()
    expect(page.get_by_role("button", name="Gwrthwynebu cwcis dadansoddi")).to_have_count(0)
    reference = next(c["value"] for c in context.cookies() if c["name"] == COOKIE_NAME).split(".")[
        4
    ]
    expect(page.locator("[data-haven-receipt] code")).to_have_text(reference)
    # In English: allow it again, then object in one press.
    page.goto(site.format("www") + "/language/en?next=/cookies%3Freturn_to%3D%252Ffeedback")
    settings = CookieSettings(page)
    settings.set("analytics", True)
    settings.save()
    expect(
        settings.success.get_by_role("link", name="Go back to the page you were looking at")
    ).to_have_attribute("href", "/feedback")
    page.get_by_role("button", name="Object to analytics cookies").click()
    expect(settings.success).to_be_visible()
    expect(settings.group("analytics").get_by_role("radio", name="No")).to_be_checked()
    # Shared across subdomains without JavaScript too.
    page.goto(site.format("help") + "/")
    CookieBanner(page).assert_hidden()
    assert page.locator("html").get_attribute("data-haven-consent") == ""
    context.close()
