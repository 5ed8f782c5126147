"""The demo pages every sweep visits: site pages, gallery pages and every example preview.

One list, so the security-header test, the HTML validator, the accessibility
sweep and the keyboard/reflow sweep all cover the same ground; a new YAML
example or a new site page is swept everywhere at once.
"""

from __future__ import annotations

from flask_haven.catalogue import load_components

SITE_PAGES = ["/", "/cookies", "/feedback", "/feedback/thanks"]


def gallery_pages() -> list[str]:
    """The gallery index and each component's page."""
    pages = ["/components/", "/components/full-page/", "/components/themes/"]
    return pages + [f"/components/{c.name}/" for c in load_components()]


def preview_pages() -> list[str]:
    """Every example of every component, alone on a page."""
    return [
        f"/components/{c.name}/{example.name}/preview"
        for c in load_components()
        for example in c.examples
    ]


def all_pages() -> list[str]:
    """Everything above."""
    return SITE_PAGES + gallery_pages() + preview_pages()
