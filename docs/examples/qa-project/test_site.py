from flask_haven.testing import QuickExit, assert_accessible, assert_no_csp_violations


def test_escape_leaves_the_site(page):
    page.goto("/")
    quick_exit = QuickExit(page)
    quick_exit.press_escape()
    quick_exit.assert_left()


def test_home_page_is_accessible_and_csp_clean(page):
    page.goto("/")
    assert_accessible(page)
    assert_no_csp_violations(page)
