"""The integration matrix without JavaScript (the rows of test_matrix.py).

A file of its own so that, under pytest-xdist's ``--dist loadfile``, it runs
on another worker than the JavaScript flows; each file serves its sites once.
"""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, expect

from .sites import EXIT_URL
from .test_matrix import SAVED, Site, _banner, _consent_cookie, contexts, site

__all__ = ["contexts", "site"]  # fixtures, used by name


def test_key_flows_without_javascript(
    site: Site, contexts: tuple[BrowserContext, BrowserContext]
) -> None:
    context = contexts[1]
    page = context.new_page()
    for button, word in (("Reject", "rejected"), ("Accept", "accepted")):
        context.clear_cookies()
        page.goto(site.at("/"))
        _banner(page, site).get_by_role("button", name=f"{button} additional cookies").click()
        # The redirect comes back to the page, inside the prefix.
        assert page.url == site.at("/"), (word, page.url)
        expect(page.get_by_text(SAVED)).to_be_visible()
        assert _consent_cookie(context)["path"] == (site.prefix or "/")

    page.goto(site.at("/cookies"))
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save cookie settings").click()
    expect(page.get_by_text(re.compile("saved"))).to_be_visible()
    assert page.url == site.at("/cookies")

    page.goto(site.at("/feedback"))
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error:")
    page.get_by_label("Your feedback").fill("Works without scripts too.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    assert page.url.startswith(site.at("/feedback/thanks"))

    page.goto(site.at("/"))
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(EXIT_URL + "**")
