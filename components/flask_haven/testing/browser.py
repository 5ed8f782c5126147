"""Find a Chromium that Playwright can drive, on machines where it cannot download one.

Order of preference:

1. ``HAVEN_CHROMIUM`` (an explicit path) if set;
2. Playwright's own Chromium, if ``playwright install chromium`` has run;
3. a system Chromium or Chrome (``/usr/bin/chromium`` and friends), with
   Debian's ``chromium-headless-shell`` first for headless runs;
4. with ``ensure=True``: Debian's ``chromium`` and ``chromium-headless-shell``
   packages when running as root with apt-get, else ``playwright install chromium``.

The headless shell is the build Playwright itself uses for headless runs. It
leaves out the full browser's window machinery, so the same tests take about a
third less CPU (measured on this project's suite: docs/testing.md).

The project's ``make test`` runs ``python -m flask_haven.testing.browser --ensure``
and the pytest plugin uses :func:`find_chromium` to fill in ``executable_path``,
so the same rule serves our suite and a QA team's. Playwright's own Firefox and
WebKit (``--browser firefox``) are left unchanged; ``--ensure --engines`` also
installs the Firefox and WebKit that :mod:`flask_haven.testing.engines` drives.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
HEADLESS_SHELL_NAME = "chromium-headless-shell"
DEBIAN_PACKAGES = ("chromium", HEADLESS_SHELL_NAME)

# Flags for a system Chromium in a container or CI: no sandbox as root, and
# no background connections (this machine's network refuses them, noisily).
SYSTEM_CHROMIUM_ARGS = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)


class ChromiumNotFound(RuntimeError):
    """``HAVEN_CHROMIUM`` names a file that does not exist."""


@dataclass(frozen=True)
class Chromium:
    """A Chromium found on this machine and where it came from."""

    path: str | None
    source: str

    @property
    def is_playwrights_own(self) -> bool:
        """True when Playwright's bundled build is used (no executable_path needed)."""
        return self.source == "playwright"

    @property
    def is_headless_shell(self) -> bool:
        """True for Chromium's headless-only build, which cannot open a window."""
        return bool(self.path) and Path(str(self.path)).name == HEADLESS_SHELL_NAME

    def describe(self) -> str:
        """One line for logs: where it came from, what it is and its path."""
        kind = "Chromium headless shell" if self.is_headless_shell else "Chromium"
        return f"{self.source} {kind} at {self.path}"


def _playwright_chromium(playwright: Any = None) -> str | None:
    if playwright is not None:  # a running driver: ask it, instead of starting another
        path = playwright.chromium.executable_path
        return path if path and Path(path).exists() else None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # a broken driver install means "not available"
        return None
    return path if path and Path(path).exists() else None


def _system_chromium(headless: bool) -> str | None:
    names = ((HEADLESS_SHELL_NAME,) if headless else ()) + SYSTEM_CHROMIUM_NAMES
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_chromium(playwright: Any = None, headless: bool = True) -> Chromium:
    """The best Chromium available now, without installing anything.

    ``playwright`` is a started ``Playwright`` to ask about its own build
    (saves starting a driver just for that). ``headless=False`` (a headed
    run, ``--headed``) passes over the headless shell.
    """
    explicit = os.environ.get("HAVEN_CHROMIUM")
    if explicit:
        # Kept even when the file is missing, so launch_args can say which
        # setting is wrong instead of falling back to another browser quietly.
        return Chromium(explicit if Path(explicit).exists() else None, "HAVEN_CHROMIUM")
    own = _playwright_chromium(playwright)
    if own:
        return Chromium(own, "playwright")
    system = _system_chromium(headless)
    if system:
        return Chromium(system, "system")
    return Chromium(None, "none")


def ensure_chromium(log: Callable[[str], None] = print) -> Chromium:
    """Find a Chromium, installing one if there is none; say what happens."""
    found = find_chromium()
    launch_args(found)  # a wrong HAVEN_CHROMIUM is an error to fix, not a reason to install
    can_apt = hasattr(os, "geteuid") and os.geteuid() == 0 and bool(shutil.which("apt-get"))
    if found.path and (found.source != "system" or found.is_headless_shell or not can_apt):
        log(f"browser: using {found.describe()}")
        return found
    if can_apt:
        missing = [name for name in DEBIAN_PACKAGES if not shutil.which(name)]
        log(
            f"browser: installing Debian's {' and '.join(missing)} with apt-get "
            "(the headless shell runs headless tests with about a third less CPU)"
        )
        _apt_install(missing)
    else:
        log("browser: no Chromium found; running `playwright install chromium`")
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    found = find_chromium()
    if not found.path:
        raise RuntimeError("browser: could not find or install a Chromium for Playwright")
    log(f"browser: using {found.describe()}")
    return found


def _apt_install(packages: list[str]) -> None:
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", *packages]
    # Try the package lists already on the machine first: an update is slow,
    # and needed only when they are missing or out of date.
    if subprocess.run(install, env=environment, check=False).returncode == 0:  # noqa: S603
        return
    subprocess.run(["apt-get", "update", "-q"], check=True)  # noqa: S607
    subprocess.run(install, check=True, env=environment)  # noqa: S603


def launch_args(found: Chromium) -> dict[str, object]:
    """Extra ``browser_type.launch`` options for ``found`` (empty for Playwright's own).

    Raises :class:`ChromiumNotFound`, naming the variable, when ``HAVEN_CHROMIUM``
    points at nothing (Playwright's own error would name its cache folder).
    """
    if found.source == "HAVEN_CHROMIUM" and not found.path:
        raise ChromiumNotFound(
            f"HAVEN_CHROMIUM is set to {os.environ.get('HAVEN_CHROMIUM')!r}, but there is no "
            "such file: point it at a Chromium or Chrome executable, or unset it to let "
            "flask-haven find one"
        )
    if found.is_playwrights_own or not found.path:
        return {}
    args = list(SYSTEM_CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return {"executable_path": found.path, "args": args}


def chromium_launch_args(
    base: dict[str, Any], browser_name: str, playwright: Any = None
) -> dict[str, Any]:
    """pytest-playwright's launch options ``base``, with a Chromium filled in where needed.

    Left alone: other browsers, an explicit ``executable_path``, and channels
    naming an installed browser such as ``chrome``. The ``chromium`` channel
    (Playwright's own full build) falls back to the system Chromium when
    Playwright has not downloaded one, like no channel at all.
    """
    if browser_name != "chromium" or "executable_path" in base:
        return base
    channel = base.get("channel")
    if channel and channel != "chromium":
        return base
    found = find_chromium(playwright, headless=bool(base.get("headless", True)))
    if channel and found.is_playwrights_own:
        return base
    options = {key: value for key, value in base.items() if key != "channel" or not found.path}
    return {**options, **launch_args(found)}


def main(argv: list[str] | None = None) -> int:
    """``python -m flask_haven.testing.browser [--ensure [--engines]]``: print (or install)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ensure", action="store_true", help="install one if none is found")
    parser.add_argument(
        "--engines", action="store_true", help="with --ensure: also Firefox and WebKit"
    )
    options = parser.parse_args(argv)
    if options.ensure:
        ensure_chromium()
        if options.engines:
            # Firefox and WebKit for the cross-engine tests; reports each engine,
            # and never fails the build for one (its tests skip, saying why).
            from .engines.discovery import ensure_engines

            ensure_engines()
        return 0
    found = find_chromium()
    try:
        launch_args(found)
    except ChromiumNotFound as error:
        print(f"browser: {error}")
        return 1
    print(f"browser: {found.source} {found.path or '(none)'}")
    return 0 if found.path else 1


if __name__ == "__main__":
    raise SystemExit(main())
