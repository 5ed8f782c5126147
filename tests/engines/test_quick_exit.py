"""The quick exit in Chromium, Firefox and WebKit: Escape that belongs to something
else, the link without JavaScript, and what leaving clears."""

from __future__ import annotations

from flask_haven.testing.engines import Engine, QuickExit

from .conftest import BLANK_PATH, EngineSite


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
