"""Asset weight: the shipped bundles and each component's share, gzip and brotli."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
    return [
        measure(f"bundle ({kind})", (assets.DIST_DIR / name).read_bytes())
        for kind, name in sorted(assets.bundle_names().items())
    ]


def part_sizes() -> list[Size]:
    """Each source file minified on its own (core and every component)."""
    sizes = []
    for kind in ("js", "css"):
        for path in assets.source_files(kind):
            text = assets.minify(kind, path.read_text(encoding="utf-8"))
            sizes.append(measure(f"{path.parent.name}/{path.name}", text.encode()))
    return sizes


# What a site would ship instead, from npm, measured in the same run. The files
# are each package's own prebuilt, minified browser bundles: what a site that
# does not run a build step of its own serves.
NPM_PACKAGES: dict[str, tuple[str, ...]] = {
    "govuk-frontend": ("dist/govuk/govuk-frontend.min.js", "dist/govuk/govuk-frontend.min.css"),
    "vanilla-cookieconsent": ("dist/cookieconsent.umd.js", "dist/cookieconsent.css"),
}


@dataclass(frozen=True)
class NpmSizes:
    """The measured files of one npm package, or why they could not be measured."""

    package: str
    version: str
    sizes: tuple[Size, ...]
    problem: str = ""


def npm_sizes(packages: dict[str, tuple[str, ...]] | None = None) -> list[NpmSizes]:
    """Fetch each package's latest tarball with ``npm pack`` and measure its files.

    Nothing is installed: the tarballs go to a temporary folder and are read
    in place. Without ``npm`` (or the registry) the result says so instead of
    failing the whole benchmark run.
    """
    packages = packages or NPM_PACKAGES
    npm = shutil.which("npm")
    if npm is None:
        return [NpmSizes(name, "", (), "npm is not installed") for name in packages]
    results = []
    with tempfile.TemporaryDirectory(prefix="haven-npm-") as tmp:
        for name, files in packages.items():
            try:
                packed = subprocess.run(
                    [npm, "pack", name, "--json", "--pack-destination", tmp],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=180,
                )
                info = json.loads(packed.stdout[packed.stdout.index("[") :])[0]
                with tarfile.open(Path(tmp) / info["filename"]) as tarball:
                    sizes = []
                    for path in files:
                        member = tarball.extractfile(f"package/{path}")
                        if member is None:
                            raise KeyError(path)
                        sizes.append(measure(path, member.read()))
                results.append(NpmSizes(name, info["version"], tuple(sizes)))
            except (OSError, ValueError, KeyError, subprocess.SubprocessError) as error:
                problem = f"could not fetch or read it: {type(error).__name__}: {error}"
                results.append(NpmSizes(name, "", (), problem[:300]))
    return results
