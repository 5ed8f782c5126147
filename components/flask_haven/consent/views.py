"""Routes that save a choice: the banner's endpoint and the cookies page view.

Both answer a plain form post (no JavaScript) with a 303 redirect or a page,
and a ``fetch`` from the bundle (``Accept: application/json``) with JSON, so
the page never reloads when JavaScript is on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    render_template_string,
    request,
    session,
)
from werkzeug.exceptions import Forbidden, TooManyRequests
from werkzeug.wrappers import Response

from ..csrf import came_from_this_site
from ..errors import wants_json
from ..i18n import gettext, localize
from ..paths import app_url, safe_return_path
from ..ratelimit import bound_body, client_key
from ..security import NO_STORE
from ..state import current_state, request_state
from .log import ConsentLogError
from .manager import FLASH_KEY, ConsentManager

SETTINGS_SAVED_KEY = "haven_cookie_settings_saved"


def _manager() -> ConsentManager:
    return current_state().consent


def _json(status: int, **body: Any) -> Response:
    response = jsonify(ok=status == 200, **body)
    response.status_code = status
    response.headers["Cache-Control"] = NO_STORE
    return response


def _saved_json(choices: dict[str, bool], **extra: Any) -> Response:
    """The answer to a save made with fetch: what is allowed now, what to clear."""
    manager = _manager()
    return _json(200, choices=choices, clear=manager.refused_patterns(choices), **extra)


def _notice_language() -> str | None:
    """The language the form was shown in (posted by it), for the proof of what was read."""
    value = request.form.get("notice_lang")
    return value if value in current_state().settings.languages else None


def _bound_save() -> None:
    """Check a save before anything reads it: its origin, its size, then posts per client.

    The forms carry no token (a token needs a session cookie, which a first
    visit must not get): a post that the browser does not vouch for as coming
    from this site is refused with 403 before anything is read, set or
    recorded (:func:`~flask_haven.csrf.came_from_this_site`). Then a huge body
    or a flood of posts costs almost nothing, and the rate limit also bounds
    the consent-log rows one client can write.
    """
    if not came_from_this_site():
        if wants_json():
            abort(_json(403))
        raise Forbidden()
    consent = current_state().settings.consent
    bound_body(consent.max_request_bytes)
    rate = consent.rate_limit
    if rate is not None and not current_state().limiter.hit(
        client_key("consent"), rate.limit, rate.window
    ):
        raise TooManyRequests(retry_after=int(rate.window))


def banner_endpoint() -> Response:
    """``POST <prefix>/consent``: the banner's Accept, Reject and Hide buttons.

    Without JavaScript it always redirects (303) to the page the person was
    on, a same-site path only, so the banner can never be used to send
    someone elsewhere; the confirmation (or the error) shows there once.
    """
    _bound_save()
    manager = _manager()
    # The form carries an app-relative path (request.full_path); the redirect
    # puts the app's prefix back, so a prefixed site never sends people out of it.
    back = app_url(safe_return_path(request.form.get("return_to")) or "/")
    action = request.form.get("cookies")
    if manager.policy is None:
        return _json(404) if wants_json() else redirect(back, 303)

    def failed(status: int) -> Response:
        if wants_json():
            return _json(status)
        session[FLASH_KEY] = "error"
        return redirect(back, 303)

    if action not in ("accept", "reject", "hide"):
        return failed(400)
    if action == "hide":
        return _json(200) if wants_json() else redirect(back, 303)
    # Reject refuses every optional category, and so objects to those that
    # rely on a UK exception: one action either way.
    choices = {name: action == "accept" for name in manager.policy.optional_names}
    outcome = "accepted" if action == "accept" else "rejected"
    response = _saved_json(choices, outcome=outcome) if wants_json() else redirect(back, 303)
    try:
        manager.save(choices, response, source="banner", language=_notice_language())
    except ConsentLogError:
        current_app.logger.exception("consent log failed; the choice was not recorded")
        return failed(503)
    if not wants_json():
        session[FLASH_KEY] = outcome
    return response


def settings_form_errors(manager: ConsentManager) -> tuple[dict[str, bool], dict[str, str]]:
    """The choices posted from the cookies page, and an error per missing one."""
    assert manager.policy is not None
    choices: dict[str, bool] = {}
    errors: dict[str, str] = {}
    for category in manager.policy.optional:
        value = request.form.get(category.name)
        if value in ("yes", "no"):
            choices[category.name] = value == "yes"
        else:
            errors[category.name] = gettext(
                "Select yes or no for %(category)s", category=localize(category.title).lower()
            )
    return choices, errors


def objection_choices(manager: ConsentManager, category: str) -> dict[str, bool] | None:
    """What stands now, with ``category`` refused: the cookies page's one-action
    objection to a category that relies on a UK exception (``None`` if unknown)."""
    assert manager.policy is not None
    if category not in manager.policy.exception_names:
        return None
    state = request_state().consent
    choices = {name: state.allows(name) for name in manager.policy.optional_names}
    choices[category] = False
    return choices


def _return_to(value: str | None) -> str | None:
    """A same-site path to link back to from the cookies page, never the page itself."""
    path = safe_return_path(value)
    if not path:
        return None
    from .manager import consent

    settings_path = consent.settings_url.split("?", 1)[0]
    return None if app_url(path).split("?", 1)[0] == settings_path else path


def cookie_settings_view(template: str) -> Callable[[], Response]:
    """A view for the cookies page, rendering ``template`` (GET and POST).

    The template gets ``cookie_settings``, the params for the
    ``haven_cookie_settings`` macro (posted values, errors, the saved message
    and the page to go back to), and the page title should start with
    "Error:" when ``cookie_settings.errors``. Register it where the site wants
    its cookies page::

        app.add_url_rule("/cookies", "cookies", cookie_settings_view("cookies.html"),
                         methods=["GET", "POST"])
    """

    def view() -> Response:
        manager = _manager()
        params: dict[str, Any] = {}
        status = 200
        if request.method == "POST" and manager.policy is not None:
            _bound_save()
            back = _return_to(request.form.get("return_to"))
            params["return_to"] = back
            objected = request.form.get("object")
            if objected is not None:
                found = objection_choices(manager, objected)
                choices, errors = (found or {}), ({} if found else {"": "unknown"})
                source = "objection"
            else:
                choices, errors = settings_form_errors(manager)
                params["choices"] = {n: "yes" if v else "no" for n, v in choices.items()}
                source = "cookies-page"
            if "" in errors:
                params["failed"] = True
                status = 400
            elif errors:
                params["errors"] = errors
                status = 400
            else:
                response = (
                    _saved_json(choices) if wants_json() else redirect(app_url(request.path), 303)
                )
                try:
                    manager.save(choices, response, source=source, language=_notice_language())
                except ConsentLogError:
                    current_app.logger.exception("consent log failed; the choice was not recorded")
                    params["failed"] = True
                    status = 503
                else:
                    if wants_json():
                        # The receipt is rendered here, so the page shows the new
                        # reference without a reload (one template for both paths).
                        body = response.get_json()
                        body["receipt"] = _receipt_html()
                        response.set_data(current_app.json.dumps(body))
                    else:
                        session[SETTINGS_SAVED_KEY] = back or True
                    return response
            if wants_json():
                return _json(status, errors=params.get("errors", {}))
        else:
            saved = session.pop(SETTINGS_SAVED_KEY, None)
            if saved:
                params["saved"] = True
                params["return_to"] = _return_to(saved if isinstance(saved, str) else None)
            else:
                params["return_to"] = _return_to(request.args.get("return_to"))
        html = render_template(template, cookie_settings=params)
        return make_response(html, status)

    view.__name__ = "cookie_settings"
    view.__doc__ = "The cookies page: what each cookie does, and the choice per category."
    return view


def _receipt_html() -> str:
    """The cookies page's receipt for the choice just saved (for a save made with fetch)."""
    source = (
        '{% from "haven/cookie-settings/macro.html" import haven_cookie_settings_receipt %}'
        "{{ haven_cookie_settings_receipt() }}"
    )
    return render_template_string(source)


def register(app: Any, url_prefix: str) -> None:
    """Mount the banner's endpoint under the extension's URL prefix."""
    blueprint = Blueprint("haven_consent", __name__, url_prefix=url_prefix)
    blueprint.add_url_rule("/consent", "save", banner_endpoint, methods=["POST"])
    app.register_blueprint(blueprint)
