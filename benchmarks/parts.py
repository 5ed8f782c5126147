"""In-process CPU cost of the chrome: each component, and the whole page with and without it.

Self-contained on purpose: it imports only ``demo_app`` and ``flask_haven``
from ``sys.path``, so :mod:`benchmarks.before_after` can run this very file
against an older checkout of the library (``PYTHONPATH=<old>/components:<old>``)
and compare like with like. Run alone it prints JSON::

    python benchmarks/parts.py [--rounds N] [--requests N] [--number N]

Every figure is CPU time of this process (``time.process_time``), not wall
time: the machine is shared, and another process's load must not count as
ours. Pairs are interleaved (A, B, A, B...) so both sides meet the same noise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Every switch that takes a component off the page (only those this checkout knows).
COMPONENT_SWITCHES = {
    "HAVEN_QUICK_EXIT_ENABLED": False,
    "HAVEN_CONSENT_POLICY": None,
    "HAVEN_PHASE": None,
}
# A first-time visitor's request for the home page, as a browser sends it.
BROWSER_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-GB,en;q=0.9",
    "User-Agent": "Mozilla/5.0 (benchmark)",
}


def components_off() -> dict[str, object]:
    """Config that renders the same pages with none of the components."""
    from flask_haven.config import DEFAULTS

    return {key: value for key, value in COMPONENT_SWITCHES.items() if key in DEFAULTS}


def _app(folder: Path, **config: Any) -> Any:
    from demo_app import create_app

    return create_app({"INSTANCE_PATH": str(folder), **config})


def _wsgi_runner(app: Any, path: str) -> Callable[[int], float]:
    """A function that sends ``n`` requests straight to the WSGI app; CPU s per request."""
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path=path, headers=BROWSER_HEADERS).get_environ()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        return None

    def run(n: int) -> float:
        started = time.process_time()
        for _ in range(n):
            body = app(dict(environ), start_response)
            for _chunk in body:
                pass
            close = getattr(body, "close", None)
            if close is not None:
                close()
        return (time.process_time() - started) / n

    return run


def page_cpu(rounds: int = 12, requests: int = 300, path: str = "/") -> dict[str, Any]:
    """CPU µs per request for ``path`` with and without the components, interleaved.

    Each request goes straight to the WSGI app (no HTTP, no test client), so
    the figure is the app's own work. The ratio is ``without / with`` per round
    (1.0: the chrome is free); the median round is reported, with the range.
    """
    with tempfile.TemporaryDirectory(prefix="haven-parts-") as tmp:
        on = _wsgi_runner(_app(Path(tmp) / "on"), path)
        off = _wsgi_runner(_app(Path(tmp) / "off", **components_off()), path)
        on(50), off(50)  # warm: imports, compiled templates, kept fragments
        with_times, without_times, ratios = [], [], []
        for _ in range(rounds):
            with_cpu, without_cpu = on(requests), off(requests)
            with_times.append(with_cpu)
            without_times.append(without_cpu)
            ratios.append(without_cpu / with_cpu)
    return {
        "with_us": statistics.median(with_times) * 1e6,
        "without_us": statistics.median(without_times) * 1e6,
        "ratio": statistics.median(ratios),
        "ratio_low": min(ratios),
        "ratio_high": max(ratios),
        # Noise only ever adds time: the best rounds of each, compared.
        "ratio_of_best": min(without_times) / min(with_times),
        "rounds": rounds,
        "requests": requests,
    }


def _state(name: str | None, component: str) -> Any:
    """The example's server-side state (``demo_app.states``), where this checkout has one."""
    try:
        from demo_app.states import apply_state
    except ImportError:
        return contextlib.nullcontext({})
    return apply_state(name, component, missing_ok=True)


def _forget_fragments(app: Any) -> None:
    """Drop the kept chrome, the app's and this request's (older checkouts keep none)."""
    from flask import request

    state = app.extensions.get("haven")
    if state is not None and hasattr(state, "fragments"):
        state.fragments = None
    request.__dict__.pop("_haven_chrome", None)


def macro_times(number: int = 300, repeat: int = 5) -> list[dict[str, Any]]:
    """CPU µs to render each YAML example through its macro, as a page pays for it.

    The macro is called straight from its template's module (a page imports
    it once; Jinja's import itself is not the component's cost). ``kept``:
    every call after the first in a request (the chrome's fragments kept,
    where this checkout keeps them). ``anew``: the kept fragments dropped
    before each call, which is what the first page pays (or every page of a
    site in debug mode). Median of ``repeat`` runs of ``number`` calls.
    """
    from flask_haven.catalogue import load_components

    results = []
    with tempfile.TemporaryDirectory(prefix="haven-parts-") as tmp:
        app = _app(Path(tmp) / "instance")
        for component in load_components():
            module = app.jinja_env.get_template(component.macro_template).module
            macro = getattr(module, component.macro_name)
            for example in component.examples:
                if example.caller is not None:
                    continue  # block content: not a chrome component's way
                with app.test_request_context("/"), _state(example.state, component.name):
                    app.preprocess_request()
                    params = example.params
                    macro(params)

                    def kept(m: Any = macro, p: Any = params) -> None:
                        m(p)

                    def anew(m: Any = macro, p: Any = params) -> None:
                        _forget_fragments(app)
                        m(p)

                    results.append(
                        {
                            "component": component.name,
                            "example": example.name,
                            "kept_us": _median_cpu(kept, number, repeat),
                            "anew_us": _median_cpu(anew, max(number // 5, 20), repeat),
                        }
                    )
    return results


def _median_cpu(function: Callable[[], None], number: int, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        for _ in range(number):
            function()
        runs.append((time.process_time() - started) / number)
    return statistics.median(runs) * 1e6


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep the app's log lines (a missing state, say) off stdout, which carries the JSON."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--number", type=int, default=300)
    parser.add_argument("--skip-macros", action="store_true")
    options = parser.parse_args(argv)
    with _quiet():
        result = {
            "page": page_cpu(options.rounds, options.requests),
            "macros": [] if options.skip_macros else macro_times(options.number),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
