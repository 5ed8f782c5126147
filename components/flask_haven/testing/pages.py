"""Page objects: the components as a person uses them, by role and accessible name.

Each takes a Playwright ``Page``. The texts default to the library's own in
``language`` (English unless given: ``QuickExit(page, language="cy")`` finds
"Gadael y wefan hon"), read from the same catalogue the components render
from; a site that changed a text passes its own.

Fail fast: before acting, each page object checks that its component is on
the page, for ``timeout`` ms (``settings.presence_timeout``, 2 s unless the
plugin's ``--haven-timeout`` says otherwise), and fails with a message that
names the component, the URL and what it looked for, instead of waiting out
Playwright's 30 s on a page that will never have it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from babel.support import NullTranslations, Translations

from ..errors import DEFAULT_NOTICE_TEXT
from ..i18n import DOMAIN, TRANSLATIONS_DIR
from ._support import require, seconds, settings

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


@cache
def _catalogue(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [language.replace("-", "_")], DOMAIN)


def text(message: str, language: str = "en") -> str:
    """The library's text ``message`` (its English form) in ``language``."""
    translated: str = _catalogue(language).gettext(message)
    return translated


def _wait(timeout: float | None) -> float:
    return settings.wait_timeout if timeout is None else timeout


class QuickExit:
    """The quick exit: the link, the hint and the trigger key."""

    def __init__(
        self,
        page: Page,
        *,
        link_text: str | None = None,
        hint: str | None = None,
        exit_url: str = DEFAULT_EXIT_URL,
        language: str = "en",
        timeout: float | None = None,
    ) -> None:
        self.page = page
        self.exit_url = exit_url
        self.timeout = timeout
        self.link_text = link_text or text("Leave this site", language)
        hint = hint or text("Quickly exit this site by pressing the Escape key", language)
        self.link: Locator = page.get_by_role("link", name=self.link_text)
        self.hint: Locator = page.get_by_text(hint)
        self._left_from: str | None = None

    def assert_present(self) -> None:
        """Fail within ``timeout`` unless the quick exit link is on the page."""
        require(
            self.page,
            self.link,
            "quick exit",
            f"a link named {self.link_text!r}",
            self.timeout,
        )

    def press_escape(self, times: int = 1) -> None:
        """Press Escape ``times`` times, as fast as the browser takes them."""
        self.assert_present()
        self._left_from = self.page.url
        for _ in range(times):
            self.page.keyboard.press("Escape")

    def leave_by_link(self) -> None:
        """Click the link."""
        self.assert_present()
        self._left_from = self.page.url
        self.link.click()

    def assert_left(self, timeout: float | None = None) -> None:
        """Wait until the page shows the exit URL (stub it with the ``haven_exit_stub``
        fixture); the failure names the expected and the actual URL."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        wait = _wait(timeout)
        try:
            self.page.wait_for_url(re.compile("^" + re.escape(self.exit_url)), timeout=wait)
        except PlaywrightTimeoutError:
            message = (
                f"the quick exit did not leave for {self.exit_url} within {seconds(wait)}; "
                f"the page is at {self.page.url}"
            )
            href = self._href()
            if href and not href.startswith(self.exit_url):
                message += f" (the link points to {href}: pass exit_url= if that is intended)"
            raise AssertionError(message) from None

    def assert_back_does_not_return(self) -> None:
        """After leaving, press Back and fail if the browser returns to the page left.

        The exit replaces the page in the history (``location.replace``), so
        Back goes to the page before it, never to what the person was reading.
        """
        if self._left_from is None:
            raise RuntimeError("leave first: call press_escape() or leave_by_link()")
        self.page.go_back(wait_until="commit", timeout=_wait(None))
        if self.page.url == self._left_from:
            raise AssertionError(
                f"Back returned to {self._left_from}, the page the quick exit left; "
                "expected the exit page's history to skip it (leave with location.replace)"
            )

    def _href(self) -> str | None:
        try:
            return self.link.first.get_attribute("href", timeout=500)
        except Exception:  # the page has gone; there is nothing to add
            return None


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
        timeout: float | None = None,
    ) -> None:
        self.page = page
        self.language = language
        self.timeout = timeout
        scope = within if within is not None else page
        self.alert: Locator = scope.get_by_role("alert")
        self.dismiss_text = dismiss_text or text("Hide this message", language)
        self.dismiss_button: Locator = self.alert.get_by_role("button", name=self.dismiss_text)

    def assert_shown(self, message: str | None = None, *, timeout: float | None = None) -> None:
        """Wait until exactly one notice is visible and it contains ``message``
        (by default the library's "Sorry, there was a technical problem…")."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        message = message or text(self.DEFAULT_TEXT, self.language)
        wait = _wait(timeout)
        try:
            self.alert.filter(has_text=message).first.wait_for(state="visible", timeout=wait)
        except PlaywrightTimeoutError:
            shown = [t.strip() for t in self.alert.all_inner_texts()]
            raise AssertionError(
                f"no error notice on {self.page.url} (looked for an alert containing "
                f"{message!r} for {seconds(wait)}); alerts on the page: {shown or 'none'}"
            ) from None
        count = self.alert.count()
        if count != 1:
            raise AssertionError(f"expected one error notice on {self.page.url}, found {count}")

    def assert_hidden(self, *, timeout: float | None = None) -> None:
        """Wait until no notice is shown."""
        from playwright.sync_api import expect

        expect(self.alert).to_have_count(0, timeout=_wait(timeout))

    def dismiss(self) -> None:
        """Press the notice's hide button."""
        require(
            self.page,
            self.dismiss_button,
            "error notice",
            f"an alert with a button named {self.dismiss_text!r}",
            self.timeout,
        )
        self.dismiss_button.click()


class ErrorSummary:
    """A form's error summary: the heading "There is a problem" and a link per error."""

    def __init__(
        self,
        page: Page,
        *,
        title: str | None = None,
        language: str = "en",
        timeout: float | None = None,
    ) -> None:
        self.page = page
        self.timeout = timeout
        self.title = title or text("There is a problem", language)
        self.heading: Locator = page.get_by_role("heading", name=self.title)
        # The summary is the element the heading titles (it has no role of its own).
        self.summary: Locator = self.heading.locator("xpath=..")

    def assert_present(self) -> None:
        """Fail within ``timeout`` unless an error summary is on the page."""
        require(
            self.page,
            self.heading,
            "error summary",
            f"a heading named {self.title!r}",
            self.timeout,
        )

    def errors(self) -> list[str]:
        """The summary's link texts, in order (empty when there is no summary)."""
        if not self.heading.count():
            return []
        return [t.strip() for t in self.summary.get_by_role("link").all_inner_texts()]

    def assert_shown(self, *messages: str) -> None:
        """Fail unless the summary is there and lists exactly ``messages`` (if given)."""
        self.assert_present()
        if messages and self.errors() != list(messages):
            raise AssertionError(
                f"error summary on {self.page.url}: expected {list(messages)}, "
                f"found {self.errors()}"
            )

    def assert_focused(self) -> None:
        """Fail unless focus is on the summary (where it must go when the page loads)."""
        self.assert_present()
        focused = self.summary.evaluate("(el) => el.contains(document.activeElement)")
        if not focused:
            active = self.page.evaluate(
                "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : ''"
            )
            raise AssertionError(
                f"the error summary on {self.page.url} does not have focus; focus is on {active}"
            )

    def follow(self, message: str) -> None:
        """Click the error's link and fail unless focus moves to its field."""
        self.assert_present()
        link = self.summary.get_by_role("link", name=message)
        href = link.get_attribute("href") or ""
        link.click()
        target = href.split("#", 1)[-1]
        moved = self.page.evaluate(
            """(id) => {
                const target = document.getElementById(id)
                return !!target && target.contains(document.activeElement) ||
                       !!document.activeElement && document.activeElement.id === id
            }""",
            target,
        )
        if not moved:
            raise AssertionError(f"following {message!r} did not move focus to #{target}")


class FeedbackForm:
    """The feedback form: the text box, the button and the error summary above it."""

    def __init__(
        self,
        page: Page,
        *,
        label: str | None = None,
        button_text: str | None = None,
        summary_title: str | None = None,
        thanks_text: str | None = None,
        language: str = "en",
        timeout: float | None = None,
    ) -> None:
        self.page = page
        self.timeout = timeout
        self.label = label or text("Your feedback", language)
        button_text = button_text or text("Send feedback", language)
        self.thanks_text = thanks_text or text("Thank you for your feedback", language)
        self.textbox: Locator = page.get_by_role("textbox", name=self.label)
        self.button: Locator = page.get_by_role("button", name=button_text)
        self.error_summary = ErrorSummary(
            page, title=summary_title, language=language, timeout=timeout
        )
        self.summary_heading: Locator = self.error_summary.heading
        self.summary: Locator = self.error_summary.summary
        self.thanks: Locator = page.get_by_role("heading", name=self.thanks_text)

    def assert_present(self) -> None:
        """Fail within ``timeout`` unless the feedback form is on the page."""
        require(
            self.page,
            self.textbox,
            "feedback form",
            f"a text box named {self.label!r}",
            self.timeout,
        )

    def submit(self, text: str) -> None:
        """Replace the text with ``text``, send it and wait for the next page."""
        self.assert_present()
        self.textbox.fill(text)
        with self.page.expect_navigation():
            self.button.click()

    def errors(self) -> list[str]:
        """The error summary's link texts, in order (empty when there is no summary)."""
        return self.error_summary.errors()

    def assert_sent(self, *, timeout: float | None = None) -> None:
        """Fail unless the page says "Thank you for your feedback"; the failure
        quotes the error summary when the form refused the text."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        wait = _wait(timeout)
        try:
            self.thanks.first.wait_for(state="visible", timeout=wait)
        except PlaywrightTimeoutError:
            errors = self.errors()
            why = f"; the error summary says {errors}" if errors else ""
            raise AssertionError(
                f"feedback not sent: no heading {self.thanks_text!r} on {self.page.url} "
                f"after {seconds(wait)}{why}"
            ) from None


class PhaseBanner:
    """The phase banner: a tag (Alpha/Beta), a short message and a feedback link."""

    def __init__(
        self,
        page: Page,
        *,
        phase: str | None = None,
        link_text: str | None = None,
        language: str = "en",
        timeout: float | None = None,
    ) -> None:
        self.page = page
        self.timeout = timeout
        phases = [phase.capitalize()] if phase else ["Alpha", "Beta"]
        tags = [text(name, language) for name in phases]
        self.tag_texts = tags
        pattern = re.compile("^(" + "|".join(re.escape(t) for t in tags) + ")$")
        self.tag: Locator = page.get_by_text(pattern)
        # The banner is the nearest element around the tag that holds a link.
        self.banner: Locator = self.tag.first.locator("xpath=ancestor::*[.//a][1]")
        self.link: Locator = (
            page.get_by_role("link", name=link_text)
            if link_text
            else self.banner.get_by_role("link").first
        )

    def assert_present(self) -> None:
        """Fail within ``timeout`` unless a phase tag is on the page."""
        looked_for = " or ".join(repr(t) for t in self.tag_texts)
        require(self.page, self.tag, "phase banner", f"a tag reading {looked_for}", self.timeout)

    def phase(self) -> str:
        """The tag's text, such as "Beta"."""
        self.assert_present()
        # The DOM text, not inner_text: a stylesheet may show it in capitals.
        return (self.tag.first.text_content() or "").strip()

    def feedback_url(self) -> str:
        """Where the banner's link goes."""
        self.assert_present()
        return self.link.get_attribute("href") or ""

    def follow_link(self) -> None:
        """Follow the feedback link and wait for the page."""
        self.assert_present()
        with self.page.expect_navigation():
            self.link.click()


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
        timeout: float | None = None,
    ) -> None:
        self.page = page
        self.timeout = timeout
        accept_text = accept_text or text("Accept additional cookies", language)
        reject_text = reject_text or text("Reject additional cookies", language)
        customise_text = customise_text or text("Customise cookies", language)
        hide_text = hide_text or text("Hide cookie message", language)
        # The saved message's first sentence, before "You can update…".
        saved_sentence = text(
            "Your cookie preferences have been saved. You can update your cookie settings at "
            "any time on the %(settings_link)s.",
            language,
        ).split(".")[0]
        saved_text = saved_text or saved_sentence
        # The region's name starts "Cookies on" (its start in ``language``), then the site.
        self.name_start = text("Cookies on %(site)s", language).split("%(site)s")[0].strip()
        self.region: Locator = page.get_by_role(
            "region", name=re.compile("^" + re.escape(self.name_start))
        )
        self.accept_button: Locator = self.region.get_by_role("button", name=accept_text)
        self.reject_button: Locator = self.region.get_by_role("button", name=reject_text)
        self.customise_link: Locator = self.region.get_by_role("link", name=customise_text)
        self.confirmation: Locator = self.region.get_by_text(saved_text)
        # The sentence that says which choice was saved.
        self.accepted: Locator = self.region.get_by_text(
            text("You\u2019ve accepted additional cookies.", language)
        )
        self.rejected: Locator = self.region.get_by_text(
            text("You\u2019ve rejected additional cookies.", language)
        )
        self.hide_button: Locator = self.region.get_by_role("button", name=hide_text)

    def assert_present(self) -> None:
        """Fail within ``timeout`` unless the cookie banner is on the page."""
        require(
            self.page,
            self.region,
            "cookie banner",
            f"a region named {self.name_start + ' …'!r}",
            self.timeout,
        )

    def accept(self) -> None:
        """Press Accept and wait for the confirmation."""
        self.assert_present()
        self.accept_button.click()
        self._wait_for_confirmation("Accept")

    def reject(self) -> None:
        """Press Reject and wait for the confirmation."""
        self.assert_present()
        self.reject_button.click()
        self._wait_for_confirmation("Reject")

    def customise(self) -> None:
        """Follow the Customise cookies link."""
        self.assert_present()
        self.customise_link.click()

    def hide(self) -> None:
        """Press Hide cookie message."""
        self.assert_present()
        self.hide_button.click()

    def assert_hidden(self, *, timeout: float | None = None) -> None:
        """Fail unless no cookie banner is visible (absent or hidden)."""
        from playwright.sync_api import expect

        expect(self.region).to_be_hidden(timeout=_wait(timeout))

    def _wait_for_confirmation(self, pressed: str) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        wait = _wait(None)
        try:
            self.confirmation.wait_for(timeout=wait)
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"after {pressed} on {self.page.url}, no confirmation within {seconds(wait)}; "
                f"the banner says: {self.region.first.inner_text(timeout=500)[:200]!r}"
            ) from None


class CookieSettings:
    """The cookies page form: a Yes/No choice per optional category."""

    def __init__(
        self,
        page: Page,
        *,
        save_text: str | None = None,
        language: str = "en",
        timeout: float | None = None,
    ) -> None:
        self.page = page
        self.language = language
        self.timeout = timeout
        self.save_text = save_text or text("Save cookie settings", language)
        saved = text("Your cookie settings have been saved", language)
        self.save_button: Locator = page.get_by_role("button", name=self.save_text)
        self.success: Locator = page.get_by_role("status").filter(has_text=saved)

    def assert_present(self) -> None:
        """Fail within ``timeout`` unless the cookie settings form is on the page."""
        require(
            self.page,
            self.save_button,
            "cookie settings",
            f"a button named {self.save_text!r}",
            self.timeout,
        )

    def group(self, category: str) -> Locator:
        """The fieldset whose legend names ``category`` (case-insensitive; a final
        "s" is optional, so ``preferences`` finds "preference cookies")."""
        stem = re.escape(category[:-1] if category.endswith("s") else category)
        return self.page.get_by_role("group", name=re.compile(rf"\b{stem}s?\b", re.I))

    def _radio(self, category: str, allowed: bool) -> Locator:
        self.assert_present()
        group = self.group(category)
        require(
            self.page,
            group,
            f"{category!r} choice in the cookie settings",
            f"a group whose legend names {category!r}",
            self.timeout,
        )
        answer = text("Yes" if allowed else "No", self.language)
        return group.get_by_role("radio", name=answer, exact=True)

    def set(self, category: str, allowed: bool) -> None:
        """Choose Yes or No for ``category``."""
        self._radio(category, allowed).check()

    def choice(self, category: str) -> bool | None:
        """The choice shown for ``category``: True (Yes), False (No) or None (neither)."""
        if self._radio(category, True).is_checked():
            return True
        if self._radio(category, False).is_checked():
            return False
        return None

    def save(self) -> None:
        """Press Save cookie settings and wait for the saved message."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        self.assert_present()
        self.save_button.click()
        wait = _wait(None)
        try:
            self.success.wait_for(timeout=wait)
        except PlaywrightTimeoutError:
            errors = ErrorSummary(self.page, language=self.language).errors()
            why = f"; the error summary says {errors}" if errors else ""
            raise AssertionError(
                f"no 'saved' message on {self.page.url} within {seconds(wait)} of saving{why}"
            ) from None
