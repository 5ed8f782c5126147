"""The components and their documented examples, read from each folder's YAML.

Each ``components/<name>/<name>.yaml`` holds the component's purpose, its
``params`` (name, type, required, description) and named ``examples``. The
demo gallery, the render tests, the browser tests and the accessibility sweep
all loop over :func:`load_components`, so an example added to a YAML file is
previewed and tested without touching any other file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from flask import render_template_string
from markupsafe import Markup

from .assets import COMPONENTS_DIR

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Param:
    """One documented macro parameter."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Example:
    """A named set of macro params, previewed in the gallery and tested.

    ``state`` names a server-side state the example needs (for example a
    cookie banner after acceptance); ``caller`` is block content passed to
    the macro. A ``hidden`` example is for the tests only: rendered into the
    fixtures and the sweeps, never listed in the gallery.
    """

    name: str
    description: str
    params: dict[str, Any]
    caller: str | None = None
    state: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Component:
    """One component folder: its YAML description plus where its macro lives."""

    name: str
    title: str
    purpose: str
    accessibility: str
    params: tuple[Param, ...]
    examples: tuple[Example, ...]
    macro_template: str = field(init=False)
    macro_name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "macro_template", f"haven/{self.name}/macro.html")
        object.__setattr__(self, "macro_name", "haven_" + self.name.replace("-", "_"))

    @property
    def visible_examples(self) -> tuple[Example, ...]:
        """The examples the gallery shows (all but the hidden, test-only ones)."""
        return tuple(ex for ex in self.examples if not ex.hidden)

    def example(self, name: str) -> Example | None:
        """The example called ``name``, or ``None``."""
        return next((ex for ex in self.examples if ex.name == name), None)

    def macro_call(self, example: Example) -> str:
        """The Jinja a site author writes to get this example, for the gallery."""
        params = _jinja_literal(example.params)
        call = f"{self.macro_name}({params})"
        lines = [f'{{% from "{self.macro_template}" import {self.macro_name} %}}']
        if example.caller is None:
            lines.append(f"{{{{ {call} }}}}")
        else:
            lines += [f"{{% call {call} %}}", example.caller.rstrip(), "{% endcall %}"]
        return "\n".join(lines)

    def render(self, example: Example, **context: Any) -> Markup:
        """Render ``example`` through the macro, in the current app context.

        ``context`` adds template variables, such as those of the example's
        state (the demo gallery sets them up in ``demo_app.states``).
        """
        # Safe: the template is our macro call, and the macro escapes its params.
        return Markup(render_template_string(self.macro_call(example), **context))  # noqa: S704

    def html_source(self, example: Example, **context: Any) -> str:
        """The HTML ``example`` renders to, as plain text to show (escaped) as code."""
        return str(self.render(example, **context)).strip()


def _jinja_literal(value: Any) -> str:
    """Python value -> Jinja literal (dicts, lists, str, bool, numbers, None)."""
    if isinstance(value, dict):
        items = ", ".join(f"{_jinja_literal(k)}: {_jinja_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_jinja_literal(v) for v in value) + "]"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


class CatalogueError(ValueError):
    """A component's YAML file is missing a field or names things badly."""


def _load_one(name: str) -> Component:
    path = COMPONENTS_DIR / name / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = f"{path.name}"
    try:
        params = tuple(
            Param(p["name"], p["type"], bool(p.get("required", False)), p["description"])
            for p in data.get("params", [])
        )
        examples = tuple(
            Example(
                name=ex["name"],
                description=ex["description"],
                params=ex.get("params") or {},
                caller=ex.get("caller"),
                state=ex.get("state"),
                hidden=bool(ex.get("hidden", False)),
            )
            for ex in data["examples"]
        )
        component = Component(
            name=name,
            title=data["title"],
            purpose=data["purpose"],
            accessibility=data.get("accessibility", ""),
            params=params,
            examples=examples,
        )
    except (KeyError, TypeError) as exc:
        raise CatalogueError(f"{where}: missing or malformed field {exc}") from exc
    for example in examples:
        if not _SLUG.match(example.name):
            raise CatalogueError(f"{where}: example name {example.name!r} is not kebab-case")
    if len({ex.name for ex in examples}) != len(examples):
        raise CatalogueError(f"{where}: example names must be unique")
    return component


@cache
def load_components() -> tuple[Component, ...]:
    """Every component with a YAML file, sorted by name (read once per process)."""
    names = sorted(
        folder.name
        for folder in COMPONENTS_DIR.iterdir()
        if (folder / f"{folder.name}.yaml").is_file()
    )
    return tuple(_load_one(name) for name in names)


def get_component(name: str) -> Component | None:
    """The component called ``name``, or ``None``."""
    return next((c for c in load_components() if c.name == name), None)
