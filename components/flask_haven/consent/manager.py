"""The consent state of a request, and how a choice is saved and enforced.

:class:`ConsentManager` is created once per app by ``Haven.init_app``;
:data:`consent` is the API views and templates use (``haven.consent`` in
Jinja): it finds the current app's manager, so one :class:`~flask_haven.Haven`
object can serve several apps.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from ..paths import app_url, page_url
from ..state import current_state, peek_request_state, request_state
from . import log
from .codec import COOKIE_NAME, Consent, decode, encode
from .policy import Policy

if TYPE_CHECKING:  # settings imports the policy module: no import at run time
    from ..settings import ConsentSettings

FLASH_KEY = "haven_consent_flash"
# What the banner says once after a no-JavaScript choice; "saved" is the
# wording without the first sentence, for a banner told so by a site.
OUTCOMES = ("accepted", "rejected", "saved")


@dataclass
class RequestConsent:
    """What the current request says: the newest readable choice, GPC, the banner's flash.

    ``recorded`` may be *incomplete*: under a newer policy revision some
    purposes are pending (:attr:`Consent.pending`) while refusals and
    unchanged agreements still stand. ``saved`` is the choice saved by this
    very request (the banner's or the cookies page's POST), so the one
    clearing step knows to expire every refused cookie, not only those the
    request carried. ``exceptions`` are the policy's categories that rely on a
    UK exception: on until the person objects or sends GPC.
    """

    recorded: Consent | None
    gpc: bool
    banner_flash: str | None = None
    saved: Consent | None = None
    exceptions: frozenset[str] = field(default_factory=frozenset)
    withdrawn: bool = False

    @property
    def answered(self) -> bool:
        """True once the person has answered the current policy (nothing pending)."""
        return self.recorded is not None and self.recorded.complete

    def allows(self, category: str) -> bool:
        """Essential always; an optional category as the person chose, else its default.

        The default is "no", except for a category relying on a UK exception,
        which is on unless the browser sends Global Privacy Control (an objection).
        """
        if category == "essential":
            return True
        if self.recorded is not None and category in self.recorded.choices:
            return self.recorded.choices[category]
        return category in self.exceptions and not self.gpc

    @property
    def gpc_applies(self) -> bool:
        """GPC stands in for a "no" only while the person has not answered."""
        return self.gpc and not self.answered


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
        self.exceptions = frozenset(self.policy.exception_names if self.policy else ())
        self.withdrawn = log.WithdrawnReferences(settings.max_age_seconds)
        # (kind, language) -> the notice a person reads there; rendered once.
        self._notices: dict[tuple[str, str], log.Notice] = {}

    # -- reading (once per request, by the request-state resolver) -------------------

    def resolve(self) -> RequestConsent:
        """The consent state of this request: the signed cookie, GPC, and the
        banner's one-time flash, taken from the session here, before rendering."""
        recorded = None
        flash = None
        withdrawn = False
        # No cookie at all (every first visit): no choice to read, no session flash.
        if self.policy is not None and request.environ.get("HTTP_COOKIE"):
            # A browser sends every ``haven_consent`` whose path (and domain)
            # matches, the deepest path first: a stale one left on
            # ``/some/path`` must not hide (or get deleted in place of) the
            # valid ``Path=/`` choice. The newest readable one wins.
            secret = current_app.config["SECRET_KEY"] or ""
            readable = [
                consent
                for value in request.cookies.getlist(COOKIE_NAME)
                if (
                    consent := decode(
                        value,
                        self.policy,
                        secret,
                        max_age_seconds=self.settings.max_age_seconds,
                        reask=self.settings.reask,
                    )
                )
                is not None
            ]
            recorded = max(readable, key=lambda c: c.given_at) if readable else None
            if recorded is not None and recorded.record_id and self.settings.log:
                self.withdrawn.refresh_soon(current_app._get_current_object())  # type: ignore[attr-defined]
                if recorded.record_id in self.withdrawn:
                    # Withdrawn by its reference: every optional category refused.
                    withdrawn = True
                    recorded = Consent(
                        {name: False for name in self.policy.optional_names},
                        recorded.policy_version,
                        recorded.given_at,
                        recorded.record_id,
                    )
            if FLASH_KEY in session:
                flash = str(session.pop(FLASH_KEY))
        gpc = self.settings.honour_gpc and request.headers.get("Sec-GPC", "").strip() == "1"
        return RequestConsent(
            recorded=recorded,
            gpc=gpc,
            banner_flash=flash,
            exceptions=self.exceptions,
            withdrawn=withdrawn,
        )

    # -- saving ----------------------------------------------------------------

    def save(
        self,
        choices: dict[str, bool],
        response: Response,
        *,
        source: str = "banner",
        language: str | None = None,
    ) -> Consent:
        """Record ``choices`` on ``response``: log (if on), then the consent cookie.

        ``source`` is the form used (``banner``, ``cookies-page`` or
        ``objection``) and ``language`` the language it was shown in: the log
        keeps the digest of that exact text as proof of what the person read.
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
            kind = "banner" if source == "banner" else "cookies-page"
            try:
                notice = self.notice(kind, language)
            except Exception as exc:  # no proof of what was shown: record nothing
                raise log.ConsentLogError(f"cannot render the {kind} notice: {exc}") from exc
            log.record(record_id, choices, self.policy.version, now, notice, source)
        consent = Consent(choices, self.policy.version, now, record_id)
        response.set_cookie(
            COOKIE_NAME,
            encode(consent, current_app.config["SECRET_KEY"] or "", self.policy),
            max_age=self.settings.max_age_seconds,
            path=consent_cookie_path(),
            domain=self.cookie_domain(),
            secure=request.is_secure,
            samesite="Lax",
        )
        state = request_state().consent
        state.recorded = state.saved = consent
        state.withdrawn = False
        return consent

    def notice(self, kind: str, language: str | None = None) -> log.Notice:
        """The text a person reads on the ``banner`` or the ``cookies-page`` form, in
        ``language`` (one of ``HAVEN_LANGUAGES``, else the request's), and its digest.

        Rendered from the component itself, so the digest changes with any
        change of wording, policy or translation. Per-person parts (messages,
        the receipt, the GPC note) are left out.
        """
        from .proof import render_notice

        languages = current_state().settings.languages
        wanted = language if language in languages else None
        key = (kind, wanted or str(get_locale() or languages[0]))
        found = self._notices.get(key)
        if found is None:
            found = self._notices[key] = render_notice(kind, key[1])
        return found

    def cookie_domain(self) -> str | None:
        """``HAVEN_CONSENT_COOKIE_DOMAIN`` when this request's host is inside it, else
        ``None`` (a host-only cookie): a browser refuses a Domain it is not within."""
        domain = self.settings.cookie_domain
        if domain is None or not has_request_context():
            return None
        host = request.host.partition(":")[0].lower()
        return domain if host == domain or host.endswith("." + domain) else None

    def clearing_domains(self, cookie_domains: tuple[str, ...]) -> list[str | None]:
        """Where a refused cookie is expired: this host, its declared parent
        domains that this host is within, and the shared consent domain."""
        host = request.host.partition(":")[0].lower()
        domains: list[str | None] = [None]
        for domain in (*cookie_domains, self.cookie_domain()):
            if domain and domain not in domains and (host == domain or host.endswith("." + domain)):
                domains.append(domain)
        return domains

    def refused_patterns(self, choices: dict[str, bool]) -> list[dict[str, Any]]:
        """Each cookie (name or pattern) of every category ``choices`` refuses, with
        the paths and domains to delete it on: the browser script's clearing list."""
        assert self.policy is not None
        shared = [d for d in (self.cookie_domain(),) if d]
        return [
            {
                "name": cookie.name,
                "paths": list(cookie.paths),
                "domains": sorted({*cookie.domains, *shared}),
            }
            for category in self.policy.optional
            if not choices.get(category.name)
            for cookie in category.cookies
        ]

    def cookies_to_clear(
        self, choices: dict[str, bool], *, only_present: bool
    ) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        """``(name, paths, domains)`` to expire: each refused named cookie (unless
        ``only_present``) and each cookie in the request matching a refused pattern."""
        assert self.policy is not None
        found: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
        seen: set[str] = set()
        for category in self.policy.optional:
            if choices.get(category.name):
                continue
            for cookie in category.cookies:
                names = [n for n in request.cookies if cookie.matches(n)]
                if not cookie.is_pattern and not only_present:
                    names = [cookie.name]
                for name in names:
                    if name not in seen:
                        seen.add(name)
                        found.append((name, cookie.paths, cookie.domains))
        return found

    def clear_refused_cookies(self, response: Response) -> Response:
        """``after_request``, and the one place the server clears cookies.

        Nothing of a refused category survives a page view: cookies set before
        the choice changed (or before a policy revision made it pending), and
        an unreadable consent cookie, are expired. After a save, every refused
        named cookie is expired on every path and domain the policy declares;
        otherwise only cookies the request carries are touched, so most pages
        add no header. The browser script then clears what a server cannot
        reach (a cookie matching a pattern on a path or domain it never sees).
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
            for domain in self.clearing_domains(()):
                response.delete_cookie(COOKIE_NAME, path=consent_cookie_path(), domain=domain)
        choices = {name: state.allows(name) for name in self.policy.optional_names}
        for name, paths, domains in self.cookies_to_clear(choices, only_present=not saved):
            for domain in self.clearing_domains(domains):
                for path in paths:
                    response.delete_cookie(name, path=path, domain=domain)
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

    def settings_url_returning(self, path: str | None = None) -> str:
        """The cookies page's URL, telling it the page to link back to after saving.

        ``path`` is an app-relative path (default: this page). The links to the
        cookies page carry ``return_to`` rather than relying on ``Referer`` (a
        site may send no referrer at all); no link back from itself.
        """
        url = self.settings_url
        if not has_request_context() or self.on_settings_page():
            return url
        back = path if path is not None else request.full_path.rstrip("?")
        return url + ("&" if "?" in url else "?") + urlencode({"return_to": back})

    @staticmethod
    def app_url(path: str) -> str:
        """An app-relative path as a link that stays inside the app's prefix."""
        return app_url(path)

    def on_settings_page(self) -> bool:
        """True on the cookies page itself, where the banner would be a second
        control for the same decision."""
        if not has_request_context():
            return False
        current = request._get_current_object()  # type: ignore[attr-defined]
        netloc, path = _netloc_and_path(self.settings_url)
        if netloc and netloc != current.host:
            return False
        here = (current.script_root + current.path).rstrip("/") or "/"
        return bool(here == path)

    def allows(self, category: str) -> bool:
        """True if this request may use cookies of ``category``.

        ``essential`` is always allowed; an optional category only after the
        person allowed it (and the purpose has not changed since), except one
        relying on a UK exception, which is on until the person objects. No
        consent yet, GPC, an expired or unreadable cookie all mean no to the rest.
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
        state = request_state().consent
        return [name for name in policy.optional_names if state.allows(name)]

    def recorded(self) -> Consent | None:
        """The person's newest readable choice (perhaps with pending purposes), or ``None``."""
        return request_state().consent.recorded

    def answered(self) -> bool:
        """True once the person has answered the current policy."""
        return request_state().consent.answered

    def form_values(self) -> dict[str, str]:
        """The cookies page's radios: what stands now for each optional category.

        The person's choice where they made one; otherwise the default, which
        is "no" (and "yes" for a category relying on a UK exception, unless GPC).
        """
        policy = self.policy
        if policy is None:
            return {}
        return {name: "yes" if self.allows(name) else "no" for name in policy.optional_names}

    def gpc_applies(self) -> bool:
        """True when Global Privacy Control is being taken as a "no"."""
        return request_state().consent.gpc_applies

    def withdrawn(self) -> bool:
        """True when the person's logged choice was withdrawn by its reference."""
        return request_state().consent.withdrawn

    def notice_language(self) -> str:
        """The language the consent texts are rendered in here (for the proof of what was read)."""
        return str(get_locale() or current_state().settings.languages[0])

    def receipt(self) -> dict[str, Any] | None:
        """What the cookies page shows a person about their recorded choice, or ``None``.

        ``reference`` (the consent log's record id, ``None`` without the log),
        ``saved`` (when, written for the page's language; ``saved_iso`` for
        machines), ``revision``, ``withdrawn`` and
        ``choices``: ``(category, True | False | None)`` per optional category,
        ``None`` for a purpose not yet answered.
        """
        from .proof import format_moment

        recorded = self.recorded()
        policy = self.policy
        if recorded is None or policy is None:
            return None
        return {
            "reference": recorded.record_id,
            "saved": format_moment(recorded.given_at),
            "saved_iso": datetime.fromtimestamp(recorded.given_at, UTC).isoformat(),
            "revision": recorded.policy_version,
            "withdrawn": self.withdrawn(),
            "choices": [
                (category, recorded.choices.get(category.name)) for category in policy.optional
            ],
        }

    def consent_mode(self) -> str | None:
        """The Google Consent Mode map for the page (``data-haven-consent-mode``), or ``None``:
        JSON of each Google consent type and the categories it needs."""
        mapping = self._manager().settings.google_consent_mode
        if not mapping:
            return None
        types: dict[str, list[str]] = {}
        for category, signals in mapping.items():
            for signal in signals:
                types.setdefault(signal, []).append(category)
        return json.dumps(types, separators=(",", ":"), sort_keys=True)

    def banner_state(self) -> str | None:
        """What the banner should show on this page, or ``None`` for no banner.

        ``"question"`` while the person has not answered the current policy
        (and no GPC stand-in); ``"accepted"``, ``"rejected"`` or ``"error"``
        once, on the page a no-JavaScript choice returned to. Never on the
        cookies page itself. Only reads: the flash was taken by the
        request-state resolver before rendering began.
        """
        if self.policy is None or self.on_settings_page():
            return None
        state = request_state().consent
        if state.banner_flash == "error" and not state.answered:
            return "error"
        if state.banner_flash in OUTCOMES and state.answered:
            return state.banner_flash
        if not state.answered and not state.gpc_applies:
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


@lru_cache(maxsize=64)
def _netloc_and_path(url: str) -> tuple[str, str]:
    # Asked on every page that may show the banner; a site has one cookies page.
    target = urlsplit(url)
    return target.netloc, target.path.rstrip("/") or "/"


consent = ConsentAPI()


def allows(category: str) -> bool:
    """Module-level shortcut for ``consent.allows`` in views."""
    return consent.allows(category)
