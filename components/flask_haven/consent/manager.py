"""The consent state of a request, and how a choice is saved and enforced.

:class:`ConsentManager` is created once per app by ``Haven.init_app``;
:data:`consent` is the API views and templates use (``haven.consent`` in
Jinja): it finds the current app's manager, so one :class:`~flask_haven.Haven`
object can serve several apps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app, has_request_context, request, session
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from ..paths import page_url
from ..state import current_state, peek_request_state, request_state
from . import log
from .codec import COOKIE_NAME, Consent, decode, encode
from .policy import Policy

if TYPE_CHECKING:  # settings imports the policy module: no import at run time
    from ..settings import ConsentSettings

FLASH_KEY = "haven_consent_flash"


@dataclass
class RequestConsent:
    """What the current request says: a valid recorded choice, GPC, the banner's flash.

    ``saved`` is the choice saved by this very request (the banner's or the
    cookies page's POST), so the one clearing step knows to expire every
    refused cookie, not only those the request carried.
    """

    recorded: Consent | None
    gpc: bool
    banner_flash: str | None = None
    saved: Consent | None = None

    def allows(self, category: str) -> bool:
        """Essential always; an optional category only when the person allowed it."""
        if category == "essential":
            return True
        return self.recorded is not None and self.recorded.allows(category)

    @property
    def gpc_applies(self) -> bool:
        """GPC stands in for a "no" only while the person has not chosen."""
        return self.recorded is None and self.gpc


class ConsentManager:
    """One app's policy and consent settings (see ``docs/cookies.md``).

    Built by ``Haven.init_app`` from the checked settings. The consent log's
    table is created on first use (flask_haven.db), not here: a database that
    is down must not stop the site, quick exit and all, from starting; saving
    a choice then fails with the error notice.
    """

    def __init__(self, settings: ConsentSettings) -> None:
        self.settings = settings
        self.policy: Policy | None = settings.policy

    # -- reading (once per request, by the request-state resolver) -------------------

    def resolve(self) -> RequestConsent:
        """The consent state of this request: the signed cookie, GPC, and the
        banner's one-time flash, taken from the session here, before rendering."""
        recorded = None
        flash = None
        # No cookie at all (every first visit): no choice to read, no session flash.
        if self.policy is not None and request.environ.get("HTTP_COOKIE"):
            # A browser sends every ``haven_consent`` whose path matches, the
            # deepest path first: a stale one left on ``/some/path`` must not
            # hide (or get deleted in place of) the valid ``Path=/`` choice.
            # The newest valid one wins.
            secret = current_app.config["SECRET_KEY"] or ""
            valid = [
                consent
                for value in request.cookies.getlist(COOKIE_NAME)
                if (
                    consent := decode(
                        value, self.policy, secret, max_age_seconds=self.settings.max_age_seconds
                    )
                )
                is not None
            ]
            recorded = max(valid, key=lambda c: c.given_at) if valid else None
            if FLASH_KEY in session:
                flash = str(session.pop(FLASH_KEY))
        gpc = self.settings.honour_gpc and request.headers.get("Sec-GPC", "").strip() == "1"
        return RequestConsent(recorded=recorded, gpc=gpc, banner_flash=flash)

    # -- saving ----------------------------------------------------------------

    def save(self, choices: dict[str, bool], response: Response) -> Consent:
        """Record ``choices`` on ``response``: log (if on), then the consent cookie.

        Raises :class:`~flask_haven.consent.log.ConsentLogError` before
        touching the response when the log is on and fails, so a choice is
        either recorded everywhere or nowhere. Refused cookies are expired by
        :meth:`clear_refused_cookies`, the one place that clears, after the view.
        """
        assert self.policy is not None
        choices = {name: bool(choices.get(name)) for name in self.policy.optional_names}
        now = int(time.time())
        record_id = None
        if self.settings.log:
            record_id = log.new_record_id()
            log.record(record_id, choices, self.policy.version, now)
        consent = Consent(choices, self.policy.version, now, record_id)
        response.set_cookie(
            COOKIE_NAME,
            encode(consent, current_app.config["SECRET_KEY"] or ""),
            max_age=self.settings.max_age_seconds,
            path=consent_cookie_path(),
            secure=request.is_secure,
            samesite="Lax",
        )
        state = request_state().consent
        state.recorded = state.saved = consent
        return consent

    def refused_patterns(self, choices: dict[str, bool]) -> list[str]:
        """Cookie names and patterns of every category ``choices`` refuses."""
        assert self.policy is not None
        return [
            cookie.name
            for category in self.policy.optional
            if not choices.get(category.name)
            for cookie in category.cookies
        ]

    def cookies_to_clear(self, choices: dict[str, bool], *, only_present: bool) -> list[str]:
        """Names to expire: each refused named cookie (unless ``only_present``)
        and each cookie in the request matching a refused pattern."""
        assert self.policy is not None
        names: list[str] = []
        for category in self.policy.optional:
            if choices.get(category.name):
                continue
            for cookie in category.cookies:
                if not cookie.is_pattern and not only_present:
                    names.append(cookie.name)
                names += [n for n in request.cookies if cookie.matches(n) and n not in names]
        return names

    def clear_refused_cookies(self, response: Response) -> Response:
        """``after_request``, and the one place the server clears cookies.

        Nothing of a refused category survives a page view: cookies set before
        the choice changed (or before a policy version bump voided it), and an
        unusable consent cookie, are expired. After a save, every refused named
        cookie is expired; otherwise only cookies the request carries are
        touched, so most pages add no header. The browser script then clears
        only what a server cannot reach (cookies on other paths or domains).
        """
        if self.policy is None:
            return response
        resolved = peek_request_state()
        saved = resolved is not None and resolved.consent.saved is not None
        if not saved and not request.environ.get("HTTP_COOKIE"):
            return response  # most first visits: nothing to clear
        if response.mimetype not in ("text/html", "application/json") and not (
            300 <= response.status_code < 400
        ):
            return response
        if not request.cookies and not saved:
            return response
        state = request_state().consent
        if COOKIE_NAME in request.cookies and state.recorded is None:
            response.delete_cookie(COOKIE_NAME, path=consent_cookie_path())
        choices = {name: state.allows(name) for name in self.policy.optional_names}
        for name in self.cookies_to_clear(choices, only_present=not saved):
            response.delete_cookie(name, path="/")
        return response


def consent_cookie_path() -> str:
    """The consent cookie's ``Path``: the app's root, as for the session cookie.

    Under a prefix (``/gethelp``) the choice belongs to that app only, like its
    session; Flask's own rule (``SESSION_COOKIE_PATH``, else ``APPLICATION_ROOT``)
    is reused, falling back to the request's ``SCRIPT_NAME`` when the site set
    neither (DispatcherMiddleware, ProxyFix ``x_prefix``).
    """
    path = str(current_app.session_interface.get_cookie_path(current_app) or "/")
    if path == "/" and has_request_context() and request.script_root:
        return request.script_root
    return path


class ConsentAPI:
    """``haven.consent``: ask about consent from views (Python) and templates (Jinja)."""

    @staticmethod
    def _manager() -> ConsentManager:
        return current_state().consent

    @property
    def enabled(self) -> bool:
        """True when the app has a cookie policy."""
        return self._manager().policy is not None

    @property
    def policy(self) -> Policy | None:
        """The app's :class:`Policy` (``None`` when the cookie manager is off)."""
        return self._manager().policy

    @property
    def settings_url(self) -> str:
        """Where the cookies page is (``HAVEN_CONSENT_SETTINGS_URL``), inside the app's prefix."""
        return page_url(self._manager().settings.settings_url)

    def allows(self, category: str) -> bool:
        """True if this request may use cookies of ``category``.

        ``essential`` is always allowed; an optional category only after the
        person allowed it under the current policy version. No consent yet,
        GPC, an expired or unreadable cookie all mean no.
        """
        if not has_request_context():
            return category == "essential"
        return request_state().consent.allows(category)

    def allowed_categories(self) -> list[str]:
        """The optional categories this request may use, in policy order.

        The layout writes them into the page (``data-haven-consent`` on
        ``<html>``) so the browser script trusts the server's reading of the
        signed cookie, never the cookie's unsigned text.
        """
        policy = self.policy
        if policy is None or not has_request_context():
            return []
        recorded = request_state().consent.recorded
        if recorded is None:
            return []
        return [name for name in policy.optional_names if recorded.allows(name)]

    def recorded(self) -> Consent | None:
        """The person's valid choice, or ``None`` if they have not made one."""
        return request_state().consent.recorded

    def form_values(self) -> dict[str, str]:
        """The recorded choice as cookies-page radio values (empty if none made)."""
        recorded = self.recorded()
        if recorded is None:
            return {}
        return {name: "yes" if yes else "no" for name, yes in recorded.choices.items()}

    def gpc_applies(self) -> bool:
        """True when Global Privacy Control is being taken as a "no"."""
        return request_state().consent.gpc_applies

    def banner_state(self) -> str | None:
        """What the banner should show on this page, or ``None`` for no banner.

        ``"question"`` while there is no valid choice (and no GPC stand-in);
        ``"saved"`` or ``"error"`` once, on the page a no-JavaScript choice
        returned to. Only reads: the flash was taken by the request-state
        resolver before rendering began.
        """
        if self.policy is None:
            return None
        state = request_state().consent
        if state.banner_flash == "error" and state.recorded is None:
            return "error"
        if state.banner_flash == "saved" and state.recorded is not None:
            return "saved"
        if state.recorded is None and not state.gpc_applies:
            return "question"
        return None

    def script(self, category: str, src: str, **attributes: Any) -> Markup:
        """A script tag that runs only with consent for ``category``.

        Allowed: a normal ``<script src>`` (``defer`` unless the site asked for
        ``async``). Not (yet) allowed: ``type="text/plain"`` with the URL in
        ``data-src`` (valid HTML: a ``src`` is only allowed on a script of a
        JavaScript type), which browsers neither fetch nor run; the bundle
        swaps it for a real script, copying every attribute, as soon as the
        category is allowed, without a reload. External scripts only: the CSP
        forbids inline code.

        Every attribute the site gives is kept, in both forms: ``integrity``,
        ``crossorigin``, ``nonce``, ``referrerpolicy``, ``data_*`` (underscores
        become hyphens). ``True`` writes a bare attribute (``async=True``);
        ``False`` or ``None`` leaves it out.
        """
        extra = ""
        for name, value in attributes.items():
            if value is None or value is False:
                continue
            attr = escape(name.replace("_", "-"))
            extra += f" {attr}" if value is True else f' {attr}="{escape(value)}"'
        category_attr = f' data-haven-consent="{escape(category)}"'
        timing = "" if attributes.get("async") or "defer" in attributes else " defer"
        if self.allows(category):
            source = f'src="{escape(src)}"{timing}'
        else:
            # No default defer here: HTML forbids it on a script without src,
            # and a script the bundle inserts later never blocks parsing.
            source = f'type="text/plain" data-src="{escape(src)}"'
        return Markup(f"<script {source}{category_attr}{extra}></script>")  # noqa: S704  (escaped)


consent = ConsentAPI()


def allows(category: str) -> bool:
    """Module-level shortcut for ``consent.allows`` in views."""
    return consent.allows(category)
