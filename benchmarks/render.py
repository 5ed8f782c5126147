"""Server render cost: the `/` page with all the chrome against the same article bare."""

from __future__ import annotations

import time
from dataclasses import dataclass

from demo_app import create_app

BARE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><main>{{ article|safe }}</main></body></html>"""


@dataclass(frozen=True)
class RenderResult:
    """Requests per second through Flask's test client (no network)."""

    name: str
    per_second: float


def _rate(client: object, path: str, seconds: float) -> float:
    get = client.get  # type: ignore[attr-defined]
    get(path)  # warm caches
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        get(path).close()
        count += 1
    return count / (time.perf_counter() - start)


def run(seconds: float = 3.0) -> list[RenderResult]:
    """Measure the full page and the bare page, interleaved to share any noise."""
    config = {"INSTANCE_PATH": "/tmp/haven-bench-instance"}
    article = create_app(config).test_client().get("/").get_data(as_text=True)
    article = article[article.index("<article") : article.index("</article>") + 10]
    app = create_app(config)
    client = app.test_client()

    bare_template = app.jinja_env.from_string(BARE)  # compiled once, like a file template

    @app.route("/_bench/bare")
    def bare() -> str:
        return bare_template.render(title="Bare", article=article)

    full_rates, bare_rates = [], []
    for _ in range(3):
        full_rates.append(_rate(client, "/", seconds / 3))
        bare_rates.append(_rate(client, "/_bench/bare", seconds / 3))
    return [
        RenderResult("`/` with all components", max(full_rates)),
        RenderResult("same article, bare page", max(bare_rates)),
    ]
