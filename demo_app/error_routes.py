"""Demo pages that fail on purpose, registered only when ``DEMO_ERROR_ROUTES`` is true.

The browser tests use them to see the 500 and 503 pages, and a form that
shows an error summary. A normal run of the demo never has them.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from werkzeug.exceptions import TooManyRequests

error_routes = Blueprint("demo_errors", __name__, url_prefix="/_demo")

# The tests check that this never reaches a response.
SECRET = "s3cr3t-database-password"  # noqa: S105  (a fake, for the tests)


@error_routes.route("/raise")
def raise_exception() -> str:
    """A bug: an exception whose message holds something private."""
    raise RuntimeError(f"could not connect with {SECRET}")


@error_routes.route("/abort/<int:status>")
def abort_with(status: int) -> str:
    """Answer with ``status`` (429 comes with a ``Retry-After``)."""
    if status == 429:
        raise TooManyRequests(retry_after=120)
    abort(status)


@error_routes.route("/form", methods=["GET", "POST"])
def form() -> str:
    """A form with a text field and a group of radios, re-shown with an error summary."""
    errors: dict[str, str] = {}
    values = {"full_name": "", "contact_method": ""}
    if request.method == "POST":
        values = {key: request.form.get(key, "").strip() for key in values}
        if not values["full_name"]:
            errors["full_name"] = "Enter your full name"
        if values["contact_method"] not in ("email", "phone", "post"):
            errors["contact_method"] = "Select how you would like us to contact you"
    return render_template("demo_errors/form.html", errors=errors, values=values)
