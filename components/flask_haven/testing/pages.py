"""Page objects: the components as a person uses them, by role and accessible name.

Each takes a Playwright ``Page``. The texts default to the library's own in
``language`` (English unless given: ``QuickExit(page, language="cy")`` finds
"Gadael y wefan hon"), read from the same catalogue the components render
from; a site that changed a text passes its own.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from babel.support import NullTranslations, Translations

from ..errors import DEFAULT_NOTICE_TEXT
from ..i18n import DOMAIN, TRANSLATIONS_DIR

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


@cache
def _catalogue(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [language.replace("-", "_")], DOMAIN)


def text(message: str, language: str = "en") -> str:
    """The library's text ``message`` (its English form) in ``language``."""
    translated: str = _catalogue(language).gettext(message)
    return translated


class QuickExit:
    """The quick exit: the link, the hint and the trigger key."""

    def __init__(
        self,
        page: Page,
        *,
        link_text: str | None = None,
        hint: str | None = None,
        exit_url: str = "https://www.bbc.co.uk/weather",
        language: str = "en",
    ) -> None:
        self.page = page
        self.exit_url = exit_url
        link_text = link_text or text("Leave this site", language)
        hint = hint or text("Quickly exit this site by pressing the Escape key", language)
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

    DEFAULT_TEXT = DEFAULT_NOTICE_TEXT

    def __init__(
        self,
        page: Page,
        *,
        within: Locator | None = None,
        dismiss_text: str | None = None,
        language: str = "en",
    ) -> None:
        self.page = page
        self.language = language
        scope = within if within is not None else page
        self.alert: Locator = scope.get_by_role("alert")
        dismiss_text = dismiss_text or text("Hide this message", language)
        self.dismiss_button: Locator = self.alert.get_by_role("button", name=dismiss_text)

    def assert_shown(self, message: str | None = None, *, timeout: float = 5000) -> None:
        """Wait until exactly one notice is visible and it contains ``message``
        (by default the library's "Sorry, there was a technical problem…")."""
        from playwright.sync_api import expect

        message = message or text(self.DEFAULT_TEXT, self.language)
        expect(self.alert).to_have_count(1, timeout=timeout)
        expect(self.alert).to_be_visible(timeout=timeout)
        expect(self.alert).to_contain_text(message, timeout=timeout)

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
        label: str | None = None,
        button_text: str | None = None,
        summary_title: str | None = None,
        language: str = "en",
    ) -> None:
        self.page = page
        label = label or text("Your feedback", language)
        button_text = button_text or text("Send feedback", language)
        summary_title = summary_title or text("There is a problem", language)
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
        accept_text: str | None = None,
        reject_text: str | None = None,
        customise_text: str | None = None,
        saved_text: str | None = None,
        hide_text: str | None = None,
        language: str = "en",
    ) -> None:
        self.page = page
        accept_text = accept_text or text("Accept additional cookies", language)
        reject_text = reject_text or text("Reject additional cookies", language)
        customise_text = customise_text or text("Customise cookies", language)
        hide_text = hide_text or text("Hide cookie message", language)
        # The saved message's first sentence, before "You can change…".
        saved_sentence = text(
            "Your cookie preferences have been saved. You can %(settings_link)s at any time.",
            language,
        ).split(".")[0]
        saved_text = saved_text or saved_sentence
        # The region's name starts "Cookies on" (its start in ``language``), then the site.
        name_start = text("Cookies on %(site)s", language).split("%(site)s")[0].strip()
        self.region: Locator = page.get_by_role(
            "region", name=re.compile("^" + re.escape(name_start))
        )
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

    def __init__(self, page: Page, *, save_text: str | None = None, language: str = "en") -> None:
        self.page = page
        self.language = language
        save_text = save_text or text("Save cookie settings", language)
        saved = text("Your cookie settings have been saved", language)
        self.save_button: Locator = page.get_by_role("button", name=save_text)
        self.success: Locator = page.get_by_role("status").filter(has_text=saved)

    def group(self, category: str) -> Locator:
        """The fieldset whose legend names ``category`` (case-insensitive; a final
        "s" is optional, so ``preferences`` finds "preference cookies")."""
        stem = re.escape(category[:-1] if category.endswith("s") else category)
        return self.page.get_by_role("group", name=re.compile(rf"\b{stem}s?\b", re.I))

    def set(self, category: str, allowed: bool) -> None:
        """Choose Yes or No for ``category``."""
        answer = text("Yes" if allowed else "No", self.language)
        self.group(category).get_by_role("radio", name=answer, exact=True).check()

    def save(self) -> None:
        """Press Save cookie settings and wait for the saved message."""
        self.save_button.click()
        self.success.wait_for()
