"""The consent state of a request, and how a choice is saved and enforced.

:class:`ConsentManager` is created once per app by ``Haven.init_app``;
:data:`consent` is the API views and templates use (``haven.consent`` in
Jinja): it finds the current app's manager, so one :class:`~flask_haven.Haven`
object can serve several apps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, has_request_context, request, session
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from ..config import HavenConfigError
from . import log
from .codec import COOKIE_NAME, Consent, decode, encode
from .policy import Policy, load_policy

FLASH_KEY = "haven_consent_flash"
DAY = 86_400
_MAX_RETURN_PATH = 2000


@dataclass
class RequestConsent:
    """What the current request says: a valid recorded choice, and GPC."""

    recorded: Consent | None
    gpc: bool
    banner_flash: str | None = None
    banner_flash_read: bool = False

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
    """One app's policy and consent settings (see ``docs/cookies.md``)."""

    def __init__(self, app: Flask) -> None:
        value = app.config["HAVEN_CONSENT_POLICY"]
        self.policy: Policy | None = None if value is None else load_policy(value)
        max_age_days = app.config["HAVEN_CONSENT_MAX_AGE_DAYS"]
        if isinstance(max_age_days, bool) or not isinstance(max_age_days, int) or max_age_days < 1:
            raise HavenConfigError(
                f"HAVEN_CONSENT_MAX_AGE_DAYS must be a whole number of days, 1 or more; "
                f"got {max_age_days!r}."
            )
        self.max_age_seconds = max_age_days * DAY
        self.honour_gpc = bool(app.config["HAVEN_CONSENT_HONOUR_GPC"])
        self.log_enabled = bool(app.config["HAVEN_CONSENT_LOG"])
        self.settings_url = str(app.config["HAVEN_CONSENT_SETTINGS_URL"])
        if self.policy is not None and not app.config.get("SECRET_KEY") and not app.testing:
            # The cookie is signed: without a key nobody's choice could be read back.
            raise HavenConfigError("HAVEN_CONSENT_POLICY needs the app's SECRET_KEY to be set.")
        # The consent log's table is created on first use (flask_haven.db), not
        # here: a database that is down must not stop the site, quick exit and
        # all, from starting; saving a choice then fails with the error notice.
        app.after_request(self.clear_refused_cookies)

    # -- reading ---------------------------------------------------------------

    def current(self) -> RequestConsent:
        """The consent state of this request (read once, then cached on ``g``)."""
        state: RequestConsent | None = g.get("_haven_consent")
        if state is None:
            recorded = None
            if self.policy is not None:
                recorded = decode(
                    request.cookies.get(COOKIE_NAME),
                    self.policy,
                    current_app.config["SECRET_KEY"] or "",
                    max_age_seconds=self.max_age_seconds,
                )
            gpc = self.honour_gpc and request.headers.get("Sec-GPC", "").strip() == "1"
            state = RequestConsent(recorded=recorded, gpc=gpc)
            g._haven_consent = state
        return state

    # -- saving ----------------------------------------------------------------

    def save(self, choices: dict[str, bool], response: Response) -> Consent:
        """Record ``choices`` on ``response``: log (if on), cookie, clearing.

        Raises :class:`~flask_haven.consent.log.ConsentLogError` before
        touching the response when the log is on and fails, so a choice is
        either recorded everywhere or nowhere.
        """
        assert self.policy is not None
        choices = {name: bool(choices.get(name)) for name in self.policy.optional_names}
        now = int(time.time())
        record_id = None
        if self.log_enabled:
            record_id = log.new_record_id()
            log.record(record_id, choices, self.policy.version, now)
        consent = Consent(choices, self.policy.version, now, record_id)
        response.set_cookie(
            COOKIE_NAME,
            encode(consent, current_app.config["SECRET_KEY"] or ""),
            max_age=self.max_age_seconds,
            path="/",
            secure=request.is_secure,
            samesite="Lax",
        )
        self.current().recorded = consent
        for name in self.cookies_to_clear(choices, only_present=False):
            response.delete_cookie(name, path="/")
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
        """``after_request``: nothing of a refused category survives a page view.

        Cookies set before the choice changed (or before a policy version
        bump voided it), and an unusable consent cookie, are expired. Only
        cookies the request carries are touched, so most pages add no header.
        """
        if self.policy is None or not request.cookies:
            return response
        if response.mimetype not in ("text/html", "application/json") and not (
            300 <= response.status_code < 400
        ):
            return response
        state = self.current()
        if COOKIE_NAME in request.cookies and state.recorded is None:
            already = any(
                h.startswith(f"{COOKIE_NAME}=") for h in response.headers.getlist("Set-Cookie")
            )
            if not already:
                response.delete_cookie(COOKIE_NAME, path="/")
        choices = {n: state.allows(n) for n in self.policy.optional_names}
        setting = {h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")}
        for name in self.cookies_to_clear(choices, only_present=True):
            if name not in setting:
                response.delete_cookie(name, path="/")
        return response


def safe_return_path(value: object) -> str:
    """``value`` if it is a path on this site (``/...``), else ``"/"``.

    Rejects every way of leaving the site a browser accepts: ``//host``,
    ``/\\host``, schemes, control characters and backslashes.
    """
    if not isinstance(value, str) or not value.startswith("/") or len(value) > _MAX_RETURN_PATH:
        return "/"
    if value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value) or not value.isprintable():
        return "/"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "/"
    if parts.scheme or parts.netloc:
        return "/"
    return value


class ConsentAPI:
    """``haven.consent``: ask about consent from views (Python) and templates (Jinja)."""

    @staticmethod
    def _manager() -> ConsentManager:
        return current_app.extensions["haven_consent"]  # type: ignore[no-any-return]

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
        """Where the cookies page is (``HAVEN_CONSENT_SETTINGS_URL``)."""
        return self._manager().settings_url

    def allows(self, category: str) -> bool:
        """True if this request may use cookies of ``category``.

        ``essential`` is always allowed; an optional category only after the
        person allowed it under the current policy version. No consent yet,
        GPC, an expired or unreadable cookie all mean no.
        """
        if not has_request_context():
            return category == "essential"
        return self._manager().current().allows(category)

    def allowed_categories(self) -> list[str]:
        """The optional categories this request may use, in policy order.

        The layout writes them into the page (``data-haven-consent`` on
        ``<html>``) so the browser script trusts the server's reading of the
        signed cookie, never the cookie's unsigned text.
        """
        policy = self.policy
        if policy is None or not has_request_context():
            return []
        return [name for name in policy.optional_names if self.allows(name)]

    def recorded(self) -> Consent | None:
        """The person's valid choice, or ``None`` if they have not made one."""
        return self._manager().current().recorded

    def form_values(self) -> dict[str, str]:
        """The recorded choice as cookies-page radio values (empty if none made)."""
        recorded = self.recorded()
        if recorded is None:
            return {}
        return {name: "yes" if yes else "no" for name, yes in recorded.choices.items()}

    def gpc_applies(self) -> bool:
        """True when Global Privacy Control is being taken as a "no"."""
        return self._manager().current().gpc_applies

    def banner_state(self) -> str | None:
        """What the banner should show on this page, or ``None`` for no banner.

        ``"question"`` while there is no valid choice (and no GPC stand-in);
        ``"saved"`` or ``"error"`` once, on the page a no-JavaScript choice
        returned to.
        """
        manager = self._manager()
        if manager.policy is None:
            return None
        state = manager.current()
        if not state.banner_flash_read:
            state.banner_flash_read = True
            if FLASH_KEY in session:
                state.banner_flash = str(session.pop(FLASH_KEY))
        if state.banner_flash == "error" and state.recorded is None:
            return "error"
        if state.banner_flash == "saved" and state.recorded is not None:
            return "saved"
        if state.recorded is None and not state.gpc_applies:
            return "question"
        return None

    def script(self, category: str, src: str, **attributes: Any) -> Markup:
        """A script tag that runs only with consent for ``category``.

        Allowed: a normal ``<script src defer>``. Not (yet) allowed:
        ``type="text/plain"`` with the URL in ``data-src`` (valid HTML: a
        ``src`` is only allowed on a script of a JavaScript type), which
        browsers neither fetch nor run; the bundle swaps it for a real script
        as soon as the category is allowed, without a reload. External
        scripts only: the CSP forbids inline code.
        """
        extra = "".join(
            f' {escape(name.replace("_", "-"))}="{escape(value)}"'
            for name, value in attributes.items()
        )
        category_attr = f' data-haven-consent="{escape(category)}"'
        if self.allows(category):
            return Markup(f'<script src="{escape(src)}" defer{category_attr}{extra}></script>')  # noqa: S704
        return Markup(  # noqa: S704  (every part above is escaped)
            f'<script type="text/plain" data-src="{escape(src)}"{category_attr}{extra}></script>'
        )


consent = ConsentAPI()


def allows(category: str) -> bool:
    """Module-level shortcut for ``consent.allows`` in views."""
    return consent.allows(category)
