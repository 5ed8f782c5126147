"""The site's own error pages, JSON errors, request ids and maintenance mode.

:func:`init_errors` is called by :class:`flask_haven.Haven`. It adds:

- a request id to every request (taken from a proxy's ``X-Request-ID`` when
  it is a short safe token, otherwise made here), echoed on every response and
  written to the log with any failure, so support can find what went wrong
  from the reference a person reads out;
- handlers that answer every HTTP error with a calm page in the layout (or
  JSON when the request prefers it), never with a traceback or an exception
  message (``HAVEN_ERROR_PAGES``);
- maintenance mode (``HAVEN_MAINTENANCE``): 503 with ``Retry-After`` for
  everything except health checks, static files and the quick exit.

Unhandled exceptions reach the 500 page through Flask's own path: Flask logs
them, then calls the ``InternalServerError`` handler. When Flask propagates
exceptions instead (``TESTING`` or ``DEBUG`` on, or ``PROPAGATE_EXCEPTIONS``
true) the exception reaches the test client or the debugger, as a developer
expects; set ``PROPAGATE_EXCEPTIONS = False`` to test the 500 page.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, current_app, g, has_request_context, jsonify, request
from flask import render_template as flask_render_template
from markupsafe import escape
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from .i18n import N_, gettext, localize, ngettext, page_language_tag
from .security import NO_STORE
from .state import current_state

if TYPE_CHECKING:
    from .settings import ErrorSettings

logger = logging.getLogger("flask_haven")

DEFAULT_NOTICE_TEXT = N_("Sorry, there was a technical problem. Please try again.")

# An id from a proxy is shown on the page and written to the log, so only a
# short token of harmless characters is trusted: nothing that could break a
# log line or the HTML.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

# Endpoints that keep working in maintenance mode: the health check, the
# bundles the 503 page needs, and the quick exit, which must never stop working.
_ALWAYS_SERVED = frozenset({"haven.healthz", "haven.static", "haven.quick_exit", "static"})


@dataclass(frozen=True)
class ErrorText:
    """What a person reads for one status: a heading and one or two sentences."""

    title: str
    message: str


# Our own words. Each says what happened without blame and what to do next.
ERROR_TEXTS: dict[int, ErrorText] = {
    400: ErrorText(
        N_("Sorry, something went wrong with that page"),
        N_(
            "We could not use what was sent. This can happen when a page has been open for a "
            "long time. Go back, reload the page and try again."
        ),
    ),
    403: ErrorText(
        N_("You cannot see this page"),
        N_("This page is not open to you. If you think it should be, contact us."),
    ),
    404: ErrorText(
        N_("Page not found"),
        N_(
            "We cannot find a page at this address. Check that the address is spelled correctly, "
            "or start again from the home page."
        ),
    ),
    405: ErrorText(
        N_("Sorry, that did not work"),
        N_("This page cannot be used in that way. Go back to the previous page and try again."),
    ),
    413: ErrorText(
        N_("What you sent is too large"),
        N_(
            "The form or file you sent is bigger than we can accept. Make it smaller and try again."
        ),
    ),
    429: ErrorText(
        N_("You have tried too many times"),
        N_(
            "To keep the service safe, we have paused requests from you for a short time. "
            "Wait a few minutes, then try again."
        ),
    ),
    500: ErrorText(
        N_("Sorry, there was a technical problem"),
        N_(
            "Please try again later. If you were sending a form, what you sent may not have "
            "been saved."
        ),
    ),
    503: ErrorText(
        N_("Sorry, the service is unavailable"),
        N_("We are working on the service. Please try again later."),
    ),
}
GENERIC_CLIENT_ERROR = ErrorText(
    N_("Sorry, that did not work"),
    N_("Go back to the previous page and try again."),
)
GENERIC_SERVER_ERROR = ERROR_TEXTS[500]


def init_errors(app: Flask, settings: ErrorSettings) -> None:
    """Register request ids, maintenance mode and (if switched on) the error handlers."""
    # First of all the app's hooks, even those registered before Haven(app):
    # during maintenance a site's own hook may need the database that is down.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_during_maintenance)
    app.after_request(_echo_request_id)
    if settings.pages:
        # Registered for the class, not per code: a site's own handler for a
        # code (``@app.errorhandler(404)``) is found first and wins.
        app.register_error_handler(HTTPException, handle_http_error)


def _settings() -> ErrorSettings:
    return current_state().settings.errors


# -- request ids -------------------------------------------------------------


def request_id() -> str:
    """The id of the current request: the proxy's if trusted and safe, else a new one.

    Ours are 12 capital hex digits in groups of four (``3F9A-C21B-7D04``), easy
    to read out over the phone.
    """
    existing = g.get("haven_request_id")
    if existing:
        return str(existing)
    settings = _settings()
    header = settings.request_id_header
    # A client's own id is shown back on error pages: only take it when the
    # site says its proxy sets it, or a visitor could put words on our page.
    given = request.headers.get(header, "") if header and settings.trust_request_id else ""
    if _SAFE_REQUEST_ID.match(given):
        value = given
    else:
        digits = secrets.token_hex(6).upper()
        value = "-".join(digits[i : i + 4] for i in range(0, 12, 4))
    g.haven_request_id = value
    return value


def _echo_request_id(response: Response) -> Response:
    header = _settings().request_id_header
    if header:
        response.headers.setdefault(header, request_id())
    return response


# -- maintenance mode ----------------------------------------------------------


def _refuse_during_maintenance() -> None:
    # The one setting read live: docs/errors.md promises that flipping
    # app.config["HAVEN_MAINTENANCE"] on a running app takes effect at once.
    if not current_app.config["HAVEN_MAINTENANCE"]:
        return
    settings = _settings()
    if request.endpoint in _ALWAYS_SERVED or request.path in settings.maintenance_exempt_paths:
        return
    raise ServiceUnavailable(retry_after=settings.maintenance_retry_after)


def healthz() -> Response:
    """``HAVEN_URL_PREFIX/healthz``: 200 "ok" while the app can answer, maintenance or not."""
    response = Response("ok\n", mimetype="text/plain")
    response.headers["Cache-Control"] = NO_STORE
    return response


# -- error responses -------------------------------------------------------------


def wants_json() -> bool:
    """True when the request asks for JSON rather than a page.

    That is when ``Accept`` ranks ``application/json`` above ``text/html``
    (``*/*`` and browsers' own headers pick the page), or when the request says
    it comes from a script with ``X-Requested-With: fetch`` or ``XMLHttpRequest``.
    """
    if request.headers.get("X-Requested-With", "").lower() in ("fetch", "xmlhttprequest"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_text(status: int) -> ErrorText:
    """The heading and message for ``status``, with the site's ``HAVEN_ERROR_MESSAGES`` first."""
    ours = ERROR_TEXTS.get(status) or (
        GENERIC_SERVER_ERROR if status >= 500 else GENERIC_CLIENT_ERROR
    )
    theirs = _settings().messages.get(status) or {}
    title = localize(theirs["title"]) if "title" in theirs else gettext(ours.title)
    message = localize(theirs["message"]) if "message" in theirs else gettext(ours.message)
    return ErrorText(title, message)


def _retry_message(status: int, retry_after: Any) -> str | None:
    """A plain sentence for a ``Retry-After`` given in seconds, if there is one."""
    if status not in (429, 503) or isinstance(retry_after, bool):
        return None
    if not isinstance(retry_after, int) or retry_after <= 0:
        return None
    minutes = max(1, round(retry_after / 60))
    if minutes < 120:
        return ngettext(
            "You can try again in about %(num)s minute.",
            "You can try again in about %(num)s minutes.",
            minutes,
        )
    return ngettext(
        "You can try again in about %(num)s hour.",
        "You can try again in about %(num)s hours.",
        round(minutes / 60),
    )


def handle_http_error(error: HTTPException) -> Any:
    """Error handler: the status's page in the layout, or JSON, with the original headers.

    The description and any exception inside ``error`` are never shown: they
    are written by developers for developers and may hold internal detail.
    """
    if error.response is not None or error.code is None:
        return error  # the view built its own response (``abort(response)``)
    status = error.code
    original = getattr(error, "original_exception", None)
    if status >= 500:
        _log_server_error(status, original)
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    try:
        response = error_response(status, retry_after=getattr(error, "retry_after", None))
    except Exception:
        # The layout itself failed (a broken template, a database the chrome
        # reads): a bare page still tells the person what happened.
        logger.exception("error page failed to render (request id %s)", request_id())
        response = _bare_error_response(status)
    response.headers.extend(headers)
    return response


def error_response(status: int, *, retry_after: Any = None) -> Response:
    """Build the page (or JSON) a person gets for ``status``; usable from a site's views."""
    text = error_text(status)
    retry = _retry_message(status, retry_after)
    rid = request_id()
    if wants_json():
        message = f"{text.message} {retry}" if retry else text.message
        body = {"status": status, "title": text.title, "message": message, "request_id": rid}
        response = jsonify(error=body)
    else:
        html = flask_render_template(
            [f"haven/errors/{status}.html", "haven/errors/error.html"],
            status=status,
            error_title=text.title,
            error_message=text.message,
            retry_message=retry,
            request_id=rid,
            haven_error_layout=_settings().layout,
        )
        response = Response(html, mimetype="text/html")
    response.status_code = status
    # An error page describes one moment; caching it could show it after the fault is fixed.
    response.headers["Cache-Control"] = NO_STORE
    return response


def _bare_error_response(status: int) -> Response:
    text = error_text(status)
    rid = request_id() if has_request_context() else ""
    reference = gettext("Reference: %(reference)s", reference=rid)
    html = (
        f'<!DOCTYPE html><html lang="{escape(page_language_tag())}"><head>'
        f'<meta charset="utf-8"><title>{escape(text.title)}</title></head><body><main>'
        f"<h1>{escape(text.title)}</h1><p>{escape(text.message)}</p>"
        f"<p>{escape(reference)}</p>"
        "</main></body></html>"
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = NO_STORE
    return response


def _log_server_error(status: int, original: BaseException | None) -> None:
    # The path without its query string: queries can hold what a person typed.
    where = f"{request.method} {request.path}"
    if isinstance(original, BaseException) and not isinstance(original, HTTPException):
        logger.error(
            "unhandled exception, request id %s, %s",
            request_id(),
            where,
            exc_info=(type(original), original, original.__traceback__),
        )
    elif status != 503 or not current_app.config["HAVEN_MAINTENANCE"]:
        logger.warning("HTTP %s, request id %s, %s", status, request_id(), where)


__all__ = [
    "DEFAULT_NOTICE_TEXT",
    "ERROR_TEXTS",
    "ErrorText",
    "error_response",
    "error_text",
    "handle_http_error",
    "init_errors",
    "request_id",
    "wants_json",
]
