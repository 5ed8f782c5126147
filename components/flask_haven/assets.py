"""The JS and CSS bundles: one of each for the whole library.

Sources live beside each component (``components/<name>/<name>.js`` and
``.css``) plus the shared ``core/`` files. `webassets`_ concatenates them,
minifies them (rjsmin, csscompressor) and names the output after a hash of its
content, so the files can be cached for a year and a new release is never
served stale.

Production needs no build step at request time: the wheel ships the prebuilt
bundles and ``manifest.json`` in ``static/dist/``, and :class:`AssetManifest`
only reads that JSON file. In debug (or with ``HAVEN_ASSETS_AUTO_BUILD``) the
bundles are rebuilt when a source file changes; that path imports webassets
lazily, so it is only needed by people working on the components.

.. _webassets: https://webassets.readthedocs.io/
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
COMPONENTS_DIR = PACKAGE_DIR / "components"
CORE_DIR = PACKAGE_DIR / "core"
DIST_DIR = PACKAGE_DIR / "static" / "dist"
MANIFEST_NAME = "manifest.json"

# The components in bundle order, written down rather than left to A-Z. The
# quick exit comes first: it is the one that must start even if a later file
# is broken. Then the providers before their users: error-notice gives
# ``haven.showError``, cookie-banner ``haven.consent`` (cookie-settings uses
# both). Each module also names what it needs (``haven.register(...,
# {requires: [...]})``), so a missing provider is reported, not silent.
# A test fails when a component folder is missing from this list.
BUNDLE_ORDER = (
    "quick-exit",
    "error-notice",
    "cookie-banner",
    "cookie-settings",
    "error-summary",
    "feedback-form",
    "phase-banner",
    "safety-info",
    "exit-interruption",
)

# Output names; ``%(version)s`` becomes a hash of the bundle's content.
BUNDLE_OUTPUTS = {"js": "haven.%(version)s.js", "css": "haven.%(version)s.css"}


def source_files(kind: str) -> list[Path]:
    """The sources of one bundle, in load order: core first, then :data:`BUNDLE_ORDER`.

    ``kind`` is ``"js"`` or ``"css"``. Core comes first because it defines
    ``initAll`` and the theme's custom properties that components build on.
    """
    files = sorted(CORE_DIR.glob(f"*.{kind}"))
    for name in BUNDLE_ORDER:
        candidate = COMPONENTS_DIR / name / f"{name}.{kind}"
        if candidate.exists():
            files.append(candidate)
    return files


def iter_source_files() -> Iterator[Path]:
    """Every file whose change should trigger a rebuild."""
    for kind in BUNDLE_OUTPUTS:
        yield from source_files(kind)


def source_digest(kind: str) -> str:
    """A SHA-256 of one bundle's sources (names and bytes, in load order).

    The manifest records it, so "are the shipped bundles built from these
    sources?" is answered without rebuilding: the minified bytes themselves
    change with each release of the minifiers, the sources do not.
    """
    digest = hashlib.sha256()
    for path in source_files(kind):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    """The 8 hex digits a bundle is named after (webassets' ``hash`` version)."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()[:8]


def read_manifest(dist_dir: Path = DIST_DIR) -> dict[str, Any]:
    """``manifest.json`` as written by :func:`build`: bundle names and source digests."""
    data = json.loads((dist_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def bundle_names(dist_dir: Path = DIST_DIR) -> dict[str, str]:
    """``{"js": file, "css": file}`` for the bundles the manifest names and that exist.

    Empty, not an error, when the manifest is missing or unreadable: the
    layout then leaves the tags out and the no-JavaScript page still works.
    """
    try:
        data = read_manifest(dist_dir)
    except (OSError, ValueError):
        return {}
    return {
        kind: name
        for kind, name in data.items()
        if kind in BUNDLE_OUTPUTS and isinstance(name, str) and (dist_dir / name).is_file()
    }


def minify(kind: str, text: str) -> str:
    """Minify one JS or CSS text with the same tools the bundles use."""
    if kind == "js":
        import rjsmin

        return str(rjsmin.jsmin(text))
    import csscompressor

    return str(csscompressor.compress(text))


def _css_filter() -> Any:
    """A webassets filter around csscompressor (webassets ships none for it)."""
    from webassets.filter import Filter

    class CSSCompressor(Filter):  # type: ignore[misc]  # Filter is untyped
        name = "haven_csscompressor"

        def output(self, _in: Any, out: Any, **kwargs: Any) -> None:
            out.write(minify("css", _in.read()))

    return CSSCompressor()


def build(dist_dir: Path = DIST_DIR) -> dict[str, str]:
    """Build both bundles into ``dist_dir`` and return ``{"js": file, "css": file}``.

    The manifest also records each bundle's :func:`source_digest`.
    Old hashed files are removed so the folder holds exactly what the manifest
    names, and the manifest is written last (atomically) so a reader never sees
    a name whose file is not there yet.
    """
    if not build_tools_installed():
        raise BuildToolsMissing(
            "building the bundles needs the build extra: pip install 'flask-haven[build]'"
        )
    from webassets import Bundle, Environment

    dist_dir.mkdir(parents=True, exist_ok=True)
    env = Environment(directory=str(dist_dir), url="/", auto_build=True)
    env.versions = "hash"
    env.manifest = False
    env.cache = False
    env.url_expire = False
    env.load_path = [str(PACKAGE_DIR)]

    filters = {"js": "rjsmin", "css": _css_filter()}
    names: dict[str, str] = {}
    for kind, output in BUNDLE_OUTPUTS.items():
        sources = [str(path.relative_to(PACKAGE_DIR)) for path in source_files(kind)]
        bundle = Bundle(*sources, filters=filters[kind], output=output)
        env.register(f"haven_{kind}", bundle)
        bundle.build(force=True)
        version = bundle.get_version()
        names[kind] = output % {"version": version}

    keep = set(names.values()) | {MANIFEST_NAME}
    for stale in dist_dir.glob("haven.*"):
        if stale.name not in keep:
            stale.unlink()
    digests = {kind: source_digest(kind) for kind in BUNDLE_OUTPUTS}
    _write_json_atomically(dist_dir / MANIFEST_NAME, {**names, "sources": digests})
    return names


def _write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.chmod(tmp, 0o644)  # mkstemp makes it private; the bundle folder is public
    os.replace(tmp, path)


BUILD_HINT = (
    "flask-haven: serving the prebuilt JS/CSS bundles; to rebuild them when a component "
    "changes, work in a source checkout with `pip install -e '.[build]'`."
)


class BuildToolsMissing(RuntimeError):
    """The ``build`` extra (webassets, rjsmin, csscompressor) is not installed."""


def in_source_checkout(package_dir: Path = PACKAGE_DIR) -> bool:
    """True when the package runs from a source checkout, where building is allowed.

    An installed package (``site-packages``) is never written to: its bundles
    are the ones released, and the folder may be shared or read-only.
    """
    if {"site-packages", "dist-packages"} & set(package_dir.parts):
        return False
    return (package_dir.parent.parent / "pyproject.toml").is_file()


def build_tools_installed() -> bool:
    """True when the ``build`` extra is importable."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("webassets", "rjsmin", "csscompressor"))


def can_auto_build(logger: Any) -> bool:
    """Whether debug auto-build may run here; if not, say once (per app) how to get it."""
    if in_source_checkout() and build_tools_installed():
        return True
    logger.warning(BUILD_HINT)
    return False


@dataclass
class AssetManifest:
    """Maps ``"js"``/``"css"`` to the current hashed file name in ``dist_dir``.

    With ``auto_build`` it rebuilds when any source is newer than the last
    build it saw, which is what a developer editing a component wants; without
    it, it reads the shipped manifest once.
    """

    dist_dir: Path = DIST_DIR
    auto_build: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[str, str] | None = None
        self._built_at = 0.0

    def filename(self, kind: str) -> str | None:
        """Hashed file name of the ``kind`` bundle, or ``None`` if none is built.

        ``None`` lets the layout leave the tag out: the page still works, as
        every component does without JavaScript and reads without our CSS.
        """
        with self._lock:
            if self.auto_build and self._sources_changed():
                self._built_at = _newest_mtime()
                self._names = build(self.dist_dir)
            if self._names is None:
                self._names = bundle_names(self.dist_dir)
        return self._names.get(kind)

    def _sources_changed(self) -> bool:
        return self._names is None or _newest_mtime() > self._built_at


def _newest_mtime() -> float:
    return max(path.stat().st_mtime for path in iter_source_files())
