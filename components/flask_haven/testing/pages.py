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


class CookieBanner:
    """The cookie banner: the question, the confirmation and hiding it."""

    def __init__(
        self,
        page: Page,
        *,
        accept_text: str = "Accept additional cookies",
        reject_text: str = "Reject additional cookies",
        customise_text: str = "Customise cookies",
        saved_text: str = "Your cookie preferences have been saved",
        hide_text: str = "Hide cookie message",
    ) -> None:
        self.page = page
        self.region: Locator = page.get_by_role("region", name=re.compile(r"^Cookies on"))
        self.accept_button: Locator = self.region.get_by_role("button", name=accept_text)
        self.reject_button: Locator = self.region.get_by_role("button", name=reject_text)
        self.customise_link: Locator = self.region.get_by_role("link", name=customise_text)
        self.confirmation: Locator = self.region.get_by_text(saved_text)
        self.hide_button: Locator = self.region.get_by_role("button", name=hide_text)

    def accept(self) -> None:
        """Press Accept and wait for the confirmation."""
        self.accept_button.click()
        self.confirmation.wait_for()

    def reject(self) -> None:
        """Press Reject and wait for the confirmation."""
        self.reject_button.click()
        self.confirmation.wait_for()

    def customise(self) -> None:
        """Follow the Customise cookies link."""
        self.customise_link.click()

    def hide(self) -> None:
        """Press Hide cookie message."""
        self.hide_button.click()

    def assert_hidden(self) -> None:
        """Fail unless no cookie banner is visible (absent or hidden)."""
        from playwright.sync_api import expect

        expect(self.region).to_be_hidden()


class CookieSettings:
    """The cookies page form: a Yes/No choice per optional category."""

    def __init__(self, page: Page, *, save_text: str = "Save cookie settings") -> None:
        self.page = page
        self.save_button: Locator = page.get_by_role("button", name=save_text)
        self.success: Locator = page.get_by_role("status").filter(has_text="saved")

    def group(self, category: str) -> Locator:
        """The fieldset whose legend names ``category`` (case-insensitive; a final
        "s" is optional, so ``preferences`` finds "preference cookies")."""
        stem = re.escape(category[:-1] if category.endswith("s") else category)
        return self.page.get_by_role("group", name=re.compile(rf"\b{stem}s?\b", re.I))

    def set(self, category: str, allowed: bool) -> None:
        """Choose Yes or No for ``category``."""
        self.group(category).get_by_role("radio", name="Yes" if allowed else "No").check()

    def save(self) -> None:
        """Press Save cookie settings and wait for the saved message."""
        self.save_button.click()
        self.success.wait_for()
