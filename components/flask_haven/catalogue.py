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

    ``title`` is what the gallery calls it, written by hand (a slug such as
    ``gpc`` makes a poor title). ``state`` names a server-side state the
    example needs (for example a cookie banner after acceptance); ``caller``
    is block content passed to the macro. A ``hidden`` example is for the
    tests only: rendered into the fixtures and the sweeps, never listed in the
    gallery. ``rtl_params`` replace params for a right-to-left preview (see
    :attr:`Component.rtl`).
    """

    name: str
    description: str
    params: dict[str, Any]
    caller: str | None = None
    state: str | None = None
    hidden: bool = False
    title: str = ""
    rtl_params: dict[str, Any] | None = field(default_factory=dict)

    @property
    def display_title(self) -> str:
        """The hand-written title, else one made from the name. A title made
        from a slug ("Gpc", "In welsh") reads badly; tests/test_catalogue.py
        fails on every visible example without its own."""
        return self.title or self.name.replace("-", " ").capitalize()

    def params_for(self, component: Component, *, rtl: bool = False) -> dict[str, Any]:
        """The params to render with: right to left, the component's and this
        example's right-to-left sample content replace the English."""
        if not rtl or self.rtl_params is None:
            return self.params
        return {**self.params, **component.rtl.params, **self.rtl_params}


@dataclass(frozen=True)
class RightToLeft:
    """Real right-to-left sample content for a component's previews.

    The catalogue ships English and Welsh only, so a right-to-left preview
    would otherwise set English sentences right to left, full stops at the
    start of the line. ``params`` give every text parameter the component has
    in ``lang`` (Arabic, say); texts with no parameter stay in the page's
    language.
    """

    lang: str = "ar"
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    """A component's design spec, written by hand: its sizes, its spacing and
    its states, one line each. The tokens it uses are read from its CSS
    (``demo_app.gallery``), so they cannot drift."""

    sizes: tuple[str, ...] = ()
    spacing: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    # The element the gallery shows at rest, hovered, pressed and focused, in
    # which example (a CSS selector inside that example's preview).
    interactive: str | None = None
    interactive_example: str | None = None


@dataclass(frozen=True)
class Component:
    """One component folder: its YAML description plus where its macro lives."""

    name: str
    title: str
    purpose: str
    accessibility: str
    params: tuple[Param, ...]
    examples: tuple[Example, ...]
    spec: Spec = field(default_factory=Spec)
    rtl: RightToLeft = field(default_factory=RightToLeft)
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

    def macro_call(self, example: Example, *, rtl: bool = False) -> str:
        """The Jinja a site author writes to get this example, for the gallery
        (with ``rtl``, as its right-to-left preview renders it)."""
        params = _jinja_literal(example.params_for(self, rtl=rtl))
        call = f"{self.macro_name}({params})"
        lines = [f'{{% from "{self.macro_template}" import {self.macro_name} %}}']
        if example.caller is None:
            lines.append(f"{{{{ {call} }}}}")
        else:
            lines += [f"{{% call {call} %}}", example.caller.rstrip(), "{% endcall %}"]
        return "\n".join(lines)

    def render(self, example: Example, *, rtl: bool = False, **context: Any) -> Markup:
        """Render ``example`` through the macro, in the current app context.

        ``context`` adds template variables, such as those of the example's
        state (the demo gallery sets them up in ``demo_app.states``); ``rtl``
        renders its right-to-left sample content.
        """
        call = self.macro_call(example, rtl=rtl)
        # Safe: the template is our macro call, and the macro escapes its params.
        return Markup(render_template_string(call, **context))  # noqa: S704

    def html_source(self, example: Example, *, rtl: bool = False, **context: Any) -> str:
        """The HTML ``example`` renders to, as plain text to show (escaped) as code."""
        return str(self.render(example, rtl=rtl, **context)).strip()


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
                title=ex.get("title", ""),
                # Absent: the component's right-to-left sample applies; null: the
                # example keeps its own words (it is about another language).
                rtl_params=ex.get("rtl_params", {}),
            )
            for ex in data["examples"]
        )
        spec = data.get("spec") or {}
        rtl = data.get("rtl") or {}
        component = Component(
            name=name,
            title=data["title"],
            purpose=data["purpose"],
            accessibility=data.get("accessibility", ""),
            params=params,
            examples=examples,
            spec=Spec(
                sizes=tuple(spec.get("sizes", ())),
                spacing=tuple(spec.get("spacing", ())),
                states=tuple(spec.get("states", ())),
                interactive=spec.get("interactive"),
                interactive_example=spec.get("interactive_example"),
            ),
            rtl=RightToLeft(lang=rtl.get("lang", "ar"), params=rtl.get("params") or {}),
        )
    except (KeyError, TypeError, AttributeError) as exc:
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
