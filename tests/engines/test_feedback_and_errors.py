"""Feedback and error notices in Chromium, Firefox and WebKit."""

from __future__ import annotations

import pytest

from flask_haven.testing.engines import Engine, ErrorNotice, FeedbackForm, QuickExit


def send_an_error_then_feedback(engine: Engine) -> None:
    engine.open("/feedback")
    form = FeedbackForm(engine)
    form.submit("")
    assert engine.title().startswith("Error:")
    assert form.errors() == ["Enter your feedback"]
    form.submit("Works in every browser.")
    assert form.thanked(), engine.text()[:300]


def test_feedback_shows_an_error_then_thanks(haven_engine: Engine) -> None:
    send_an_error_then_feedback(haven_engine)


def test_feedback_without_javascript(haven_engine_nojs: Engine) -> None:
    send_an_error_then_feedback(haven_engine_nojs)


def test_server_rendered_notice_can_be_hidden(haven_engine: Engine) -> None:
    haven_engine.open("/components/error-notice/dismissible/preview")
    notice = ErrorNotice(haven_engine)
    notice.assert_shown("Sorry, we could not load the latest opening times.")
    notice.dismiss()
    notice.assert_hidden()


def test_show_error_from_script_announces_the_default_text(haven_engine: Engine) -> None:
    haven_engine.open("/_demo/form")
    haven_engine.run("haven.showError(document.getElementById('demo-notices'), {})")
    ErrorNotice(haven_engine).assert_shown()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/_demo/raise", "Sorry, there was a technical problem"),
        ("/_demo/abort/503", "Sorry, the service is unavailable"),
    ],
    ids=["500", "503"],
)
def test_error_pages_keep_the_quick_exit(
    haven_engine_nojs: Engine, exit_url: str, path: str, heading: str
) -> None:
    engine = haven_engine_nojs
    engine.open(path)
    assert heading in engine.names("heading")
    assert "Traceback" not in engine.text()
    QuickExit(engine, exit_url=exit_url).leave_by_link()
    QuickExit(engine, exit_url=exit_url).assert_left()
