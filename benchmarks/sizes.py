"""Asset weight: the shipped bundles and each component's share, gzip and brotli."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

import brotli

from flask_haven import assets


@dataclass(frozen=True)
class Size:
    """One measured file or part."""

    name: str
    raw: int
    gzip: int
    brotli: int


def measure(name: str, data: bytes) -> Size:
    """Sizes of ``data`` as served: raw, gzip -9 and brotli -q 11."""
    return Size(
        name, len(data), len(gzip.compress(data, 9)), len(brotli.compress(data, quality=11))
    )


def bundle_sizes() -> list[Size]:
    """The two shipped bundles, exactly as a browser downloads them."""
    manifest = json.loads((assets.DIST_DIR / assets.MANIFEST_NAME).read_text())
    return [
        measure(f"bundle ({kind})", (assets.DIST_DIR / name).read_bytes())
        for kind, name in sorted(manifest.items())
    ]


def part_sizes() -> list[Size]:
    """Each source file minified on its own (core and every component)."""
    sizes = []
    for kind in ("js", "css"):
        for path in assets.source_files(kind):
            text = assets.minify(kind, path.read_text(encoding="utf-8"))
            sizes.append(measure(f"{path.parent.name}/{path.name}", text.encode()))
    return sizes
