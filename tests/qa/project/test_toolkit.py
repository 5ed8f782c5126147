"""How the toolkit itself behaves: these pass on any site."""

import re
import time

import pytest

from flask_haven.testing import (
    ComponentMissing,
    QuickExit,
    assert_accessible,
    assert_no_console_errors,
    assert_no_csp_violations,
    assert_strict_csp,
)


def test_a_page_object_without_its_component_fails_within_seconds(page):
    page.goto("/")
    page.set_content("<main><h1>No components here</h1></main>")
    started = time.monotonic()
    with pytest.raises(ComponentMissing) as failure:
        QuickExit(page).press_escape()
    elapsed = time.monotonic() - started
    assert 1.5 < elapsed < 6, elapsed  # the default 2 s (on a busy CI box), never 30 s
    assert str(failure.value) == (
        f"no quick exit on {page.url} (looked for a link named 'Leave this site' for 2.0 s)"
    )


def test_the_presence_timeout_can_be_set(page):
    page.set_content("<p>Nothing</p>")
    started = time.monotonic()
    with pytest.raises(ComponentMissing, match=r"for 0\.3 s\)$"):
        QuickExit(page, timeout=300).leave_by_link()
    assert time.monotonic() - started < 1.5


def test_assert_left_names_the_expected_and_actual_url(page):
    page.set_content('<a href="https://exit.invalid/">Leave this site</a>')
    quick_exit = QuickExit(page, exit_url="https://www.example.org/weather")
    with pytest.raises(AssertionError) as failure:
        quick_exit.assert_left(timeout=300)
    assert str(failure.value).startswith(
        "the quick exit did not leave for https://www.example.org/weather within 0.3 s; "
        "the page is at about:blank"
    )
    assert "the link points to https://exit.invalid/" in str(failure.value)


def test_an_unknown_axe_rule_is_a_clear_python_error(page):
    page.set_content("<main><h1>Hello</h1></main>")
    with pytest.raises(ValueError) as failure:
        assert_accessible(page, disable=["colour-contrast"])
    message = str(failure.value)
    assert message.startswith("unknown axe rule(s) ['colour-contrast']; valid rules: ")
    assert "color-contrast" in message
    assert "at " not in message.split("valid rules:")[0]  # no JavaScript stack


def test_each_csp_violation_is_one_line(page, base_url):
    page.route(
        "**/csp-probe",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self' 'report-sample'"},
            body="<title>x</title><script>first()</script>\n<script>second()</script>",
        ),
    )
    page.goto("/csp-probe")
    page.wait_for_timeout(200)
    with pytest.raises(AssertionError) as failure:
        assert_no_csp_violations(page)
    lines = str(failure.value).splitlines()
    assert lines[0] == "Content-Security-Policy violations:"
    assert lines[1:] == [
        f"- script-src-elem blocked inline ('first()') at {base_url}/csp-probe:1:25",
        f"- script-src-elem blocked inline ('second()') at {base_url}/csp-probe:2:9",
    ]


def test_a_weak_policy_is_not_strict():
    with pytest.raises(AssertionError) as failure:
        assert_strict_csp("default-src 'self'; script-src 'self' 'unsafe-inline'")
    assert str(failure.value).splitlines()[1:] == [
        "- script-src allows 'unsafe-inline': script-src 'self' 'unsafe-inline'",
        "- base-uri is not set: an injected <base> can redirect relative script URLs",
        "- frame-ancestors is not set: other sites may frame the page (clickjacking)",
    ]


def test_a_console_error_fails(page):
    page.set_content("<p>x</p>")
    page.evaluate("() => console.error('the widget broke')")
    with pytest.raises(AssertionError, match=re.escape("console errors:\n- the widget broke")):
        assert_no_console_errors(page)


@pytest.mark.haven_allow_console_errors("expected: the feed is down")
def test_a_marker_allows_expected_console_errors(page):
    page.set_content("<p>x</p>")
    page.evaluate("() => console.error('expected: the feed is down')")
    assert_no_console_errors(page)
