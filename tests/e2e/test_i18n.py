"""The scripts speak the page's language: their texts come from the server's catalogue.

Each test reads the Welsh texts the script shows or announces (the count,
the quick exit's status, a notice made by haven.showError, a failed save),
so an English string left in a script fails here.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from flask_haven.testing import CookieBanner, CookieSettings, ErrorNotice, FeedbackForm, QuickExit

from .conftest import HeldExit, open_page, report_after_quick_exit


def test_the_live_count_is_in_welsh(page: Page) -> None:
    open_page(page, "/feedback?lang=cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    form = FeedbackForm(page, language="cy")
    expect(page.get_by_text("Nodau ar ôl: 1,200", exact=True)).to_be_visible()
    form.textbox.press_sequentially("Helo")
    expect(page.get_by_text("Nodau ar ôl: 1,196", exact=True)).to_be_visible()
    expect(page.locator("[aria-live=polite]")).to_have_text("Nodau ar ôl: 1,196", timeout=3000)
    form.textbox.fill("a" * 1201)
    expect(page.get_by_text("Nodau dros y terfyn: 1", exact=True)).to_be_visible()


def test_the_quick_exit_announces_leaving_in_welsh(page: Page, held_exit: HeldExit) -> None:
    open_page(page, "/?lang=cy")
    seen = report_after_quick_exit(
        page,
        """() => {
          const status = document.querySelector('[role=status]')
          return { text: status.textContent, lang: status.lang }
        }""",
    )
    quick_exit = QuickExit(page, language="cy")
    expect(quick_exit.hint).to_be_visible()
    quick_exit.press_escape()
    page.wait_for_timeout(200)
    assert seen == [{"text": "Yn gadael y wefan hon", "lang": "cy"}]


def test_a_notice_made_by_the_script_is_in_welsh(page: Page) -> None:
    open_page(page, "/?lang=cy")
    page.evaluate("() => window.haven.showError(document.querySelector('main'))")
    notice = ErrorNotice(page, language="cy")
    notice.assert_shown("Mae'n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni.")
    notice.dismiss()  # the button's name is Welsh too: "Cuddio'r neges hon"
    notice.assert_hidden()


@pytest.mark.allow_console_errors
def test_a_failed_cookie_choice_is_reported_in_welsh(page: Page) -> None:
    def fail(route: Route) -> None:
        route.fulfill(status=503, content_type="application/json", body="{}")

    page.route("**/_haven/consent", fail)
    open_page(page, "/?lang=cy")
    banner = CookieBanner(page, language="cy")
    expect(banner.region).to_have_accessible_name("Cwcis ar wefan Heddlu Harrowdale")
    banner.accept_button.click()
    ErrorNotice(page, within=banner.region, language="cy").assert_shown()
    assert "haven_consent" not in {cookie["name"] for cookie in page.context.cookies()}


def test_switching_language_from_the_header(page: Page) -> None:
    open_page(page, "/feedback")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rhoi adborth")
    # The choice lasts: the next page is Welsh too, and English is one click away.
    page.goto("/cookies")
    settings = CookieSettings(page, language="cy")
    settings.set("cwcis dadansoddi", allowed=False)
    settings.set("cwcis dewisiadau", allowed=True)
    settings.save()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(CookieSettings(page).save_button).to_be_visible()
