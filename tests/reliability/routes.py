"""Concrete requests for every URL rule the demo app has, found from its url_map.

Built from the app itself, so a route added by a new component is covered by
the header checks and the fuzzing without editing these tests (and
:func:`uncovered_rules` fails loudly if a rule has arguments we cannot fill).
"""

from __future__ import annotations

from flask import Flask

from flask_haven import assets
from flask_haven.catalogue import load_components

# Values for each URL argument name: real ones (which answer 200) and made-up
# ones (which must answer 404, never 500).
KNOWN_ARGUMENTS = {"filename", "name", "example_name", "code"}


def _bundle_files() -> list[str]:
    return [f"dist/{name}" for name in assets.bundle_names().values()]


def sample_urls(app: Flask) -> list[tuple[str, str]]:
    """``(method, url)`` pairs: each rule with real and made-up arguments, each method."""
    components = load_components()
    requests: list[tuple[str, str]] = []
    for rule in app.url_map.iter_rules():
        methods = [*sorted((rule.methods or set()) - {"OPTIONS"}), "OPTIONS"]
        values: list[dict[str, str]] = []
        if not rule.arguments:
            values = [{}]
        elif rule.endpoint == "static":
            values = [{"filename": "demo.css"}, {"filename": "missing.css"}]
        elif rule.endpoint.endswith(".static"):
            values = [{"filename": f} for f in _bundle_files()] + [{"filename": "dist/x.js"}]
        elif rule.arguments == {"name"}:
            values = [{"name": c.name} for c in components] + [{"name": "no-such-thing"}]
        elif rule.arguments == {"name", "example_name"}:
            values = [
                {"name": c.name, "example_name": e.name} for c in components for e in c.examples
            ] + [
                {"name": "quick-exit", "example_name": "no-such-example"},
                {"name": "no-such-thing", "example_name": "default"},
            ]
        elif rule.arguments == {"code"}:
            languages = app.config["HAVEN_LANGUAGES"]
            values = [{"code": code} for code in languages] + [{"code": "xx"}]
        else:
            continue  # reported by uncovered_rules
        for args in values:
            url = rule.rule
            for key, value in args.items():
                url = url.replace(f"<path:{key}>", value).replace(f"<{key}>", value)
            requests += [(method, url) for method in methods]
    # Things no rule matches, and a method no rule allows.
    requests += [("GET", "/no-such-page"), ("GET", "/components"), ("DELETE", "/")]
    return requests


def uncovered_rules(app: Flask) -> list[str]:
    """Rules whose arguments :func:`sample_urls` does not know how to fill."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.arguments
        and rule.endpoint != "static"
        and not rule.endpoint.endswith(".static")
        and rule.arguments not in ({"name"}, {"name", "example_name"}, {"code"})
    ]
