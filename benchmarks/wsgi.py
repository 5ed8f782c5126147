"""The WSGI app gunicorn serves for the benchmarks and the reliability tests.

``gunicorn 'benchmarks.wsgi:app_from_env()'`` builds the demo app with the
JSON config in ``HAVEN_BENCH_CONFIG`` and adds ``/_bench/bare``: the article
of ``/`` on a bare page, without any flask-haven chrome, to compare against.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flask import Flask

from demo_app import create_app

BARE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title></head><body><main>{{ article|safe }}</main></body></html>"""


def add_bare_page(app: Flask, config: dict[str, Any]) -> None:
    """Add ``/_bench/bare``: the same article as ``/``, none of the components."""
    # A second app renders `/` once: the measured app must not have served yet.
    html = create_app(config).test_client().get("/").get_data(as_text=True)
    article = html[html.index("<article") : html.index("</article>") + len("</article>")]
    template = app.jinja_env.from_string(BARE)  # compiled once, like a file template

    def bare() -> str:
        return template.render(title="Bare", article=article)

    app.add_url_rule("/_bench/bare", "bench_bare", bare)


def app_from_env() -> Flask:
    """``create_app`` with ``HAVEN_BENCH_CONFIG`` (JSON), plus the bare page."""
    config: dict[str, Any] = json.loads(os.environ.get("HAVEN_BENCH_CONFIG") or "{}")
    app = create_app(config)
    add_bare_page(app, config)
    return app
