"""Journey protection: after the quick exit, Back goes to the page before the visit.

The demo turns it on for the whole site. Each test starts on another site (a
search results page, answered by the test), follows a link into the demo and
moves around it the ways people do: links, a form answered with its errors, a
form answered with a redirect, a GET form and the site's own "go back" link.
The tab's history must not grow on any of those steps, and after the exit
Back must land on the search results.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from flask_haven.testing import FeedbackForm, QuickExit

from .conftest import EXIT_URL, wait_for_enhancement

BEFORE_URL = "https://search.example/results"
ELSEWHERE_URL = "https://elsewhere.example/"


def arrive_from_a_search(page: Page, base_url: str) -> int:
    """Open the search results, follow their link into the demo; the tab's history length."""

    def results(route: Route) -> None:
        route.fulfill(
            content_type="text/html",
            body="<!DOCTYPE html><html lang='en'><title>Search results</title>"
            f"<a href='{base_url}/'>Northfield Council</a></html>",
        )

    page.context.route(BEFORE_URL, results)
    page.goto(BEFORE_URL)
    page.get_by_role("link", name="Northfield Council").click()
    page.wait_for_url(f"{base_url}/")
    wait_for_enhancement(page)
    return int(page.evaluate("history.length"))


def step(page: Page, url: str | re.Pattern[str], entries: int) -> None:
    """The page arrived, its script runs, and it took the last page's place in history."""
    page.wait_for_url(url)
    wait_for_enhancement(page)
    assert page.evaluate("history.length") == entries, f"{page.url} added a history entry"


def test_back_after_the_exit_goes_to_the_page_before_the_visit(page: Page, base_url: str) -> None:
    entries = arrive_from_a_search(page, base_url)

    page.get_by_role("link", name="let us know what you think").click()
    step(page, re.compile(r"/feedback\?"), entries)

    # A form answered with the page again (its errors): shown in this entry's
    # place, with the error summary focused and "Error:" in the title.
    page.get_by_role("button", name="Send feedback").click()
    expect(page).to_have_title(re.compile("^Error: "))
    FeedbackForm(page).error_summary.assert_focused()
    assert page.evaluate("history.length") == entries

    # A form answered with a redirect: the thank-you page, loaded once, in place.
    page.get_by_role("textbox", name="Your feedback").fill("The hub's opening times helped.")
    page.get_by_role("button", name="Send feedback").click()
    step(page, re.compile(r"/feedback/thanks"), entries)
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()

    # The site's own "go back" link still works: it is an ordinary link.
    page.get_by_role("link", name="Go back to the page you were on").click()
    step(page, f"{base_url}/", entries)

    # A GET form (the header's search; the gallery's switches apply in place
    # with JavaScript, without a form submission).
    page.get_by_role("searchbox", name="Search news").fill("burglary")
    page.get_by_role("button", name="Search").click()
    step(page, re.compile(r"/news/\?q=burglary"), entries)

    page.get_by_role("link", name="Component gallery").click()
    step(page, re.compile(r"/components/$"), entries)
    page.get_by_role("link", name="Quick exit").first.click()
    step(page, re.compile(r"/components/quick-exit/$"), entries)
    # The header's language switch: a link answered with a redirect back.
    page.get_by_role("link", name="Cymraeg").click()
    step(page, re.compile(r"/components/quick-exit/$"), entries)

    # The gallery's own exit is the link alone (Escape is for the previews),
    # in the language the switch asked for.
    quick_exit = QuickExit(page, language="cy")
    quick_exit.leave_by_link()
    quick_exit.assert_left()
    page.go_back()
    expect(page).to_have_url(BEFORE_URL)
    page.go_forward()
    expect(page).to_have_url(re.compile("^" + re.escape(EXIT_URL)))


def test_back_from_another_site_then_the_exit(page: Page, base_url: str) -> None:
    """A link to another site adds an entry as usual. Coming back with Back
    (from the back/forward cache, or loaded again) the page still protects the
    journey, and the quick exit still leaves to the page before the visit."""
    entries = arrive_from_a_search(page, base_url)
    page.context.route(
        ELSEWHERE_URL,
        lambda route: route.fulfill(
            content_type="text/html", body="<!DOCTYPE html><title>Elsewhere</title><p>Elsewhere"
        ),
    )
    page.evaluate(
        """url => { const link = document.createElement('a')
                    link.href = url; link.textContent = 'A partner site'
                    document.querySelector('main').prepend(link) }""",
        ELSEWHERE_URL,
    )
    page.get_by_role("link", name="A partner site").click()
    page.wait_for_url(ELSEWHERE_URL)
    assert page.evaluate("history.length") == entries + 1
    page.go_back()
    step(page, f"{base_url}/", entries + 1)
    expect(page.get_by_role("main")).to_be_visible()

    page.get_by_role("link", name="Cookies").last.click()
    step(page, re.compile(r"/cookies$"), entries + 1)
    QuickExit(page).press_escape()
    QuickExit(page).assert_left()
    page.go_back()
    expect(page).to_have_url(BEFORE_URL)
