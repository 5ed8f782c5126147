"""The feedback pages: a Blueprint a site mounts wherever it likes.

The whole flow works without JavaScript: the form posts, errors come back as
a re-rendered page (status 400) with an error summary, and success redirects
(303, post/redirect/get) to a thank-you page, so refreshing never resends.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from flask import (
    Blueprint,
    Response,
    current_app,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sansio.app import App
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as BaseResponse

from .. import coexist
from ..config import HavenConfigError
from ..csrf import csrf_is_valid
from ..db import get_engine
from ..errors import DEFAULT_NOTICE_TEXT
from ..i18n import N_, format_number, gettext
from ..paths import app_url, page_url, safe_return_path
from ..ratelimit import bound_body, client_key
from ..security import NO_STORE
from ..state import EXTENSION_KEY, current_state
from .settings import Question
from .store import run_sinks, save_feedback
from .validation import (
    HONEYPOT_FIELD,
    MAX_RETURN_TO,
    RETURN_FIELD,
    TEXT_FIELD,
    Submission,
    validate_submission,
)

log = logging.getLogger("flask_haven.feedback")

DEFAULT_URL = "/feedback"

# Message ids, translated when used.
NOT_SENT = N_("Your feedback has not been sent")
TIMED_OUT = N_("This page timed out. Check your feedback, then send it again")
TOO_LARGE = N_(
    "What you sent was too large for us to read. Feedback must be %(max_length)s "
    "characters or fewer"
)
# One whole sentence per window: translators need the sentence, not a fragment.
RATE_LIMITED = {
    1.0: N_(
        "You have sent feedback many times in a short time. Wait a few seconds and send it again."
    ),
    60.0: N_("You have sent feedback many times in a short time. Wait a minute and send it again."),
    3600.0: N_(
        "You have sent feedback many times in a short time. Wait an hour and send it again."
    ),
}
RATE_LIMITED_OTHER = N_(
    "You have sent feedback many times in a short time. Wait a while and send it again."
)


def create_feedback_blueprint(
    name: str = "feedback",
    url_prefix: str = DEFAULT_URL,
    *,
    form_template: str = "haven/feedback/form.html",
    thanks_template: str = "haven/feedback/thanks.html",
) -> Blueprint:
    """The feedback form (``<prefix>``) and thank-you page (``<prefix>/thanks``).

    ``app.register_blueprint(create_feedback_blueprint())`` mounts it at
    ``/feedback``; pass another ``url_prefix`` (here or to
    ``register_blueprint``) to move it. The page templates extend
    ``HAVEN_FEEDBACK_BASE_TEMPLATE``; to change them entirely, pass your own
    template names, or shadow ``haven/feedback/form.html`` in your app's
    ``templates/`` folder (an app's templates win over the extension's).
    The phase banner links here automatically.
    """
    blueprint = FeedbackBlueprint(name, __name__, url_prefix=url_prefix)

    def form() -> Response:
        return _form_view(form_template)

    def thanks() -> Response:
        return _no_store(
            render_template(
                thanks_template,
                return_to=_prefixed(_return_path(request.args.get(RETURN_FIELD))),
                home_url=app_url("/"),
            )
        )

    blueprint.add_url_rule("", "form", form, methods=["GET", "POST"])
    blueprint.add_url_rule("/thanks", "thanks", thanks)
    return blueprint


class FeedbackBlueprint(Blueprint):
    """The feedback pages' Blueprint: its class is how the phase banner finds it."""

    def register(self, app: App, options: dict[str, Any]) -> None:
        """Mount the pages, and fail now (not on the first post) without a ``SECRET_KEY``."""
        super().register(app, options)
        if EXTENSION_KEY in app.extensions:
            require_secret_key(app, "The feedback form")
        # A site's CSRFProtect would refuse a stale token with a bare 400 before
        # our view could re-show the typed text; we check the same token ourselves.
        coexist.exempt_from_site_csrf(app, self)


def _has_feedback_blueprint(app: App) -> bool:
    return any(isinstance(bp, FeedbackBlueprint) for bp in app.blueprints.values())


def require_secret_key(app: App, what: str) -> None:
    """Raise :class:`HavenConfigError` at start-up when ``what`` needs ``SECRET_KEY``."""
    if not app.config.get("SECRET_KEY") and not app.config.get("TESTING"):
        raise HavenConfigError(
            f"{what} needs the app's SECRET_KEY (its CSRF tokens are signed with it). "
            "Set app.config['SECRET_KEY'] to one fixed secret shared by every worker."
        )


def _return_path(value: object) -> str | None:
    """The page to go back to: a same-site path, without the query (it is stored)."""
    return safe_return_path(value, keep_query=False, max_length=MAX_RETURN_TO)


def _prefixed(path: str | None) -> str | None:
    return app_url(path) if path else None


def _form_endpoint() -> str | None:
    """Endpoint of the mounted feedback form, found once per app.

    Looked up on first use rather than recorded at registration, so a site
    may mount the blueprint before or after ``Haven(app)``. ``app.blueprints``
    names nested blueprints with their parents' names (``site.feedback``).
    """
    state = current_state()
    if not state.feedback_endpoint_known:
        state.feedback_endpoint = next(
            (
                f"{name}.form"
                for name, blueprint in current_app.blueprints.items()
                if isinstance(blueprint, FeedbackBlueprint)
            ),
            None,
        )
        state.feedback_endpoint_known = True
    return state.feedback_endpoint


def feedback_url(return_to: str | None = None) -> str | None:
    """Where the phase banner links: ``HAVEN_FEEDBACK_URL``, else the mounted form.

    ``None`` when neither exists: the banner then shows no link rather than a
    dead one. ``return_to`` (the page the person is on, app-relative) is passed
    along so the thank-you page can lead back to it; it is left off on the
    feedback page itself.
    """
    configured = current_state().settings.feedback.url
    if configured:
        base = page_url(configured)
    else:
        endpoint = _form_endpoint()
        if endpoint is None:
            return None
        base = url_for(endpoint)
    if not return_to or not base.startswith("/") or (has_request_context() and _is_feedback_page()):
        return base
    return _with_return_path(base, return_to)


@lru_cache(maxsize=1024)
def _with_return_path(base: str, return_to: str) -> str:
    # Asked for on every page that wears the phase banner; the check of the
    # path is the costly part, and a site has far fewer pages than requests.
    path = _return_path(return_to)
    return f"{base}?{RETURN_FIELD}={quote(path, safe='/')}" if path else base


def _is_feedback_page() -> bool:
    endpoint = _form_endpoint()
    return endpoint is not None and request.blueprint == endpoint.rsplit(".", 1)[0]


def _no_store(body: str | BaseResponse, status: int | None = None) -> Response:
    # What someone typed may be about their own safety: never let it be shown
    # again from the cache after they leave (quick exit, shared device).
    response = make_response(body)
    if status is not None:
        response.status_code = status
    response.headers["Cache-Control"] = NO_STORE
    return response


def _render_form(
    template: str,
    questions: tuple[Question, ...],
    *,
    status: int = 200,
    text: str = "",
    answers: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    return_to: str | None = None,
    notice: dict[str, str] | None = None,
) -> Response:
    errors = errors or {}
    # The summary lists errors in page order; each link's target is the field's id
    # (for radios, the first radio), so following it moves focus to the field.
    ordered = [name for name in (TEXT_FIELD, *(q.name for q in questions)) if name in errors]
    page = render_template(
        template,
        text=text,
        answers=answers or {},
        errors=errors,
        error_links=[{"text": errors[name], "href": f"#{name}"} for name in ordered],
        questions=questions,
        return_to=return_to,
        notice=notice,
        max_length=current_state().settings.feedback.max_length,
        action=app_url(request.path),
    )
    return _no_store(page, status)


def _parse_urlencoded(raw: bytes) -> dict[str, str]:
    """First value of each field, decoding bytes that are not UTF-8 as U+FFFD.

    Werkzeug keeps such bytes as literal ``%ED%A0`` text, which would store
    something the person never typed; U+FFFD is refused by validation instead.
    """
    values: dict[str, str] = {}
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        key = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
        if key and key not in values:
            values[key] = unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8", "replace")
    return values


def _first_values(questions: tuple[Question, ...]) -> dict[str, str]:
    """The fields the form knows, first value each; anything else is ignored."""
    # Another extension (Flask-WTF's CSRFProtect) may have parsed the form
    # already, which consumes the body: then its parse is the only one left.
    form_parsed = "form" in request.__dict__
    if request.mimetype == "application/x-www-form-urlencoded" and not form_parsed:
        form: Any = _parse_urlencoded(request.get_data(cache=True))
    else:
        form = request.form
    names = (TEXT_FIELD, RETURN_FIELD, HONEYPOT_FIELD, *(q.name for q in questions))
    values = {}
    for name in names:
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    return values


def _form_view(template: str) -> Response:
    """GET shows the form; POST reads, checks, limits, stores, then redirects."""
    settings = current_state().settings.feedback
    if request.method == "GET":
        return _render_form(
            template, settings.questions, return_to=_return_path(request.args.get(RETURN_FIELD))
        )
    # Our own limit, unless the site has set a stricter one for the whole app.
    bound_body(settings.max_request_bytes)
    try:
        form = _first_values(settings.questions)
    except RequestEntityTooLarge:
        too_large = gettext(TOO_LARGE, max_length=format_number(settings.max_length))
        return _render_form(
            template, settings.questions, status=413, errors={TEXT_FIELD: too_large}
        )
    return _handle_post(
        template, form, validate_submission(form, settings.questions, settings.max_length)
    )


def _handle_post(template: str, form: dict[str, str], submission: Submission) -> Response:
    """The checks a read post goes through, in order, and storing it."""
    state = current_state()
    settings = state.settings.feedback

    def rerender(status: int, **extra: Any) -> Response:
        """The form again, with everything the person entered kept."""
        return _render_form(
            template,
            settings.questions,
            status=status,
            text=submission.text,
            answers=submission.answers,
            return_to=submission.return_to,
            **extra,
        )

    rate = settings.rate_limit
    key = client_key("feedback")
    if rate is not None and not state.rate_limit_store.hit(key, rate.limit, rate.window):
        text = gettext(RATE_LIMITED.get(rate.window, RATE_LIMITED_OTHER))
        response = rerender(429, notice={"title": gettext(NOT_SENT), "text": text})
        response.headers["Retry-After"] = str(int(rate.window))
        return response
    if not csrf_is_valid():
        # The re-rendered form carries a fresh token; a real problem with the
        # text says more than "timed out", so it wins.
        return rerender(400, errors={TEXT_FIELD: gettext(TIMED_OUT), **submission.errors})
    if form[HONEYPOT_FIELD]:
        # Only bots fill the hidden field. Pretend it worked so they learn nothing.
        log.info("feedback honeypot filled; nothing stored")
        return _thanks_redirect(submission.return_to)
    if not submission.is_valid:
        return rerender(400, errors=submission.errors)
    try:
        stored = save_feedback(
            get_engine(), submission.text, submission.answers, submission.return_to
        )
    except SQLAlchemyError:
        log.exception("could not store feedback")
        return rerender(
            503, notice={"title": gettext(NOT_SENT), "text": gettext(DEFAULT_NOTICE_TEXT)}
        )
    run_sinks(stored, settings.sinks)
    return _thanks_redirect(submission.return_to)


def _thanks_redirect(return_to: str | None) -> Response:
    target = url_for(".thanks")
    if return_to:
        target += f"?{RETURN_FIELD}={quote(return_to, safe='/')}"
    return _no_store(redirect(target, code=303))
