"""The bundles: shipped prebuilt, never stale, cached for a year, and small."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from flask import Flask

from flask_haven import assets

from .conftest import parse


def test_shipped_bundles_are_built_from_the_current_sources() -> None:
    """The manifest's source digests match the sources, and each bundle is named
    after its own content. Compared this way, not by rebuilding and comparing
    bytes, because the minifiers' output changes from release to release.

    If this fails, run `make assets` and commit the result.
    """
    shipped = assets.read_manifest()
    for kind in assets.BUNDLE_OUTPUTS:
        assert shipped["sources"][kind] == assets.source_digest(kind), (
            f"the {kind} bundle is stale: run `make assets` and commit static/dist/"
        )
        data = (assets.DIST_DIR / shipped[kind]).read_bytes()
        assert shipped[kind] == assets.BUNDLE_OUTPUTS[kind] % {
            "version": assets.content_hash(data)
        }, f"{shipped[kind]} was edited after it was built"
    shipped_files = {p.name for p in assets.DIST_DIR.glob("haven.*")}
    assert shipped_files == {shipped[kind] for kind in assets.BUNDLE_OUTPUTS}, (
        "static/dist holds files no manifest names"
    )


def test_a_build_records_names_and_source_digests(tmp_path: Path) -> None:
    built = assets.build(tmp_path)
    manifest = assets.read_manifest(tmp_path)
    assert {kind: manifest[kind] for kind in built} == built
    assert manifest["sources"] == {kind: assets.source_digest(kind) for kind in built}
    for name in built.values():
        data = (tmp_path / name).read_bytes()
        assert assets.content_hash(data) in name


def test_bundles_contain_every_component_source() -> None:
    js = assets.source_files("js")
    css = assets.source_files("css")
    assert js[0].name == "core.js" and css[0].name == "core.css"
    assert any(p.name == "quick-exit.js" for p in js)
    assert any(p.name == "quick-exit.css" for p in css)


def test_bundle_order_names_every_component_once() -> None:
    folders = {p.name for p in assets.COMPONENTS_DIR.iterdir() if p.is_dir()}
    assert sorted(assets.BUNDLE_ORDER) == sorted(folders)
    assert len(set(assets.BUNDLE_ORDER)) == len(assets.BUNDLE_ORDER)


def test_build_removes_old_hashed_files(tmp_path: Path) -> None:
    (tmp_path / "haven.deadbeef.js").write_text("old")
    assets.build(tmp_path)
    assert not (tmp_path / "haven.deadbeef.js").exists()


def test_layout_links_the_hashed_bundles(client: Any) -> None:
    page = parse(client.get("/").data)
    css = page.select_one('link[rel="stylesheet"][href*="/_haven/static/dist/haven."]')
    js = page.select_one('script[src*="/_haven/static/dist/haven."]')
    assert css is not None and js is not None
    assert js.has_attr("defer"), "the bundle must not block rendering"


def test_bundles_are_cached_immutably(client: Any) -> None:
    page = parse(client.get("/").data)
    for url in (
        page.select_one("script[src]")["src"],
        page.select_one("link[rel=stylesheet][href]")["href"],
    ):
        response = client.get(url)
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
        response.close()


def test_missing_manifest_leaves_the_tags_out(tmp_path: Path) -> None:
    """A broken deployment still serves a working no-JS page rather than a 500."""
    manifest = assets.AssetManifest(tmp_path, auto_build=False)
    assert manifest.filename("js") is None


def test_auto_build_rebuilds_when_a_source_changes(tmp_path: Path, monkeypatch: Any) -> None:
    manifest = assets.AssetManifest(tmp_path, auto_build=True)
    first = manifest.filename("js")
    assert first and (tmp_path / first).exists()
    assert manifest.filename("js") == first  # nothing changed: no rebuild
    newest = assets._newest_mtime()
    monkeypatch.setattr(assets, "_newest_mtime", lambda: newest + 10)
    calls: list[Path] = []
    real_build = assets.build
    monkeypatch.setattr(assets, "build", lambda d: calls.append(d) or real_build(d))
    assert manifest.filename("js") == first
    assert calls == [tmp_path]


def test_auto_build_follows_debug(tmp_path: Path) -> None:
    from demo_app import create_app

    app: Flask = create_app({"INSTANCE_PATH": tmp_path, "DEBUG": True})
    assert app.extensions["haven"].assets.auto_build is True
    app = create_app({"INSTANCE_PATH": tmp_path})
    assert app.extensions["haven"].assets.auto_build is False


def test_gzip_sizes_within_budget() -> None:
    """The whole library's budget: JS under 5 KB and CSS under 4 KB, gzipped.

    (JS was 4 KB until issue 20: journey protection, the press-by-press progress
    and exit counts added about 0.85 KB to the quick exit. CSS was 3 KB until
    issue 22: the type scale, 40 px radios and checkboxes, input widths, tinted
    tags and the secondary button.)
    """
    shipped = assets.read_manifest()
    js = len(gzip.compress((assets.DIST_DIR / shipped["js"]).read_bytes(), 9))
    css = len(gzip.compress((assets.DIST_DIR / shipped["css"]).read_bytes(), 9))
    assert js < 5120, f"JS bundle is {js} B gzip"
    assert css < 4096, f"CSS bundle is {css} B gzip"


def test_one_extension_serves_apps_with_their_own_asset_settings() -> None:
    """The application-factory pattern: one Haven(), several apps."""
    from flask import Flask

    from flask_haven import Haven

    haven = Haven()
    debug_app, production_app = Flask("debug_app"), Flask("production_app")
    debug_app.debug = True
    haven.init_app(debug_app)
    haven.init_app(production_app)
    assert debug_app.extensions["haven"].assets.auto_build is True
    assert production_app.extensions["haven"].assets.auto_build is False
