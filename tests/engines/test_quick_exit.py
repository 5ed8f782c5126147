"""The quick exit in Chromium, Firefox and WebKit: written once, run in each engine."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from flask_haven.testing.engines import Engine, QuickExit

from .conftest import BLANK_PATH, EngineSite


def read_news_after_the_gallery(engine: Engine, exit_url: str) -> QuickExit:
    """A page from before the visit (a plain page without the quick exit), then two
    pages of the site: the gallery, then the news page, which (with the demo's
    journey protection) takes the gallery's place in the tab's history."""
    engine.open(BLANK_PATH)
    engine.open("/components/")
    engine.click("link", "News")
    engine.wait_until(
        lambda: urlsplit(engine.url).path == "/", message="the news page did not open"
    )
    engine.settle()
    return QuickExit(engine, exit_url=exit_url)


def assert_left_with_replace(engine: Engine, quick_exit: QuickExit, entries_before: int) -> None:
    """``location.replace``: the exit page took the news page's place in history,
    and the news page had taken the gallery's, so Back goes to the page before the
    visit, not to anything the person read here."""
    quick_exit.assert_left()
    assert engine.history_length() == entries_before, "the exit added a history entry"
    engine.back()
    engine.wait_until(
        lambda: engine.url.endswith(BLANK_PATH),
        message=lambda: f"Back went to {engine.url}, not the page before the visit",
    )


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


def test_repeated_escape_still_leaves(
    haven_engine: Engine, haven_engine_name: str, exit_url: str, request: pytest.FixtureRequest
) -> None:
    if haven_engine_name == "webkit":
        # Seen intermittently in WebKitGTK's MiniBrowser: the address shows the
        # exit page but the old page stays (content hidden). Not yet known
        # whether the engine or MiniBrowser stops the load; see docs/engines.md.
        request.applymarker(
            pytest.mark.xfail(reason="WebKitGTK: repeated Escape can stall the exit", strict=False)
        )
    # Escape also means "stop loading": presses while leaving must not cancel the exit.
    haven_engine.open("/")
    quick_exit = QuickExit(haven_engine, exit_url=exit_url)
    quick_exit.press_escape(times=5)
    quick_exit.assert_left()
    haven_engine.wait_until(
        lambda: haven_engine.title() == "Weather",
        message=lambda: f"the exit page did not load: {haven_engine.url} {haven_engine.title()!r}",
    )


def test_escape_closing_a_modal_dialog_does_not_leave(haven_engine: Engine, exit_url: str) -> None:
    haven_engine.open("/")
    haven_engine.run(
        """const dialog = document.createElement('dialog')
           dialog.setAttribute('aria-label', 'Example dialog')
           const button = document.createElement('button')
           button.textContent = 'OK'
           dialog.append(button)
           document.body.append(dialog)
           dialog.showModal()"""
    )
    assert haven_engine.is_shown("dialog", "Example dialog")
    quick_exit = QuickExit(haven_engine, exit_url=exit_url)
    quick_exit.press_escape()
    haven_engine.wait_until(
        lambda: not haven_engine.is_shown("dialog", "Example dialog"),
        message="Escape did not close the dialog",
    )
    quick_exit.assert_stays()
    assert haven_engine.is_shown("main")
    # With the dialog closed, Escape is the quick exit's again.
    quick_exit.press_escape()
    quick_exit.assert_left()


def test_escape_a_widget_handled_does_not_leave(haven_engine: Engine, exit_url: str) -> None:
    """A widget that handles Escape calls preventDefault; the quick exit respects it.
    The widget also records the key event, to compare the engines' key handling."""
    haven_engine.open("/")
    haven_engine.run(
        """const box = document.createElement('input')
           box.setAttribute('aria-label', 'Search suggestions')
           box.addEventListener('keydown', (e) => {
             window.__seen = {key: e.key, code: e.code, keyCode: e.keyCode,
                              trusted: e.isTrusted, repeat: e.repeat, composing: e.isComposing}
             if (e.key === 'Escape') e.preventDefault()
           })
           document.querySelector('main').prepend(box)
           box.focus()"""
    )
    quick_exit = QuickExit(haven_engine, exit_url=exit_url)
    quick_exit.press_escape()
    quick_exit.assert_stays()
    seen = haven_engine.run("return window.__seen")
    # The same event in every engine: a real (trusted) Escape, key code 27.
    assert seen == {
        "key": "Escape",
        "code": "Escape",
        "keyCode": 27,
        "trusted": True,
        "repeat": False,
        "composing": False,
    }


def test_without_javascript_the_link_still_leaves(haven_engine_nojs: Engine, exit_url: str) -> None:
    haven_engine_nojs.open("/")
    quick_exit = QuickExit(haven_engine_nojs, exit_url=exit_url)
    assert quick_exit.is_offered(), "the link or its hint is missing without JavaScript"
    quick_exit.leave_by_link()
    quick_exit.assert_left()


def test_clear_site_data_and_keepalive(
    haven_engine: Engine, exit_url: str, engine_site: EngineSite
) -> None:
    """The quick exit's keepalive POST reaches the server even though the page is
    leaving, and its answer's ``Clear-Site-Data`` deletes the site's cookies."""
    haven_engine.open("/components/quick-exit/clear-site-data/preview")
    haven_engine.run("document.cookie = 'visit=1; path=/'")
    assert "visit" in haven_engine.cookies()
    posts = engine_site.posts_to("/_haven/quick-exit")
    QuickExit(haven_engine, exit_url=exit_url).press_escape()
    QuickExit(haven_engine, exit_url=exit_url).assert_left()
    haven_engine.wait_until(
        lambda: engine_site.posts_to("/_haven/quick-exit") > posts,
        message="the keepalive POST never reached the server",
    )
    # Cookies are read on the site itself (WebDriver shows the current site's only).
    haven_engine.open(BLANK_PATH)
    haven_engine.wait_until(
        lambda: "visit" not in haven_engine.cookies(),
        message=lambda: f"Clear-Site-Data left {sorted(haven_engine.cookies())}",
    )
