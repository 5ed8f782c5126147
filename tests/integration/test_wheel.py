"""The built wheel, installed (not editable) into a fresh venv without extras, in debug mode.

This is what a new site gets from ``pip install flask-haven``: no webassets,
the package in ``site-packages``. Pages must use the prebuilt bundles, the log
says once how to get auto-rebuild, nothing is written inside the installed
package, and ``flask haven build-assets`` fails with one clear line.
The venv is built once for the session (pinned by requirements/constraints.txt,
from pip's cache), and one server serves every check.

It is also the matrix's seventh row, "wheel": the server runs the same example
site as the other rows (``sites.py``, copied beside it: it imports only Flask,
Jinja, flask_haven and the standard library), and the key flows of
test_matrix.py and test_matrix_no_js.py run against it unchanged. They run in
this module rather than as a ``site`` parameter of those two files because
``make test`` uses ``--dist loadfile``: the two files run on different workers,
and each would build its own venv (``xdist_group`` would not help, it only
works under ``--dist loadgroup``). Here one worker builds one venv and serves
one site for every wheel check.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.services import free_port

from . import sites
from .sites import EXIT_URL, own_layout
from .test_matrix import Site, contexts, test_key_flows_with_javascript
from .test_matrix_no_js import test_key_flows_without_javascript

# Fixtures used by name, and the matrix's flow tests, collected here for the wheel row.
__all__ = ["contexts", "test_key_flows_with_javascript", "test_key_flows_without_javascript"]

ROOT = Path(__file__).resolve().parents[2]
PIP = ("-m", "pip", "--disable-pip-version-check", "-q")

# The matrix's example site, in debug mode. PROPAGATE_EXCEPTIONS off: in debug
# Flask hands an exception to the debugger, and the 500 flow needs the 500 page
# (flask_haven/errors.py documents this setting for exactly that).
SITE = """
from pathlib import Path

from sites import make_site

HERE = Path(__file__).resolve().parent
app = make_site(
    tmp=HERE.parent / "data",
    layout=(HERE / "base.html").read_text(encoding="utf-8"),
    config={"PROPAGATE_EXCEPTIONS": False},
)
"""


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed and no extras; built once."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, *PIP, "wheel", "--no-deps", "-w", str(tmp / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((tmp / "dist").glob("flask_haven-*.whl"))
    venv = tmp / "venv"
    # Without its own pip (seeding one costs seconds): this pip installs into it.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    subprocess.run(
        [
            sys.executable,
            *PIP,
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--constraint",
            str(ROOT / "requirements" / "constraints.txt"),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (tmp / "site").mkdir()
    (tmp / "data").mkdir()
    (tmp / "site" / "charity_site.py").write_text(SITE, encoding="utf-8")
    (tmp / "site" / "sites.py").write_text(
        Path(sites.__file__).read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp / "site" / "base.html").write_text(own_layout(), encoding="utf-8")
    return venv


def _env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "FLASK_"))}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    return env


def _installed_dist(venv: Path) -> Path:
    out = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import flask_haven, os; print(os.path.dirname(flask_haven.__file__))",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Path(out.stdout.strip()) / "static" / "dist"


@pytest.fixture(scope="session")
def installed_dist(wheel_venv: Path) -> dict[str, float]:
    """The installed bundles (name: mtime), read before the server answers anything."""
    return {p.name: p.stat().st_mtime for p in _installed_dist(wheel_venv).iterdir()}


@pytest.fixture(scope="session")
def wheel_server(wheel_venv: Path, installed_dist: dict[str, float]) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = wheel_venv.parent / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(wheel_venv / "bin" / "flask"),
                "--app",
                "charity_site",
                "run",
                "--debug",
                "--no-reload",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=wheel_venv.parent / "site",
            env=_env(wheel_venv),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/healthz-not-there", timeout=2)
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.2)
        yield url, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module", params=["wheel"])
def site(wheel_server: tuple[str, Path]) -> Site:
    """The matrix row served from the wheel venv (the flows above use it by name)."""
    return Site(wheel_server[0], "")


def test_installed_wheel_in_debug_mode_serves_the_prebuilt_bundles(
    wheel_venv: Path,
    installed_dist: dict[str, float],
    wheel_server: tuple[str, Path],
    browser: Browser,
) -> None:
    url, log = wheel_server
    dist = _installed_dist(wheel_venv)
    # As installed: the matrix flows may have run on this server first.
    before = {p.name: p.stat().st_mtime for p in dist.iterdir()}
    assert before == installed_dist
    for _ in range(2):
        with urllib.request.urlopen(url + "/", timeout=10) as response:
            page = response.read().decode()
            assert response.status == 200
    assert "Leave this site" in page
    bundle = page.split('<script src="', 1)[1].split('"', 1)[0]
    with urllib.request.urlopen(url + bundle, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Nothing was built or rewritten inside site-packages.
    assert {p.name: p.stat().st_mtime for p in dist.iterdir()} == before
    assert "site-packages" in str(dist)
    assert log.read_text().count("pip install -e '.[build]'") == 1, log.read_text()

    # In a browser: the bundle runs (no console error) and the quick exit leaves.
    context = browser.new_context()
    context.route(EXIT_URL + "**", lambda route: route.fulfill(body="<title>Weather</title>"))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "/")
    page.wait_for_function("() => document.body.classList.contains('haven-js-enabled')")
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(EXIT_URL + "**")
    context.close()
    assert not errors, errors

    # The build command without webassets: one clear line, a non-zero exit.
    result = subprocess.run(
        [str(wheel_venv / "bin" / "flask"), "--app", "charity_site", "haven", "build-assets"],
        cwd=wheel_venv.parent / "site",
        env=_env(wheel_venv),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "pip install 'flask-haven[build]'" in result.stderr
