"""Quick exit latency in Chromium: key event to content hidden, and to navigation start.

Each run loads ``/`` fresh, presses Escape with Playwright's keyboard, and reads:

- ``hidden``: from the key event's timestamp to the moment our handler has
  hidden the content (measured by a keydown listener that runs right after
  ours in the same dispatch), and ``frame``: to the next animation frame, i.e.
  when the blank page is painted;
- ``navigation``: from the key event to the exit page's navigation start
  (``performance.timeOrigin`` on the exit page), both on the same clock.
"""

from __future__ import annotations

import logging
import statistics
import threading
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import make_server

from demo_app import create_app
from flask_haven.testing.browser import find_chromium, launch_args

EXIT_URL = "https://www.bbc.co.uk/weather"
EXIT_PAGE = (
    "<!DOCTYPE html><title>Weather</title><script>"
    "window.__navStart = performance.timeOrigin</script><h1>Weather</h1>"
)

PROBE = """() => window.addEventListener('keydown', (event) => {
  const hidden = performance.now()
  const main = document.querySelector('main').getClientRects().length
  requestAnimationFrame(() => window.__havenBench({
    keyAt: performance.timeOrigin + event.timeStamp,
    hidden: hidden - event.timeStamp,
    frame: performance.now() - event.timeStamp,
    mainBoxes: main,
  }))
})"""

# The exit navigation is held until the old page has reported its frame
# timing; the exit page's timeOrigin is when navigation started, so holding
# the response does not change what is measured.


@dataclass(frozen=True)
class Summary:
    """Median and 95th percentile of one measure, in milliseconds."""

    name: str
    runs: int
    median: float
    p95: float


def summarise(name: str, values: list[float]) -> Summary:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Summary(name, len(values), statistics.median(ordered), p95)


def run(runs: int = 60) -> tuple[list[Summary], str]:
    """Measure ``runs`` exits; returns the summaries and the browser's version."""
    from playwright.sync_api import sync_playwright

    app = create_app({"INSTANCE_PATH": "/tmp/haven-bench-instance"})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    hidden, frame, navigation = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args(find_chromium()))  # type: ignore[arg-type]
            version = f"Chromium {browser.version}"
            context = browser.new_context(base_url=base)
            held: list[Any] = []
            context.route(EXIT_URL + "**", lambda route: held.append(route))
            for _ in range(runs):
                page = context.new_page()
                seen: list[dict[str, Any]] = []
                page.expose_function("__havenBench", lambda value, seen=seen: seen.append(value))
                page.goto("/")
                page.wait_for_function("() => document.body.classList.contains('haven-js-enabled')")
                page.evaluate(PROBE)
                page.keyboard.press("Escape")
                while not seen or not held:
                    page.wait_for_timeout(5)
                held.pop().fulfill(content_type="text/html", body=EXIT_PAGE)
                held.clear()
                page.wait_for_url(EXIT_URL)
                page.wait_for_function("() => window.__navStart !== undefined")
                nav_start = page.evaluate("window.__navStart")
                result = seen[0]
                assert result["mainBoxes"] == 0, "content was not hidden in the key handler"
                hidden.append(result["hidden"])
                frame.append(result["frame"])
                navigation.append(nav_start - result["keyAt"])
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return [
        summarise("key event → handler done, content hidden", hidden),
        summarise("key event → next frame painted blank", frame),
        summarise("key event → exit page navigation start", navigation),
    ], version
