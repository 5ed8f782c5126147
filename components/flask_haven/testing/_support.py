"""Shared plumbing for the page objects and assertions: timeouts and fail-fast lookups."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


@dataclass
class Settings:
    """Process-wide defaults; the plugin sets them from the command line and ini file.

    ``presence_timeout`` (ms) is how long a page object looks for its
    component before failing: long enough for a script to render one, short
    enough that a page without it fails in seconds, not Playwright's 30 s.
    ``wait_timeout`` (ms) bounds waits for a result (a confirmation, a new URL).
    ``output_dir`` is where assertions write evidence (the axe JSON); the
    plugin points it at the running test's folder under ``--output``.
    """

    presence_timeout: float = 2000
    wait_timeout: float = 5000
    output_dir: Path | None = None


settings = Settings()


class ComponentMissing(AssertionError):
    """A page object's component is not on the page."""


def seconds(milliseconds: float) -> str:
    """``2000`` -> ``"2.0 s"``, for messages."""
    return f"{milliseconds / 1000:.1f} s"


def require(
    page: Page, locator: Locator, component: str, looked_for: str, timeout: float | None
) -> None:
    """Fail with a message naming ``component`` unless ``locator`` appears in time."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    wait = settings.presence_timeout if timeout is None else timeout
    try:
        locator.first.wait_for(state="attached", timeout=wait)
    except PlaywrightTimeoutError:
        raise ComponentMissing(
            f"no {component} on {page.url} (looked for {looked_for} for {seconds(wait)})"
        ) from None
