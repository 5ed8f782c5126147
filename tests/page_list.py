"""The demo pages every sweep visits (the suite's page list, not page objects:
those are flask_haven.testing.pages): site pages, gallery pages and every example preview.

One list, so the security-header test, the HTML validator, the accessibility
sweep and the keyboard/reflow sweep all cover the same ground; a new YAML
example or a new site page is swept everywhere at once.
"""

from __future__ import annotations

from flask_haven.catalogue import load_components

SITE_PAGES = ["/", "/news/", "/cookies", "/feedback", "/feedback/thanks"]
# The site pages swept in Welsh too. Not the news index: its own words are the
# demo's English (marked lang="en"), and its chrome is every other page's.
WELSH_SITE_PAGES = [path for path in SITE_PAGES if path != "/news/"]

# The site's error pages as the gallery shows them (demo_app.gallery.ERROR_PAGES).
ERROR_PAGE_PREVIEWS = [
    f"/components/error-pages/{name}/preview" for name in ("404", "500", "503", "maintenance")
]


def gallery_pages() -> list[str]:
    """Every gallery page: the whole-page views, the error pages, each component's
    page, and the index last (its thumbnails are the other pages' screenshots,
    so `make screenshots` takes it after them)."""
    pages = [
        "/components/full-page/",
        "/components/themes/",
        "/components/tokens/",
        "/components/error-pages/",
        *ERROR_PAGE_PREVIEWS,
    ]
    return [*pages, *(f"/components/{c.name}/" for c in load_components()), "/components/"]


def preview_pages() -> list[str]:
    """Every example of every component, alone on a page."""
    return [
        f"/components/{c.name}/{example.name}/preview"
        for c in load_components()
        for example in c.examples
    ]


def in_welsh(paths: list[str]) -> list[str]:
    """The same pages in Welsh (the demo's ``?lang=cy``): longer words, other texts."""
    return [f"{path}{'&' if '?' in path else '?'}lang=cy" for path in paths]


def content_pages() -> list[str]:
    """The site pages and every example, in English and in Welsh: for the checks
    that words can fail (axe, reflow, larger text, forced colours)."""
    return SITE_PAGES + preview_pages() + in_welsh(WELSH_SITE_PAGES + preview_pages())


def structure_pages() -> list[str]:
    """The site pages and every example in English, and the site pages in Welsh:
    for the checks of what does not change with the words (tab order, motion,
    no-JavaScript behaviour). A Welsh example has the English one's markup."""
    return SITE_PAGES + preview_pages() + in_welsh(WELSH_SITE_PAGES)


def all_pages() -> list[str]:
    """Everything above."""
    return content_pages() + gallery_pages()


def rtl_pages() -> list[str]:
    """The gallery right to left: each component page and the full page (in Welsh
    too, as the switches leave them), the full-page preview and every example.

    Cheap server-side sweeps (headers, inline code, the HTML validator) take these
    too; the browser sweeps leave them to tests/e2e/test_rtl.py, which checks every
    example in right to left once (axe, reflow) instead of once per sweep.
    """
    switched = "dir=rtl&lang=cy"
    return [
        f"/components/full-page/?{switched}",
        f"/components/full-page/preview?{switched}",
        *(f"/components/{c.name}/?{switched}" for c in load_components()),
        *(f"{path}?dir=rtl" for path in preview_pages()),
    ]


def visual_pages() -> dict[str, str]:
    """Every page the visual-regression tests photograph, with its screenshot name:
    each example the gallery shows, each site page and each gallery page, in English."""
    from demo_app.screens import example_shot, page_shot

    shots = {
        f"/components/{c.name}/{example.name}/preview": example_shot(c.name, example.name)
        for c in load_components()
        for example in c.visible_examples
    }
    return {**{path: page_shot(path) for path in SITE_PAGES}, **shots} | {
        path: page_shot(path) for path in gallery_pages()
    }
