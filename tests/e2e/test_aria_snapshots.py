"""What assistive technology is given, per example: the accessibility-tree fixtures.

Each YAML example (hidden ones too) has ``tests/fixtures/aria/<component>/
<example>.yaml``: Playwright's ARIA snapshot of the component's root in its
preview, with JavaScript on, so a change in what a screen reader announces
(a role, a name, a heading level, a state) fails here and shows in review.

The comparison is Playwright's own ``to_match_aria_snapshot``, which matches
the tree's roles, names and the attributes the fixture lists, not the text
byte for byte, so a Playwright or Chromium release that words its snapshot
differently does not fail the suite. One page visits every preview in turn:
one browser context, one test, so the cost is one navigation per example.

After an intended change: ``HAVEN_UPDATE_FIXTURES=1 pytest
tests/e2e/test_aria_snapshots.py`` (or ``make fixtures``), then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from ..example_fixtures import examples
from .conftest import wait_for_enhancement

ARIA_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "aria"
UPDATE = os.environ.get("HAVEN_UPDATE_FIXTURES") == "1"
# Only a mismatch waits this long: a matching tree passes at once.
MISMATCH_TIMEOUT_MS = 1500


def component_root(page: Page) -> Locator:
    """The example's root: the preview's ``main`` holds a hidden h1, then the component."""
    return page.locator("main > :not(h1)").first


def test_every_example_gives_assistive_technology_its_fixture_tree(page: Page) -> None:
    failures: list[str] = []
    for component, example in examples():
        where = f"{component.name}/{example.name}"
        fixture = ARIA_FIXTURES / component.name / f"{example.name}.yaml"
        # DOMContentLoaded is enough: the deferred bundle (which waits for the
        # stylesheet) and initAll have run by then; images and fonts do not
        # change the tree, so the "load" event is not awaited.
        page.goto(
            f"/components/{component.name}/{example.name}/preview", wait_until="domcontentloaded"
        )
        wait_for_enhancement(page)
        root = component_root(page)
        if UPDATE:
            fixture.parent.mkdir(parents=True, exist_ok=True)
            fixture.write_text(root.aria_snapshot() + "\n", encoding="utf-8")
            continue
        if not fixture.exists():
            failures.append(f"{where}: no fixture (run make fixtures)")
            continue
        expected = fixture.read_text(encoding="utf-8")
        if not expected.strip():
            # Nothing exposed at all (the quick exit's mid-exit frame hides the
            # page): Playwright cannot match an empty template, so compare directly.
            if root.aria_snapshot().strip():
                failures.append(f"{where}: now exposes {root.aria_snapshot()!r}")
            continue
        try:
            expect(root).to_match_aria_snapshot(expected, timeout=MISMATCH_TIMEOUT_MS)
        except AssertionError as error:
            failures.append(f"{where}: {error}")
    assert not failures, "accessibility tree changed (review, then make fixtures):\n" + "\n".join(
        failures
    )


def test_no_aria_fixture_without_an_example() -> None:
    expected = {ARIA_FIXTURES / c.name / f"{e.name}.yaml" for c, e in examples()}
    assert set(ARIA_FIXTURES.rglob("*.yaml")) <= expected, "stale fixtures: run make fixtures"
