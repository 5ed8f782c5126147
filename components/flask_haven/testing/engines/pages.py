"""The page objects, for any engine: the same components and texts as
:mod:`flask_haven.testing.pages`, found through the driver-neutral layer.

Each takes an :class:`~flask_haven.testing.engines.Engine`. Texts default to
the library's own in ``language``; a site that changed a text passes its own.
"""

from __future__ import annotations

import time

from ...errors import DEFAULT_NOTICE_TEXT
from ..pages import text
from .base import DEFAULT_TIMEOUT, Engine, EngineError

DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


class QuickExit:
    """The quick exit: its link, its hint and its key."""

    def __init__(
        self,
        engine: Engine,
        *,
        exit_url: str = DEFAULT_EXIT_URL,
        link_text: str | None = None,
        hint: str | None = None,
        language: str = "en",
    ) -> None:
        self.engine = engine
        self.exit_url = exit_url
        self.link_text = link_text or text("Leave this site", language)
        self.hint = hint or text("Quickly exit this site by pressing the Escape key", language)

    def is_offered(self) -> bool:
        """The link is shown and its hint is on the page."""
        return self.engine.is_shown("link", self.link_text) and self.hint in self.engine.text()

    def press_escape(self, times: int = 1) -> None:
        """Press Escape ``times`` times, as fast as the engine sends them."""
        for _ in range(times):
            self.engine.press("Escape")

    def leave_by_link(self) -> None:
        """Click the link."""
        self.engine.click("link", self.link_text)

    def has_left(self) -> bool:
        """True once the tab shows the exit page."""
        return self.engine.url.startswith(self.exit_url)

    def assert_left(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the tab is at the exit URL."""
        self.engine.wait_for_url(self.exit_url, timeout=timeout)

    def assert_stays(self, seconds: float = 0.3) -> None:
        """Fail if the tab leaves within ``seconds`` (a press that must not count)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.has_left():
                raise EngineError(f"{self.engine.name}: the quick exit fired")
            time.sleep(0.05)
        if self.has_left():
            raise EngineError(f"{self.engine.name}: the quick exit fired")


class CookieBanner:
    """The cookie banner: a region named "Cookies on …" with two equal buttons."""

    def __init__(self, engine: Engine, *, language: str = "en") -> None:
        self.engine = engine
        self.region = ("region", text("Cookies on %(site)s", language).split("%(site)s")[0].strip())
        self.accept_text = text("Accept additional cookies", language)
        self.reject_text = text("Reject additional cookies", language)
        self.hide_text = text("Hide cookie message", language)
        self.saved_text = text(
            "Your cookie preferences have been saved. You can update your cookie settings at "
            "any time on the %(settings_link)s.",
            language,
        ).split(".")[0]

    def is_shown(self) -> bool:
        """The banner region is rendered now."""
        return self.engine.is_shown(*self.region, exact=False)

    def accept(self) -> None:
        """Press Accept and wait for the confirmation (with or without JavaScript)."""
        self.engine.click("button", self.accept_text, within=self.region)
        self.wait_for_confirmation()

    def reject(self) -> None:
        """Press Reject and wait for the confirmation."""
        self.engine.click("button", self.reject_text, within=self.region)
        self.wait_for_confirmation()

    def wait_for_confirmation(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the banner says the preferences were saved."""
        self.engine.wait_until(
            lambda: self.saved_text in self.engine.text(),
            timeout=timeout,
            message=f"the banner never said {self.saved_text!r}",
        )
        self.engine.settle()

    def hide(self) -> None:
        """Press Hide cookie message."""
        self.engine.click("button", self.hide_text, within=self.region)


class CookieSettings:
    """The cookies page form: a Yes/No group per optional category."""

    def __init__(self, engine: Engine, *, language: str = "en") -> None:
        self.engine = engine
        self.language = language
        self.save_text = text("Save cookie settings", language)
        self.saved_text = text("Your cookie settings have been saved", language)

    def set(self, category: str, allowed: bool) -> None:
        """Choose Yes or No in the group whose legend names ``category``."""
        answer = text("Yes" if allowed else "No", self.language)
        self.engine.click("radio", answer, within=("group", category.rstrip("s")))

    def is_set(self, category: str, allowed: bool) -> bool:
        """Whether Yes (``allowed``) or No is the checked radio for ``category``."""
        answer = text("Yes" if allowed else "No", self.language)
        return self.engine.is_checked("radio", answer, within=("group", category.rstrip("s")))

    def save(self) -> None:
        """Press Save cookie settings and wait for the saved message."""
        self.engine.click("button", self.save_text)
        # A status region takes no name from its content: look for the text.
        self.engine.wait_until(
            lambda: self.saved_text in self.engine.text(),
            message=f"the page never said {self.saved_text!r}",
        )
        self.engine.settle()


class FeedbackForm:
    """The feedback form and the error summary it shows."""

    def __init__(self, engine: Engine, *, language: str = "en") -> None:
        self.engine = engine
        self.label = text("Your feedback", language)
        self.button = text("Send feedback", language)
        self.summary_title = text("There is a problem", language)
        self.thanks = text("Thank you for your feedback", language)

    def submit(self, feedback: str) -> None:
        """Type ``feedback`` (replacing what is there), send it, wait for the answer page."""
        # On the root element, not on window: with journey protection the answer
        # may be written into this same window (document.open keeps its globals),
        # but either way it brings a new root element, without the marker.
        self.engine.run("document.documentElement.havenBeforeSubmit = true")
        self.engine.fill("textbox", self.label, feedback)
        self.engine.click("button", self.button)
        self.engine.wait_until(
            lambda: self.engine.run(
                "return !document.documentElement.havenBeforeSubmit && "
                "document.readyState === 'complete'"
            ),
            message="the form was not sent",
        )
        self.engine.settle()

    def errors(self) -> list[str]:
        """The error summary's link texts, in order (empty when there is none)."""
        heading = self.engine.find("heading", self.summary_title)
        if heading is None:
            return []
        links = self.engine.run(
            "return Array.from(arguments[0].parentElement.querySelectorAll('a'))"
            ".map((a) => a.textContent.replace(/\\s+/g, ' ').trim())",
            heading,
        )
        return [str(link) for link in links]

    def thanked(self) -> bool:
        """The thank-you heading is shown."""
        return self.engine.is_shown("heading", self.thanks)


class ErrorNotice:
    """An error notice: an element with role ``alert``."""

    DEFAULT_TEXT = DEFAULT_NOTICE_TEXT

    def __init__(self, engine: Engine, *, language: str = "en") -> None:
        self.engine = engine
        self.language = language
        self.dismiss_text = text("Hide this message", language)

    def texts(self) -> list[str]:
        """The text of every rendered alert."""
        found = self.engine.run(
            "return Array.from(document.querySelectorAll('[role=alert]'))"
            ".filter((el) => el.getClientRects().length)"
            ".map((el) => el.textContent.replace(/\\s+/g, ' ').trim())"
        )
        return [str(t) for t in found]

    def assert_shown(self, message: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until exactly one alert is rendered and it contains ``message``."""
        message = message or text(self.DEFAULT_TEXT, self.language)
        self.engine.wait_until(
            lambda: len(self.texts()) == 1 and message in self.texts()[0],
            timeout=timeout,
            message=lambda: f"expected one alert saying {message!r}; alerts: {self.texts()!r}",
        )

    def assert_hidden(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until no alert is rendered."""
        self.engine.wait_until(
            lambda: not self.texts(), timeout=timeout, message="the alert is still shown"
        )

    def dismiss(self) -> None:
        """Press the notice's hide button."""
        self.engine.click("button", self.dismiss_text, within=("alert", ""))
