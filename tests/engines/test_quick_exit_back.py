"""Leaving with the quick exit, and where Back goes afterwards, in Chromium, Firefox and WebKit.

The quick exit's promise is ``location.replace``: the page being read leaves
the tab's history, so Back cannot return to it. ``HAVEN_ENGINES_BROKEN_EXIT=1``
serves a quick exit broken to use ``location.href``; these tests then fail in
every engine (see docs/engines.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_haven.testing.engines import Engine, QuickExit

from .conftest import BLANK_PATH


def read_news_after_the_gallery(engine: Engine, exit_url: str) -> QuickExit:
    """Two pages of the site in the tab's history: the gallery, then the news index."""
    engine.open("/components/")
    engine.click("link", "News")
    engine.wait_until(
        lambda: urlsplit(engine.url).path == "/news/", message="the news page did not open"
    )
    engine.settle()
    return QuickExit(engine, exit_url=exit_url)


def assert_left_with_replace(engine: Engine, quick_exit: QuickExit, entries_before: int) -> None:
    """``location.replace``: the exit page took the news page's place in history,
    so Back never returns to what the person was reading.

    Back goes to the gallery, or, with journey protection (the site's own
    links replace history too), to the page before the visit: this tab's
    reset page. A quick exit that used ``location.href`` adds an entry and
    Back returns to the news page, in every engine
    (``HAVEN_ENGINES_BROKEN_EXIT=1`` checks that).
    """
    quick_exit.assert_left()  # waits for the exit page itself, not only its address
    assert engine.history_length() == entries_before, "the exit added a history entry"
    engine.back()
    went_to = urlsplit(engine.url).path
    assert went_to in ("/components/", BLANK_PATH), f"Back went to {engine.url}"


def test_escape_leaves_and_back_skips_the_page(haven_engine: Engine, exit_url: str) -> None:
    quick_exit = read_news_after_the_gallery(haven_engine, exit_url)
    entries = haven_engine.history_length()
    quick_exit.press_escape()
    assert_left_with_replace(haven_engine, quick_exit, entries)


def test_clicking_the_link_leaves_and_back_skips_the_page(
    haven_engine: Engine, exit_url: str
) -> None:
    quick_exit = read_news_after_the_gallery(haven_engine, exit_url)
    entries = haven_engine.history_length()
    quick_exit.leave_by_link()
    assert_left_with_replace(haven_engine, quick_exit, entries)


def test_repeated_escape_still_leaves(haven_engine: Engine, exit_url: str) -> None:
    # Escape also means "stop loading": presses while leaving must not cancel the exit.
    haven_engine.open("/")
    quick_exit = QuickExit(haven_engine, exit_url=exit_url)
    quick_exit.press_escape(times=5)
    quick_exit.assert_left()
    assert haven_engine.title() == "Weather"
