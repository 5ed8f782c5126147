"""Screenshots of the gallery for review: ``python -m demo_app.screenshots`` (``make screenshots``).

Serves the demo on a free port, opens it in Chromium (found the same way the
test plugin finds it) and writes full-page PNGs of the gallery index, a
component page, the full-page preview and the news page itself, at phone
(390 px) and desktop (1280 px) widths, into ``screenshots/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

from demo_app import create_app

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {"phone": 390, "desktop": 1280}
PAGES = {
    "gallery-index": "/components/",
    "component-quick-exit": "/components/quick-exit/",
    "gallery-full-page": "/components/full-page/",
    "gallery-themes": "/components/themes/",
    "news-page": "/",
    # Welsh words run longer: the pages most likely to wrap differently.
    "news-page-welsh": "/?lang=cy",
    "feedback-welsh": "/feedback?lang=cy",
    "cookies-errors-right-to-left": "/components/cookie-settings/errors/preview?dir=rtl",
}

# Lazy previews below the fold would be blank in a full-page shot: load them all.
LOAD_EVERY_FRAME = """() => Promise.all([...document.querySelectorAll('iframe')].map(f => {
  f.loading = 'eager'
  const doc = f.contentDocument
  const loaded = doc && doc.readyState === 'complete' && doc.body && doc.body.childElementCount
  return loaded ? null : new Promise(done => f.addEventListener('load', done))
}))"""


def take(out: Path) -> list[Path]:
    """Write every screenshot into ``out``; return their paths."""
    from playwright.sync_api import sync_playwright

    from flask_haven.testing.browser import find_chromium, launch_args
    from flask_haven.testing.plugin import LiveServer

    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as instance:
        server = LiveServer(create_app({"INSTANCE_PATH": Path(instance)})).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**launch_args(find_chromium()))  # type: ignore[arg-type]
                for label, width in WIDTHS.items():
                    context = browser.new_context(
                        base_url=server.url, viewport={"width": width, "height": 900}
                    )
                    page = context.new_page()
                    for name, path in PAGES.items():
                        page.goto(path)
                        page.evaluate(LOAD_EVERY_FRAME)
                        page.wait_for_load_state("networkidle")
                        target = out / f"{name}-{label}.png"
                        page.screenshot(path=str(target), full_page=True)
                        written.append(target)
                    context.close()
                browser.close()
        finally:
            server.stop()
    return written


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots and list them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    options = parser.parse_args(argv)
    for path in take(options.out):
        print(f"screenshot: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
