"""Checks of the site under test: they pass on the demo and fail fast on a plain site."""

from flask_haven.testing import (
    CookieBanner,
    CookieSettings,
    ErrorSummary,
    FeedbackForm,
    PhaseBanner,
    QuickExit,
    assert_accessible,
    assert_no_console_errors,
    assert_no_csp_violations,
    assert_nothing_set_after_refusal,
    assert_nothing_set_before_choice,
    assert_reject_as_prominent,
    assert_strict_csp,
    wait_for_enhancement,
)


def test_quick_exit_leaves_for_good(page):
    page.goto("/")
    quick_exit = QuickExit(page)
    quick_exit.assert_present()
    wait_for_enhancement(page)
    quick_exit.press_escape()
    quick_exit.assert_left()
    quick_exit.assert_back_does_not_return()


def test_phase_banner_links_to_feedback(page):
    page.goto("/")
    banner = PhaseBanner(page)
    assert banner.phase() == "Beta"
    assert banner.feedback_url().startswith("/feedback")


def test_feedback_is_checked_then_sent(page):
    page.goto("/feedback")
    form = FeedbackForm(page)
    form.submit("")  # answered with 400: not a console error
    ErrorSummary(page).assert_shown("Enter your feedback")
    form.submit("The quick exit is easy to find.")
    form.assert_sent()
    assert_no_console_errors(page)


def test_refusing_cookies_is_remembered(page):
    page.goto("/")
    CookieBanner(page).reject()
    page.goto("/cookies")
    assert CookieSettings(page).choice("analytics") is False


def test_cookie_settings_can_allow_analytics(page):
    page.goto("/cookies")
    wait_for_enhancement(page)
    settings = CookieSettings(page)
    settings.set("analytics", True)
    settings.set("preferences", False)
    settings.save()
    page.reload()
    assert CookieSettings(page).choice("analytics") is True


def test_cookie_banner_meets_the_ico_checks(page):
    page.goto("/")
    assert_nothing_set_before_choice(page)
    assert_reject_as_prominent(page)
    assert_nothing_set_after_refusal(page)


def test_policy_is_strict(page):
    page.goto("/")
    assert_strict_csp(page)


def test_no_csp_violations(page):
    page.goto("/")
    assert_no_csp_violations(page)


def test_home_page_is_accessible(page):
    page.goto("/")
    assert_accessible(page)


def test_a_missing_page_is_no_console_error(page):
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert_no_console_errors(page)
