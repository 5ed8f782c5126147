"""Sites the QA toolkit is pointed at: a plain static site and a deceptive one.

Both are served on 127.0.0.1 in a thread, like the demo's live server.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from flask import Flask, make_response

PLAIN_SITE = Path(__file__).parent / "plain_site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticSite:
    """``directory`` served over HTTP with no headers of its own (no CSP)."""

    def __init__(self, directory: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> StaticSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# Everything the ICO says not to do: a tracking cookie and a storage key before
# any choice, a big green "Accept" beside a tiny grey "reject" link that leads
# to a second page, and no Content-Security-Policy.
DECEPTIVE_HOME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Deals</title></head>
<body>
<div id="banner" style="padding: 16px; background: #ffffff">
  <p>We value your privacy.</p>
  <button id="accept" type="button"
    style="font-size: 20px; padding: 16px 40px; background: #00703c; color: #ffffff; border: 0">
    Accept all cookies</button>
  <a href="/settings" style="font-size: 10px; color: #c8c8c8">reject</a>
</div>
<main><h1>Today's deals</h1></main>
<script>
  localStorage.setItem("tracking_id", "42");
  document.getElementById("accept").addEventListener("click", function () {
    document.getElementById("banner").hidden = true;
  });
</script>
</body></html>
"""

DECEPTIVE_SETTINGS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Privacy settings</title></head>
<body><main><h1>Privacy settings</h1>
<form><label><input type="checkbox" checked> Marketing partners</label>
<button type="button">Confirm my choices</button></form></main></body></html>
"""


def deceptive_app() -> Flask:
    """A site with a deceptive cookie banner, for the audit to catch."""
    app = Flask(__name__)

    @app.get("/")
    def home() -> Any:
        response = make_response(DECEPTIVE_HOME)
        response.set_cookie("_ga", "GA1.1.1234567890", max_age=60 * 60 * 24 * 365)
        return response

    @app.get("/settings")
    def settings() -> str:
        return DECEPTIVE_SETTINGS

    return app
