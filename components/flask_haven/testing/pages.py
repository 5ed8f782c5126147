"""Page objects: the components as a person uses them, by role and accessible name.

Each takes a Playwright ``Page`` and the texts default to the library's, so a
site that changed a text passes its own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


class QuickExit:
    """The quick exit: the link, the hint and the trigger key."""

    def __init__(
        self,
        page: Page,
        *,
        link_text: str = "Leave this site",
        hint: str = "Quickly exit this site by pressing the Escape key",
        exit_url: str = "https://www.bbc.co.uk/weather",
    ) -> None:
        self.page = page
        self.exit_url = exit_url
        self.link: Locator = page.get_by_role("link", name=link_text)
        self.hint: Locator = page.get_by_text(hint)

    def press_escape(self, times: int = 1) -> None:
        """Press Escape ``times`` times, as fast as the browser takes them."""
        for _ in range(times):
            self.page.keyboard.press("Escape")

    def leave_by_link(self) -> None:
        """Click the link."""
        self.link.click()

    def assert_left(self, timeout: float = 5000) -> None:
        """Wait until the page shows the exit URL (a page.route stub is fine)."""
        self.page.wait_for_url(re.compile("^" + re.escape(self.exit_url)), timeout=timeout)


class ErrorNotice:
    """An error notice (role ``alert``), server-rendered or shown by ``haven.showError``.

    ``within`` limits the search to part of the page (a Locator), for pages
    with more than one notice.
    """

    DEFAULT_TEXT = "Sorry, there was a technical problem. Please try again."

    def __init__(
        self,
        page: Page,
        *,
        within: Locator | None = None,
        dismiss_text: str = "Hide this message",
    ) -> None:
        self.page = page
        scope = within if within is not None else page
        self.alert: Locator = scope.get_by_role("alert")
        self.dismiss_button: Locator = self.alert.get_by_role("button", name=dismiss_text)

    def assert_shown(self, text: str = DEFAULT_TEXT, *, timeout: float = 5000) -> None:
        """Wait until exactly one notice is visible and it contains ``text``."""
        from playwright.sync_api import expect

        expect(self.alert).to_have_count(1, timeout=timeout)
        expect(self.alert).to_be_visible(timeout=timeout)
        expect(self.alert).to_contain_text(text, timeout=timeout)

    def assert_hidden(self, *, timeout: float = 5000) -> None:
        """Wait until no notice is shown."""
        from playwright.sync_api import expect

        expect(self.alert).to_have_count(0, timeout=timeout)

    def dismiss(self) -> None:
        """Press the notice's hide button."""
        self.dismiss_button.click()


class FeedbackForm:
    """The feedback form: the text box, the button and the error summary above it."""

    def __init__(
        self,
        page: Page,
        *,
        label: str = "Your feedback",
        button_text: str = "Send feedback",
        summary_title: str = "There is a problem",
    ) -> None:
        self.page = page
        self.textbox: Locator = page.get_by_role("textbox", name=label)
        self.button: Locator = page.get_by_role("button", name=button_text)
        self.summary_heading: Locator = page.get_by_role("heading", name=summary_title)
        # The summary is the element the heading titles (it has no role of its own).
        self.summary: Locator = self.summary_heading.locator("xpath=..")

    def submit(self, text: str) -> None:
        """Replace the text with ``text``, send it and wait for the next page."""
        self.textbox.fill(text)
        with self.page.expect_navigation():
            self.button.click()

    def errors(self) -> list[str]:
        """The error summary's link texts, in order (empty when there is no summary)."""
        if not self.summary_heading.count():
            return []
        return [text.strip() for text in self.summary.get_by_role("link").all_inner_texts()]
