"""Layout shift on every demo page, and the cookie banner's accept latency, in Chromium.

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
    const shifted = []
    const describe = (node) => !node ? '?' : node.nodeType !== 1 ? node.nodeName
      : node.nodeName.toLowerCase() + (node.id ? '#' + node.id : '') +
        (node.classList.length ? '.' + [...node.classList].join('.') : '')
    const add = (entries) => {
      for (const entry of entries) {
        if (entry.hadRecentInput) continue
        total += entry.value
        for (const source of entry.sources || []) shifted.push(describe(source.node))
      }
    }
    const observer = new PerformanceObserver((list) => add(list.getEntries()))
    observer.observe({ type: 'layout-shift', buffered: true })
    setTimeout(() => {
      add(observer.takeRecords()); observer.disconnect(); resolve({ total, shifted })
    }, 100)
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
    shifted: tuple[str, ...] = ()


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


def _accept_all(context: Any, base: str) -> None:
    """Give consent to every category, by pressing the banner's Accept button.

    In a real page, as a person would: the consent route takes posts only from
    the site's own pages (``Sec-Fetch-Site``), which a browser sends by itself.
    """
    page = context.new_page()
    try:
        page.goto(base + "/")
        page.get_by_role("button", name="Accept additional cookies").click()
        for _ in range(100):  # at most 10 s
            if any(cookie["name"] == "haven_consent" for cookie in context.cookies()):
                return
            page.wait_for_timeout(100)
    finally:
        page.close()
    raise RuntimeError(f"could not give consent on {base}/: no haven_consent cookie was set")


DEFAULT_STATES: list[State] = [("no consent yet", _no_setup)]
CONSENT_STATES: list[State] = [*DEFAULT_STATES, ("all cookies accepted", _accept_all)]


def has_cookie_banner() -> bool:
    """True when this checkout has the cookie consent component."""
    from flask_haven.config import DEFAULTS

    return "HAVEN_CONSENT_POLICY" in DEFAULTS


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
                    values, shifted = [], set()
                    for _ in range(runs):
                        page.goto(path, wait_until="load")
                        result = page.evaluate(CLS_PROBE)
                        values.append(float(result["total"]))
                        shifted.update(result["shifted"])
                    summary = summarise(path, values)
                    worst = max(values)
                    results.append(
                        PageShift(path, state, viewport, summary, worst, tuple(sorted(shifted)))
                    )
                context.close()
        browser.close()
    return results, version


ACCEPT_PROBE = """() => {
  const banner = document.querySelector('[data-module="haven-cookie-banner"]')
  const confirmation = banner.querySelector('[data-haven-confirmation]')
  let clickAt
  banner.addEventListener('click', (event) => { clickAt = event.timeStamp }, { capture: true })
  new MutationObserver(() => {
    if (confirmation.hidden || clickAt === undefined || window.__havenAccept) return
    const shown = performance.now() - clickAt
    requestAnimationFrame(() => {
      window.__havenAccept = { shown, frame: performance.now() - clickAt,
                               focused: document.activeElement === confirmation }
    })
  }).observe(confirmation, { attributes: true, attributeFilter: ['hidden'] })
}"""


def run_accept(runs: int = 30) -> list[Summary]:
    """Click "Accept additional cookies" on a fresh ``/`` ``runs`` times.

    Measured from the click event to the confirmation being shown (the fetch
    to the server, which stores the choice, included) and to the next frame.
    """
    from playwright.sync_api import sync_playwright

    shown, frame = [], []
    with serve() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_args(find_chromium()))  # type: ignore[arg-type]
        for _ in range(runs):
            context = browser.new_context(base_url=base)
            page = context.new_page()
            page.goto("/")
            page.wait_for_function("() => document.body.classList.contains('haven-js-enabled')")
            page.evaluate(ACCEPT_PROBE)
            page.get_by_role("button", name="Accept additional cookies").click()
            page.wait_for_function("() => window.__havenAccept !== undefined")
            result = page.evaluate("window.__havenAccept")
            if not result["focused"]:
                raise RuntimeError("the confirmation did not take focus")
            shown.append(result["shown"])
            frame.append(result["frame"])
            context.close()
        browser.close()
    return [
        summarise("click → confirmation shown (choice stored on the server)", shown),
        summarise("click → next frame painted", frame),
    ]
