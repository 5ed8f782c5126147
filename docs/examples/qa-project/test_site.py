from flask_haven.testing import (
    QuickExit,
    assert_accessible,
    assert_no_csp_violations,
    assert_strict_csp,
    wait_for_enhancement,
)


def test_escape_leaves_the_site(page):
    page.goto("/")
    wait_for_enhancement(page)
    quick_exit = QuickExit(page)
    quick_exit.press_escape()
    quick_exit.assert_left()
    quick_exit.assert_back_does_not_return()


def test_home_page_is_accessible_and_csp_clean(page):
    page.goto("/")
    assert_strict_csp(page)
    assert_accessible(page)
    assert_no_csp_violations(page)
