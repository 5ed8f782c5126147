"""The designers' gallery: every component, every example, driven by the YAML files."""

from __future__ import annotations

from flask import Blueprint, Response, abort, make_response, render_template

from flask_haven.catalogue import Component, Example, get_component, load_components

gallery = Blueprint("gallery", __name__, url_prefix="/components")

# Previews are shown in iframes on the component pages, so (unlike every other
# page) they may be framed by this same site.
PREVIEW_FRAME_HEADERS = {"X-Frame-Options": "SAMEORIGIN"}


def _component_or_404(name: str) -> Component:
    component = get_component(name)
    if component is None:
        abort(404)
    return component


@gallery.route("/")
def index() -> str:
    """All components with a one-line purpose each."""
    return render_template("gallery/index.html", components=load_components())


@gallery.route("/<name>/")
def component(name: str) -> str:
    """One component: every example live, with its code and parameters."""
    component = _component_or_404(name)
    return render_template("gallery/component.html", component=component)


@gallery.route("/<name>/<example_name>/preview")
def preview(name: str, example_name: str) -> Response:
    """One example alone on a plain page, for visual review and for the tests."""
    component = _component_or_404(name)
    example: Example | None = component.example(example_name)
    if example is None:
        abort(404)
    response = make_response(
        render_template("gallery/preview.html", component=component, example=example)
    )
    from flask import current_app

    from flask_haven.security import DEFAULT_CSP

    csp = current_app.config["HAVEN_CSP"] or DEFAULT_CSP
    response.headers["Content-Security-Policy"] = csp.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    response.headers.update(PREVIEW_FRAME_HEADERS)
    return response
