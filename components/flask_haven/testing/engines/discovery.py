"""What each engine needs on this machine, what was found, and installing the rest.

``python -m flask_haven.testing.browser --ensure`` calls :func:`ensure_engines`
after it has made sure of Chromium, so ``make test`` sets up all three.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from .firefox import find_firefox
from .webkit import find_webkit

# Debian packages and Python distributions (the `engines` extra) per engine.
APT_PACKAGES = {"firefox": ("firefox-esr",), "webkit": ("webkit2gtk-driver", "xvfb")}
PYTHON_PACKAGES = {
    "firefox": ("marionette_driver", "marionette-driver"),
    "webkit": ("selenium", "selenium"),
}


@dataclass(frozen=True)
class EngineReport:
    """One engine: whether it can run here, and what was found or is missing."""

    name: str
    found: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        """Everything it needs is installed."""
        return not self.missing

    def line(self) -> str:
        """``browser: firefox ready (…)`` or ``browser: webkit MISSING …``."""
        if self.ready:
            return f"browser: {self.name} ready ({', '.join(self.found)})"
        return f"browser: {self.name} MISSING {', '.join(self.missing)}"


def _module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def find_engines() -> list[EngineReport]:
    """Firefox and WebKit as they are now, without installing anything."""
    firefox = find_firefox()
    firefox_found = [firefox] if firefox else []
    firefox_missing = [] if firefox else ["firefox-esr"]
    module, distribution = PYTHON_PACKAGES["firefox"]
    (firefox_found if _module(module) else firefox_missing).append(distribution)

    driver, browser = find_webkit()
    xvfb = shutil.which("Xvfb")
    webkit_found = [path for path in (driver, browser, xvfb) if path]
    webkit_missing = [] if driver and browser else ["webkit2gtk-driver"]
    if not xvfb:
        webkit_missing.append("xvfb")
    module, distribution = PYTHON_PACKAGES["webkit"]
    (webkit_found if _module(module) else webkit_missing).append(distribution)
    return [
        EngineReport("firefox", tuple(firefox_found), tuple(firefox_missing)),
        EngineReport("webkit", tuple(webkit_found), tuple(webkit_missing)),
    ]


def ensure_engines(log: Callable[[str], None] = print) -> list[EngineReport]:
    """Install what Firefox and WebKit lack (apt as root; pip into this Python),
    then report each engine. Never raises for a missing engine: its tests skip,
    saying why."""
    reports = find_engines()
    missing = {item for report in reports for item in report.missing}
    apt_wanted = sorted(missing & {p for ps in APT_PACKAGES.values() for p in ps})
    pip_wanted = sorted(missing & {dist for _, dist in PYTHON_PACKAGES.values()})
    if apt_wanted:
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
            log(f"browser: installing {' '.join(apt_wanted)} with apt-get")
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            # Another process may hold the dpkg lock; wait for it rather than fail.
            apt = ["apt-get", "-o", "DPkg::Lock::Timeout=600"]
            update = subprocess.run([*apt, "update", "-q"], check=False, env=env)  # noqa: S603
            if update.returncode == 0:
                subprocess.run([*apt, "install", "-y", "-q", *apt_wanted], check=False, env=env)  # noqa: S603
        else:
            log(f"browser: cannot install {' '.join(apt_wanted)} (needs root and apt-get)")
    if pip_wanted:
        log(f"browser: installing {' '.join(pip_wanted)} with pip")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *pip_wanted], check=False)  # noqa: S603
    reports = find_engines()
    for report in reports:
        log(report.line())
    return reports
