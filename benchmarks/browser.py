"""Layout shift on every demo page, in Chromium, with median and p95 over runs.

Each run opens the page in a fresh tab, waits for ``load`` and two animation
frames (the bundle has started the components by then), and sums the
``layout-shift`` entries a ``PerformanceObserver`` reports (buffered, so
shifts from the very first paint count too), leaving out shifts caused by
input, as CLS does. The components promise 0: the banner is rendered by the
server or not at all, and nothing is inserted above content later.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from demo_app import create_app
from flask_haven.testing.browser import find_chromium, launch_args

from .quick_exit import EXIT_PAGE, EXIT_URL, Summary, summarise

CLS_PROBE = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
  return await new Promise((resolve) => {
    let total = 0
    const add = (entries) => {
      for (const entry of entries) if (!entry.hadRecentInput) total += entry.value
    }
    const observer = new PerformanceObserver((list) => add(list.getEntries()))
    observer.observe({ type: 'layout-shift', buffered: true })
    setTimeout(() => { add(observer.takeRecords()); observer.disconnect(); resolve(total) }, 100)
  })
}"""

VIEWPORTS = {"desktop 1280x720": (1280, 720), "phone 320x640": (320, 640)}


@dataclass(frozen=True)
class PageShift:
    """CLS of one page in one state and viewport over several runs."""

    path: str
    state: str
    viewport: str
    summary: Summary
    worst: float


@contextmanager
def serve() -> Iterator[str]:
    """The demo app on a free port (Werkzeug, threaded), with its own instance."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        app = create_app({"INSTANCE_PATH": str(Path(tmp) / "instance")})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()


# A state is a name and a function that prepares a fresh browser context
# (for example by giving consent) before the pages are measured.
State = tuple[str, Callable[[Any, str], None]]


def _no_setup(_context: Any, _base: str) -> None:
    return None


DEFAULT_STATES: list[State] = [("no consent yet", _no_setup)]


def run_cls(
    paths: list[str], runs: int = 5, states: list[State] | None = None
) -> tuple[list[PageShift], str]:
    """CLS of every path, in every state and viewport; returns results and browser version."""
    from playwright.sync_api import sync_playwright

    results = []
    with serve() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_args(find_chromium()))  # type: ignore[arg-type]
        version = f"Chromium {browser.version}"
        for state, setup in states or DEFAULT_STATES:
            for viewport, (width, height) in VIEWPORTS.items():
                context = browser.new_context(
                    base_url=base, viewport={"width": width, "height": height}
                )
                context.route(
                    EXIT_URL + "**",
                    lambda route: route.fulfill(content_type="text/html", body=EXIT_PAGE),
                )
                setup(context, base)
                page = context.new_page()
                for path in paths:
                    values = []
                    for _ in range(runs):
                        page.goto(path, wait_until="load")
                        values.append(float(page.evaluate(CLS_PROBE)))
                    results.append(
                        PageShift(path, state, viewport, summarise(path, values), max(values))
                    )
                context.close()
        browser.close()
    return results, version
