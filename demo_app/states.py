"""Named server-side states for the gallery's previews ("after accept", "save failed"...).

Gallery-only machinery, so it lives in the demo app, not in the library.

A designer needs to see a component in states that normally take a few clicks
(or a broken database) to reach. A YAML example names one with ``state:``;
the component's Python code registers what that name means::

    from demo_app.states import register_state

    @register_state("after-accept", component="cookie-banner",
                    description="Just after the person accepted.")
    def _after_accept():
        return {"consent_saved": True}  # extra template variables

A setup runs inside the preview's request (so it may read ``flask.request``
and set ``flask.g``; ``g`` is put back as it was afterwards) and returns
either a mapping of template variables (or ``None``), or a context manager,
entered around the render, that yields one.
A context manager suits states that must patch something and undo it, such as
making storage fail. Two template variables mean something to the gallery's
preview page: ``html_classes`` and ``body_classes`` (lists of class names
added to ``<html>`` and ``<body>``).

States are definitions, like the YAML examples, so the registry is a
module-level table keyed by name; registering a name again replaces it.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import g

Setup = Callable[[], Any]
S = TypeVar("S", bound=Setup)


class UnknownStateError(LookupError):
    """An example names a state no code has registered."""


@dataclass(frozen=True)
class State:
    """One registered state: what it is called, what it shows, how to set it up."""

    name: str
    setup: Setup
    description: str = ""
    component: str | None = None


# (component or None, name) -> State. A component's own state wins over a
# shared one of the same name, so two components may both have "save-failed".
_REGISTRY: dict[tuple[str | None, str], State] = {}


def register_state(
    name: str,
    setup: Setup | None = None,
    *,
    component: str | None = None,
    description: str = "",
) -> Any:
    """Register ``setup`` as the state ``name`` (for one ``component``, or for all).

    Use it as a call, ``register_state("x", setup)``, or as a decorator,
    ``@register_state("x")``; either way ``setup`` is returned unchanged.
    """

    def add(function: S) -> S:
        _REGISTRY[(component, name)] = State(name, function, description, component)
        return function

    return add if setup is None else add(setup)


def find_state(name: str, component: str | None = None) -> State | None:
    """The state ``name`` for ``component`` (its own, else a shared one), or ``None``."""
    return _REGISTRY.get((component, name)) or _REGISTRY.get((None, name))


def get_state(name: str, component: str | None = None) -> State:
    """The state ``name`` for ``component`` (its own, else a shared one).

    Raises :class:`UnknownStateError` when nothing registered it, so a typo in
    a YAML file fails the tests instead of silently previewing the wrong thing.
    """
    found = find_state(name, component)
    if found is None:
        where = f" for {component!r}" if component else ""
        raise UnknownStateError(
            f"no state {name!r}{where} is registered; "
            "register it with demo_app.states.register_state"
        )
    return found


def registered_states() -> tuple[State, ...]:
    """Every registered state, for listings and tests."""
    return tuple(_REGISTRY.values())


@contextlib.contextmanager
def apply_state(
    name: str | None, component: str | None = None, *, missing_ok: bool = False
) -> Iterator[dict[str, Any]]:
    """Set up the state ``name`` (no-op for ``None``) and yield its template variables.

    Must run inside a request context; whatever the setup patched is undone on
    exit. An unregistered ``name`` raises :class:`UnknownStateError`, or with
    ``missing_ok`` is a no-op (the gallery then says so beside the preview).
    """
    state = None if name is None else find_state(name, component)
    if state is None:
        if name is not None and not missing_ok:
            get_state(name, component)  # raises, with the message
        yield {}
        return
    with contextlib.ExitStack() as stack:
        stack.callback(_restore_g, dict(vars(g._get_current_object())))
        result = state.setup()
        if hasattr(result, "__enter__") and hasattr(result, "__exit__"):
            result = stack.enter_context(result)
        if result is not None and not isinstance(result, Mapping):
            raise TypeError(
                f"state {name!r} setup must give a mapping of template variables or None; "
                f"got {type(result).__name__}"
            )
        yield dict(result or {})


def _restore_g(saved: dict[str, Any]) -> None:
    # A state may set flags on ``g``; the gallery renders several examples in
    # one request, so one example's state must not leak into the next, nor
    # into the gallery page around them.
    namespace = vars(g._get_current_object())
    namespace.clear()
    namespace.update(saved)


# -- states of the components that have no Python module of their own ------------


def _quick_exit_mid_exit() -> dict[str, Any]:
    # The class quick-exit.js puts on <html> the moment an exit starts; its CSS
    # hides everything in <body>. Setting it server-side shows a designer the
    # exact frame a person sees before the neutral page loads: nothing.
    return {"html_classes": ["haven-quick-exit-active"]}


register_state(
    "mid-exit",
    _quick_exit_mid_exit,
    component="quick-exit",
    description="The page at the moment the exit starts: all content hidden "
    "(the class haven-quick-exit-active on <html>, set server-side).",
)


# -- the cookie components under the UK statistics exception ----------------------


@contextlib.contextmanager
def _statistics_exception() -> Iterator[dict[str, Any]]:
    """Render with the demo policy's analytics relying on the statistics exception.

    The policy belongs to the app, so for this one render the app's consent
    manager is swapped for one with the variant policy, and the request's
    consent is worked out again under it (``g`` is put back afterwards). A
    gallery-only device: never do this in a site.
    """
    from flask_haven.consent import ConsentManager
    from flask_haven.state import current_state

    from .policies import statistics_policy

    state = current_state()
    original = state.consent
    if original.policy is None:
        yield {}
        return
    variant = dataclasses.replace(original.settings, policy=statistics_policy(original.policy))
    state.consent = ConsentManager(variant)
    g.pop("haven_request", None)
    try:
        yield {}
    finally:
        state.consent = original


register_state(
    "statistics-exception",
    _statistics_exception,
    description="The demo policy with analytics relying on the UK statistics exception "
    "(on until the person objects) instead of consent.",
)


def _recorded_choice() -> dict[str, Any]:
    """The person has a logged choice: the cookies page shows their receipt."""
    from flask_haven.consent import Consent
    from flask_haven.state import request_state

    resolved = request_state()
    # A fixed reference and time (10:30 UTC, 29 November 2026), so the preview
    # and its fixtures never change.
    recorded = Consent(
        {"analytics": False, "preferences": False}, "1", 1795948200, "Xq3vT9kLm2Pw8RzA"
    )
    consent = dataclasses.replace(resolved.consent, recorded=recorded)
    g.haven_request = dataclasses.replace(resolved, consent=consent)
    return {}


register_state(
    "recorded-choice",
    _recorded_choice,
    component="cookie-settings",
    description="The person refused both optional categories, and the consent log "
    "recorded it: the receipt shows their reference.",
)


def _summary_with_fields() -> dict[str, Any]:
    # The fields the summary's links lead to, after it on the preview page.
    from flask import render_template
    from markupsafe import Markup

    return {"preview_after": Markup(render_template("gallery/_summary-fields.html"))}  # noqa: S704


register_state(
    "with-fields",
    _summary_with_fields,
    component="error-summary",
    description="The feedback form the summary reports on is rendered after it, with its "
    "fields' own errors, so every link has somewhere to go.",
)
