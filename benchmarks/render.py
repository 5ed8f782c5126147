"""Server render cost: `/` with all the chrome against the same article bare.

Two measures:

- :func:`run_server`: the demo app under gunicorn (sync workers, one per
  core) on 127.0.0.1, loaded by a threaded Python client with a fixed number
  of requests per round, rounds of the two pages interleaved so they share
  any noise on the machine. Reports requests/s and, because on a small machine
  the Python client itself can be the bottleneck, the server's own CPU time
  per request (read from ``/proc``), which the client cannot distort.
- :func:`run_macros`: the time to render each YAML example of each component
  through its macro, with :mod:`timeit`, templates compiled once.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import timeit
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import servers


@dataclass(frozen=True)
class ServerResult:
    """One page under the real server."""

    name: str
    path: str
    requests: int
    per_second: float
    cpu_ms: float | None
    statuses: dict[int, int]


# Every switch that takes a component off the page. Only keys this checkout
# knows are used, so the benchmark runs before and after components land.
COMPONENT_SWITCHES = {
    "HAVEN_QUICK_EXIT_ENABLED": False,
    "HAVEN_CONSENT_POLICY": None,
    "HAVEN_PHASE": None,
}


def components_off() -> dict[str, object]:
    """Config that renders the same pages with none of the components."""
    from flask_haven.config import DEFAULTS

    return {key: value for key, value in COMPONENT_SWITCHES.items() if key in DEFAULTS}


def run_server(
    requests_per_round: int = 400, rounds: int = 3, concurrency: int = 8
) -> list[ServerResult]:
    """Requests/s of ``/`` with and without the components, and of the bare article.

    Two gunicorn servers run side by side (only one is loaded at a time): the
    demo as shipped, and the demo with every component switched off in its
    config, so both serve the same template, layout and article. The bare
    page (the article alone, no layout) is the floor.
    """
    workers = max(2, os.cpu_count() or 2)
    pages = [
        ("`/` with all components", "on", "/"),
        ("`/` with the components switched off", "off", "/"),
        ("the article alone, no layout (floor)", "off", "/_bench/bare"),
    ]
    best: dict[str, servers.LoadResult] = {}
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        on = {"INSTANCE_PATH": str(Path(tmp) / "on")}
        off = {"INSTANCE_PATH": str(Path(tmp) / "off"), **components_off()}
        with (
            servers.gunicorn(on, workers=workers) as server_on,
            servers.gunicorn(off, workers=workers) as server_off,
        ):
            chosen = {"on": server_on, "off": server_off}
            for _ in range(rounds):
                for name, which, path in pages:
                    result = servers.burst(
                        chosen[which],
                        [servers.get(path)] * requests_per_round,
                        concurrency=concurrency,
                        time_limit=120,
                    )
                    if name not in best or result.per_second > best[name].per_second:
                        best[name] = result
    return [
        ServerResult(
            name,
            path,
            len(best[name].replies),
            best[name].per_second,
            best[name].cpu_ms_per_request,
            best[name].statuses(),
        )
        for name, _which, path in pages
    ]


def _state(name: str | None, component: str) -> Any:
    """The example's state (``demo_app.states``), where this checkout has states."""
    try:
        from demo_app.states import apply_state
    except ImportError:
        return contextlib.nullcontext({})
    return apply_state(name, component, missing_ok=True)


@dataclass(frozen=True)
class MacroResult:
    """Median time to render one YAML example through its macro."""

    component: str
    example: str
    microseconds: float


def run_macros(repeat: int = 5, number: int = 200) -> list[MacroResult]:
    """Every example of every component, rendered ``number`` times per repeat."""
    from demo_app import create_app
    from flask_haven.catalogue import load_components

    results = []
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        app = create_app({"INSTANCE_PATH": str(Path(tmp) / "instance")})
        for component in load_components():
            for example in component.examples:
                # Each example in its own request, with its server-side state (if any).
                with app.test_request_context("/"), _state(example.state, component.name) as ctx:
                    template = app.jinja_env.from_string(component.macro_call(example))
                    template.render(**ctx)  # warm: imports the macro template once
                    times = timeit.repeat(
                        lambda t=template, c=ctx: t.render(**c), repeat=repeat, number=number
                    )
                    per_call = sorted(times)[len(times) // 2] / number
                    results.append(MacroResult(component.name, example.name, per_call * 1e6))
    return results
