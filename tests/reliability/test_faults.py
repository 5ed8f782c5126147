"""Faults: what a person sees when part of the deployment is missing or broken.

The static bundle gone (no manifest, a manifest naming deleted files, a
corrupt manifest): every page still renders, without the tags, so the
components fall back to their no-JS behaviour (the browser half of this is
tests/e2e/test_reliability_no_bundle.py).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from flask_haven import assets
from flask_haven.assets import AssetManifest

from ..conftest import parse
from ..page_list import all_pages

EXIT_URL = "https://www.bbc.co.uk/weather"


def _no_manifest(dist: Path) -> None:
    (dist / assets.MANIFEST_NAME).unlink()


def _files_gone(dist: Path) -> None:
    for bundle in dist.glob("haven.*"):
        bundle.unlink()


def _corrupt_manifest(dist: Path) -> None:
    (dist / assets.MANIFEST_NAME).write_text('{"js": ', encoding="utf-8")


def _wrong_types(dist: Path) -> None:
    (dist / assets.MANIFEST_NAME).write_text(json.dumps({"js": 3, "css": ["x"]}))


def _empty_folder(dist: Path) -> None:
    shutil.rmtree(dist)


FAULTS: dict[str, Callable[[Path], None]] = {
    "no manifest": _no_manifest,
    "bundle files deleted": _files_gone,
    "corrupt manifest": _corrupt_manifest,
    "manifest with wrong types": _wrong_types,
    "dist folder gone": _empty_folder,
}


def break_bundle(app: Flask, tmp_path: Path, fault: Callable[[Path], None]) -> Path:
    """Point the app at a copy of the shipped dist folder, broken by ``fault``."""
    dist = tmp_path / "dist"
    shutil.copytree(assets.DIST_DIR, dist)
    fault(dist)
    app.extensions["haven"].assets = AssetManifest(dist, auto_build=False)
    return dist


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_pages_render_without_the_bundle(
    app: Flask, tmp_path: Path, fault: Callable[[Path], None]
) -> None:
    break_bundle(app, tmp_path, fault)
    client = app.test_client()
    for url in all_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response.data)
        assert not page.select('script[src*="/dist/"]'), f"{url}: links a bundle that is gone"
        assert not page.select('link[href*="/dist/"]'), f"{url}: links a bundle that is gone"
        assert page.select_one("main"), url
    # The quick exit is a plain link: it leaves with no script at all.
    page = parse(client.get("/").data)
    link = page.find("a", string="Leave this site")
    assert link is not None and link["href"] == EXIT_URL


def test_a_bundle_url_that_is_gone_is_404_not_500(client: Any) -> None:
    for path in ("/_haven/static/dist/haven.00000000.js", "/_haven/static/../../etc/passwd"):
        assert client.get(path).status_code == 404
