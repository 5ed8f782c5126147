"""axe-core (WCAG 2.2 AA) on every page and every example of every component."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from flask_haven.testing import assert_accessible

from ..page_list import all_pages
from .conftest import open_page


@pytest.mark.parametrize("path", all_pages())
def test_no_axe_violations(page: Page, path: str) -> None:
    open_page(page, path)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/components/quick-exit/"])
def test_no_axe_violations_at_320_css_pixels(page: Page, path: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, path)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= 320"), "page scrolls sideways"
