"""The cookie manager in a real browser: the acceptance list of issue 4.

Every test starts with a fresh browser context (no cookies), against the demo
app. Locators are roles and accessible names; the only attribute selectors are
for checks of JS-internal state (which element has focus).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from demo_app import create_app
from flask_haven.consent import COOKIE_NAME, Policy
from flask_haven.testing import (
    CookieBanner,
    CookieSettings,
    assert_accessible,
    assert_no_non_essential_cookies,
)
from flask_haven.testing.plugin import LiveServer

from .conftest import open_page, wait_for_enhancement

TECHNICAL_PROBLEM = "Sorry, there was a technical problem. Please try again."


@pytest.fixture(scope="module")
def policy(haven_app: Flask) -> Policy:
    policy: Policy = haven_app.extensions["haven"].settings.consent.policy
    return policy


def cookie_names(context: BrowserContext) -> set[str]:
    return {cookie["name"] for cookie in context.cookies()}


def wait_for_cookie(page: Page, name: str) -> None:
    page.wait_for_function(
        "(name) => document.cookie.split('; ').some((c) => c.startsWith(name + '='))",
        arg=name,
    )


def mark_page(page: Page) -> None:
    """Put a marker on the window that a reload would wipe."""
    page.evaluate("() => { window.__havenNoReload = true }")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("() => window.__havenNoReload === true"), "the page reloaded"


def focused_text(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement.textContent"))


def nojs_context(browser: Browser, base_url: str, **kwargs: Any) -> BrowserContext:
    return browser.new_context(java_script_enabled=False, base_url=base_url, **kwargs)


# -- before any choice ----------------------------------------------------------


def test_new_visitor_has_only_essential_cookies(
    page: Page, context: BrowserContext, policy: Policy
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, "/")
    expect(CookieBanner(page).region).to_be_visible()
    assert_no_non_essential_cookies(context, policy)
    open_page(page, "/cookies")
    expect(page.get_by_role("heading", name="Cookies", exact=True)).to_be_visible()
    assert_no_non_essential_cookies(context, policy)
    assert not [url for url in requested if "demo-" in url], "a gated script was fetched"
    assert page.evaluate("() => haven.consent.allows('analytics')") is False
    assert page.evaluate("() => haven.consent.allows('essential')") is True


def test_banner_region_buttons_and_link(page: Page) -> None:
    open_page(page, "/")
    banner = CookieBanner(page)
    expect(banner.region).to_have_accessible_name("Cookies on Harrowdale Police")
    expect(banner.accept_button).to_be_visible()
    expect(banner.reject_button).to_be_visible()
    accept = banner.accept_button.bounding_box()
    reject = banner.reject_button.bounding_box()
    assert accept and reject
    assert abs(accept["height"] - reject["height"]) < 1, "buttons differ in height"
    same_style = page.evaluate(
        """([a, r]) => {
          const s = (el) => { const c = getComputedStyle(el);
            return [c.backgroundColor, c.color, c.fontSize, c.fontWeight, c.borderWidth].join() }
          return s(a) === s(r)
        }""",
        [banner.accept_button.element_handle(), banner.reject_button.element_handle()],
    )
    assert same_style, "accept and reject must look the same"
    banner.customise()
    # The cookies page is told where to link back to once the person has saved.
    expect(page).to_have_url(re.compile(r"/cookies\?return_to=%2F$"))
    CookieBanner(page).assert_hidden()  # one control per decision: none on the cookies page


# -- with JavaScript --------------------------------------------------------------


def test_accept_runs_gated_scripts_without_reload(page: Page, context: BrowserContext) -> None:
    open_page(page, "/")
    mark_page(page)
    page.evaluate(
        """() => document.addEventListener('haven:consent-change',
             (event) => { window.__havenChoices = event.detail.choices })"""
    )
    banner = CookieBanner(page)
    banner.accept()
    wait_for_cookie(page, "demo_analytics")
    wait_for_cookie(page, "demo_preferences")
    assert_not_reloaded(page)
    assert page.evaluate("() => window.__havenChoices") == {"analytics": True, "preferences": True}
    assert page.evaluate("() => haven.consent.allows('analytics')") is True
    assert "Your cookie preferences have been saved" in focused_text(page)
    # It says which choice was saved, and only that one.
    expect(banner.accepted).to_be_visible()
    expect(banner.rejected).to_be_hidden()
    expect(banner.region.get_by_role("link", name="cookies page")).to_be_visible()
    assert {"demo_analytics", "demo_preferences", COOKIE_NAME} <= cookie_names(context)


def test_banner_is_gone_on_the_next_page_and_never_flashes(page: Page) -> None:
    open_page(page, "/")
    CookieBanner(page).accept()
    response = page.goto("/cookies")
    assert response is not None
    assert "haven-cookie-banner" not in response.text(), "banner markup sent with consent"
    CookieBanner(page).assert_hidden()
    # The scripts now run from real script tags the server rendered.
    wait_for_cookie(page, "demo_analytics")
    settings = CookieSettings(page)
    expect(settings.group("analytics").get_by_role("radio", name="Yes")).to_be_checked()


def test_reject_sets_no_optional_cookie_and_clears_existing_ones(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    # A cookie left from before (another path and the parent domain variants).
    context.add_cookies(
        [
            {"name": "demo_analytics", "value": "old", "url": base_url + "/"},
            {"name": "demo_preferences", "value": "old", "url": base_url + "/"},
        ]
    )
    open_page(page, "/")
    mark_page(page)
    banner = CookieBanner(page)
    banner.reject()
    expect(banner.rejected).to_be_visible()
    expect(banner.accepted).to_be_hidden()
    assert_not_reloaded(page)
    page.wait_for_timeout(200)
    names = cookie_names(context)
    assert "demo_analytics" not in names and "demo_preferences" not in names
    assert COOKIE_NAME in names
    assert page.evaluate("() => haven.consent.allows('analytics')") is False


def test_withdrawal_on_the_cookies_page_removes_the_cookie(
    page: Page, context: BrowserContext
) -> None:
    open_page(page, "/")
    CookieBanner(page).accept()
    wait_for_cookie(page, "demo_analytics")
    open_page(page, "/cookies")
    mark_page(page)
    settings = CookieSettings(page)
    settings.set("analytics", False)
    settings.save()
    assert_not_reloaded(page)
    expect(settings.success).to_be_focused()
    assert "demo_analytics" not in cookie_names(context)
    assert "demo_preferences" in cookie_names(context)
    # and it stays gone on later pages
    open_page(page, "/")
    page.wait_for_timeout(200)
    assert "demo_analytics" not in cookie_names(context)


def test_choosing_on_the_cookies_page_runs_scripts_and_removes_the_banner(
    page: Page, context: BrowserContext
) -> None:
    open_page(page, "/cookies")
    mark_page(page)
    settings = CookieSettings(page)
    settings.set("analytics", True)
    settings.set("preferences", False)
    settings.save()
    wait_for_cookie(page, "demo_analytics")
    assert_not_reloaded(page)
    assert "demo_preferences" not in cookie_names(context)
    CookieBanner(page).assert_hidden()


# The browser logs the (intended) 400 answers as failed loads.
@pytest.mark.allow_console_errors
def test_missing_choice_with_javascript_shows_errors_at_the_top_of_main(page: Page) -> None:
    open_page(page, "/cookies")
    settings = CookieSettings(page)
    settings.set("analytics", True)
    # Every question shows an answer (No when there is none), so only a
    # tampered form can miss one: take the preferences answer away.
    page.evaluate(
        """() => document.querySelectorAll('input[name="preferences"]')
                   .forEach((radio) => { radio.checked = false })"""
    )
    settings.save_button.click()
    summary = page.get_by_role("heading", name="There is a problem")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(settings.group("analytics").get_by_role("radio", name="Yes")).to_be_checked()
    # The summary comes first in <main>, before the page's heading.
    assert page.evaluate(
        """() => { const main = document.querySelector('main')
                   const first = main.querySelector('h1, [data-module="haven-error-summary"]')
                   return first.matches('[data-module="haven-error-summary"]') }"""
    )
    assert_accessible(page)


def test_keyboard_only_flow(page: Page) -> None:
    open_page(page, "/")
    banner = CookieBanner(page)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == (
            "Accept additional cookies"
        ):
            break
    else:
        pytest.fail("Tab never reached the Accept button")
    page.keyboard.press("Enter")
    expect(banner.confirmation).to_be_visible()
    assert "Your cookie preferences have been saved" in focused_text(page)
    page.keyboard.press("Tab")
    assert focused_text(page) == "cookies page"
    page.keyboard.press("Tab")
    assert focused_text(page).strip() == "Hide cookie message"
    page.keyboard.press("Enter")
    banner.assert_hidden()
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_cookies_page_by_keyboard(page: Page, context: BrowserContext) -> None:
    open_page(page, "/cookies")
    settings = CookieSettings(page)
    settings.group("analytics").get_by_role("radio", name="Yes").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the preferences group, on its checked radio: No
    assert page.evaluate("() => document.activeElement.value") == "no"
    settings.save_button.focus()
    page.keyboard.press("Enter")
    expect(settings.success).to_be_focused()
    wait_for_cookie(page, "demo_analytics")


@pytest.mark.allow_console_errors
@pytest.mark.parametrize("failure", ["500", "abort"])
def test_failure_shows_the_notice_and_records_nothing(
    page: Page, context: BrowserContext, failure: str
) -> None:
    def fail(route: Route) -> None:
        if failure == "500":
            route.fulfill(status=500, body="")
        else:
            route.abort()

    page.route("**/_haven/consent", fail)
    open_page(page, "/")
    banner = CookieBanner(page)
    banner.accept_button.click()
    alert = banner.region.get_by_role("alert")
    expect(alert).to_have_text(TECHNICAL_PROBLEM)
    expect(banner.accept_button).to_be_visible()
    expect(banner.reject_button).to_be_visible()
    expect(banner.confirmation).to_be_hidden()
    assert COOKIE_NAME not in cookie_names(context)
    assert "demo_analytics" not in cookie_names(context)
    assert_accessible(page)
    # Trying again once the server answers works.
    page.unroute("**/_haven/consent")
    banner.accept()
    wait_for_cookie(page, "demo_analytics")


@pytest.mark.allow_console_errors
def test_cookies_page_failure_shows_the_notice(page: Page, context: BrowserContext) -> None:
    page.route(
        "**/cookies",
        lambda route: (
            route.fulfill(status=503, body="{}")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    open_page(page, "/cookies")
    settings = CookieSettings(page)
    settings.set("analytics", True)
    settings.set("preferences", True)
    settings.save_button.click()
    expect(page.get_by_role("alert")).to_have_text(TECHNICAL_PROBLEM)
    assert COOKIE_NAME not in cookie_names(context)
    assert_accessible(page)


# -- without JavaScript -----------------------------------------------------------


def test_whole_flow_without_javascript(browser: Browser, base_url: str, policy: Policy) -> None:
    context = nojs_context(browser, base_url)
    page = context.new_page()
    page.goto("/feedback")
    assert_no_non_essential_cookies(context, policy)
    banner = CookieBanner(page)
    banner.accept_button.click()
    expect(page).to_have_url(re.compile(r"/feedback$"))
    expect(banner.confirmation).to_be_visible()
    expect(banner.accepted).to_be_visible()
    expect(banner.rejected).to_be_hidden()
    assert "Your cookie preferences have been saved" in focused_text(page)
    assert COOKIE_NAME in cookie_names(context)
    # Without JavaScript no script runs, so still no optional cookie.
    assert_no_non_essential_cookies(context, policy)
    # The confirmation's link leads to the cookies page, which links back after saving.
    banner.region.get_by_role("link", name="cookies page").click()
    expect(page).to_have_url(re.compile(r"/cookies\?return_to=%2Ffeedback$"))
    # Shown once: not on the next page.
    banner.assert_hidden()
    settings = CookieSettings(page)
    expect(settings.group("analytics").get_by_role("radio", name="Yes")).to_be_checked()
    settings.set("analytics", False)
    settings.save()
    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(settings.group("analytics").get_by_role("radio", name="No")).to_be_checked()
    back = page.get_by_role("link", name="Go back to the page you were looking at")
    expect(back).to_have_attribute("href", "/feedback")
    page.goto("/")
    banner.assert_hidden()
    context.close()


def test_reject_and_hide_without_javascript(browser: Browser, base_url: str) -> None:
    context = nojs_context(browser, base_url)
    page = context.new_page()
    page.goto("/")
    banner = CookieBanner(page)
    banner.reject_button.click()
    expect(banner.confirmation).to_be_visible()
    expect(banner.rejected).to_be_visible()
    expect(banner.accepted).to_be_hidden()
    banner.hide()
    expect(page).to_have_url(re.compile(r"/$"))
    banner.assert_hidden()
    context.close()


# -- policy version and GPC -------------------------------------------------------


@pytest.fixture
def bumped_server(haven_app: Flask, tmp_path: Any, policy: Policy) -> Iterator[LiveServer]:
    """The same site (same secret key) after a policy revision that changed what
    its analytics cookies are for, a purpose the person had allowed."""
    categories = tuple(
        dataclasses.replace(c, description="Counts visits and compares page designs.")
        if c.name == "analytics"
        else c
        for c in policy.categories
    )
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "bumped",
            "SECRET_KEY": haven_app.config["SECRET_KEY"],
            "HAVEN_CONSENT_POLICY": dataclasses.replace(policy, version="2", categories=categories),
        }
    )
    server = LiveServer(app).start()
    yield server
    server.stop()


def test_changing_an_allowed_purpose_brings_the_banner_back(
    page: Page, context: BrowserContext, bumped_server: LiveServer
) -> None:
    open_page(page, "/")
    CookieBanner(page).accept()
    wait_for_cookie(page, "demo_analytics")
    page.goto("/")
    CookieBanner(page).assert_hidden()
    # Cookies are shared across ports, so the other server sees this choice.
    page.goto(bumped_server.url + "/")
    wait_for_enhancement(page)
    expect(CookieBanner(page).region).to_be_visible()
    assert "demo_analytics" not in cookie_names(context), "old-version cookie survived"
    assert page.evaluate("() => haven.consent.allows('analytics')") is False


def test_global_privacy_control_is_honoured(
    browser: Browser, base_url: str, policy: Policy
) -> None:
    context = browser.new_context(base_url=base_url, extra_http_headers={"Sec-GPC": "1"})
    page = context.new_page()
    open_page(page, "/")
    CookieBanner(page).assert_hidden()
    page.wait_for_timeout(200)
    assert_no_non_essential_cookies(context, policy)
    open_page(page, "/cookies")
    expect(page.get_by_text("Global Privacy Control")).to_be_visible()
    settings = CookieSettings(page)
    # Taken as a no, and shown as one.
    expect(settings.group("analytics").get_by_role("radio", name="Yes")).not_to_be_checked()
    expect(settings.group("analytics").get_by_role("radio", name="No")).to_be_checked()
    assert_accessible(page)
    # The person can still opt in.
    settings.set("analytics", True)
    settings.set("preferences", False)
    settings.save()
    wait_for_cookie(page, "demo_analytics")
    context.close()


# -- axe on the states that are not gallery examples --------------------------------


def test_axe_banner_states(page: Page) -> None:
    open_page(page, "/")
    assert_accessible(page)
    CookieBanner(page).accept()
    assert_accessible(page)


def test_axe_cookies_page_states(page: Page) -> None:
    open_page(page, "/cookies")
    assert_accessible(page)
    settings = CookieSettings(page)
    settings.set("analytics", True)
    settings.set("preferences", True)
    settings.save()
    assert_accessible(page)


# axe runs as a script, so the no-JavaScript states are shown to it by
# blocking our bundle instead (the browser logs the blocked load).
@pytest.mark.allow_console_errors
def test_axe_states_without_javascript(page: Page) -> None:
    page.route("**/_haven/static/dist/*.js", lambda route: route.abort())
    page.goto("/")
    CookieBanner(page).accept_button.click()
    expect(CookieBanner(page).confirmation).to_be_visible()
    assert "Your cookie preferences have been saved" in focused_text(page)
    assert_accessible(page)
    page.goto("/cookies")
    CookieSettings(page).save_button.click()
    # The saved notification (top of main, with the receipt below).
    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(page.get_by_text("Quote this reference")).to_be_visible()
    assert_accessible(page)
