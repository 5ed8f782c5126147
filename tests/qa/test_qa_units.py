"""The QA toolkit's rules without a browser: CSP strictness, browser finding, base URL."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from flask_haven.security import DEFAULT_CSP
from flask_haven.testing import browser
from flask_haven.testing.csp import strict_csp_problems
from flask_haven.testing.plugin import LiveServer, given_base_url


def test_the_library_policy_is_strict() -> None:
    assert strict_csp_problems(DEFAULT_CSP) == []


def test_no_policy_is_a_problem_naming_the_page() -> None:
    assert strict_csp_problems(None, where="http://x/") == [
        "no Content-Security-Policy header on http://x/: the browser enforces nothing "
        "(a Content-Security-Policy-Report-Only header does not count)"
    ]


def test_unsafe_inline_with_a_nonce_is_ignored_as_browsers_do() -> None:
    policy = (
        "script-src 'nonce-abc' 'unsafe-inline'; style-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )
    assert strict_csp_problems(policy) == []
    assert strict_csp_problems(policy.replace("'nonce-abc' ", "") + "; default-src *") == [
        "script-src allows 'unsafe-inline': script-src 'unsafe-inline'"
    ]


def test_a_wrong_haven_chromium_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAVEN_CHROMIUM", "/nowhere/chromium")
    with pytest.raises(browser.ChromiumNotFound, match=r"^HAVEN_CHROMIUM is set to '/nowhere"):
        browser.chromium_launch_args({}, "chromium")


def test_the_chromium_channel_keeps_the_system_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAVEN_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "_playwright_chromium", lambda playwright=None: None)
    monkeypatch.setattr(browser, "_system_chromium", lambda headless: "/usr/bin/chromium")
    args = browser.chromium_launch_args({"channel": "chromium", "headless": True}, "chromium")
    assert args["executable_path"] == "/usr/bin/chromium"
    assert "channel" not in args and args["headless"] is True
    # A channel naming an installed browser, and other browsers, are left alone.
    assert browser.chromium_launch_args({"channel": "chrome"}, "chromium") == {"channel": "chrome"}
    assert browser.chromium_launch_args({}, "firefox") == {}


def test_headless_runs_prefer_the_headless_shell_and_headed_runs_skip_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HAVEN_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "_playwright_chromium", lambda playwright=None: None)
    installed = {
        "chromium": "/usr/bin/chromium",
        "chromium-headless-shell": "/opt/chromium-headless-shell",
    }
    monkeypatch.setattr(browser.shutil, "which", installed.get)
    headless = browser.chromium_launch_args({"headless": True}, "chromium")
    assert headless["executable_path"] == "/opt/chromium-headless-shell"
    headed = browser.chromium_launch_args({"headless": False}, "chromium")
    assert headed["executable_path"] == "/usr/bin/chromium"
    assert browser.find_chromium().describe() == (
        "system Chromium headless shell at /opt/chromium-headless-shell"
    )
    del installed["chromium-headless-shell"]
    assert browser.find_chromium().path == "/usr/bin/chromium"


class FakeConfig:
    def __init__(self, **options: str | None) -> None:
        self.options = options

    def getoption(self, name: str, default: object = None) -> object:
        return self.options.get(name, default)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {"base_url": "http://staging.example/", "haven_base_url": "http://x"},
            "http://staging.example",
        ),
        ({"haven_base_url": "http://alias.example/"}, "http://alias.example"),
        ({}, None),  # then the haven_app live server
    ],
)
def test_a_url_on_the_command_line_wins_over_haven_app(
    options: dict[str, str], expected: str | None
) -> None:
    # The end-to-end proof is tests/qa/test_qa_toolkit.py: the project defines
    # haven_app, and with --base-url every message names the static site.
    assert given_base_url(FakeConfig(**options)) == expected  # type: ignore[arg-type]


def test_the_audit_needs_a_url() -> None:
    from flask_haven.testing import audit

    with pytest.raises(SystemExit) as exit_:
        audit.main([])
    assert exit_.value.code == 2


def test_the_live_server_closes_every_body_when_browsers_hang_up() -> None:
    """A browser that resets the connection must not leave a static file open.

    Werkzeug skips ``close()`` when the reset arrives just after the body was
    written; the open file's ResourceWarning then failed unrelated tests.
    Forty resets reproduce that several times without the fix.
    """
    import socket
    import struct
    import threading
    import time

    closed = threading.Semaphore(0)

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            yield b"x" * 1000

        def close(self) -> None:
            closed.release()

    def app(environ: dict[str, Any], start_response: Any) -> Body:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Body()

    server = LiveServer(app).start()
    host, port = server.url.removeprefix("http://").split(":")
    resets = 40
    try:
        for _ in range(resets):
            with socket.create_connection((host, int(port))) as client:
                client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                client.recv(1)
                # SO_LINGER 0: close() sends a reset, as a browser cancelling a load does.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        deadline = time.monotonic() + 5
        unclosed = resets
        while unclosed and closed.acquire(timeout=max(0.0, deadline - time.monotonic())):
            unclosed -= 1
        if unclosed:
            gc.collect()  # a collected wrapper still closes its body
            while unclosed and closed.acquire(timeout=0.5):
                unclosed -= 1
    finally:
        server.stop()
    assert unclosed == 0, f"{unclosed} of {resets} response bodies were never closed"


def test_without_the_testing_extra_axe_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flask_haven.testing import axe

    # As if axe-playwright-python were not installed (None in sys.modules makes
    # its import fail); no page is touched before the import.
    monkeypatch.setitem(sys.modules, "axe_playwright_python.base", None)
    with pytest.raises(ImportError, match=r"pip install 'flask-haven\[testing\]'"):
        axe.run_axe(object())  # type: ignore[arg-type]
