"""The :class:`Haven` Flask extension: the one public entry point."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    has_request_context,
    request,
    send_from_directory,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from werkzeug.exceptions import NotFound

from . import caching, chrome, coexist, page
from . import config as haven_config
from .assets import COMPONENTS_DIR, DIST_DIR, AssetManifest, can_auto_build
from .config import HavenConfigError, is_absolute_http_url
from .consent import manager as consent_manager
from .consent import views as consent_views
from .consent.manager import ConsentManager
from .csrf import csrf_token
from .errors import healthz, init_errors
from .feedback.views import _has_feedback_blueprint, feedback_url, require_secret_key
from .i18n import LocaleSelector, Translator, init_i18n
from .quick_exit import answer_journey_request, count_exit_view
from .ratelimit import LimitsRateLimitStore
from .security import NO_STORE, apply_security_headers, from_this_site, no_store
from .settings import HavenSettings, maintenance_from_environment, parse_settings
from .state import (
    EXTENSION_KEY,
    HavenState,
    RequestState,
    current_state,
    request_state,
    resolve_request_state,
)

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# A year: bundle names change with their content, so a cached copy is never stale.
IMMUTABLE_MAX_AGE = 31_536_000


class _HavenBlueprint(Blueprint):
    """A Blueprint whose templates are found under the ``haven/`` prefix.

    ``haven/layout.html`` is the page layout and ``haven/<component>/macro.html``
    each component's macro, read straight from the component folders, so a
    component's template lives beside its JS, CSS and YAML.
    """

    @property
    def jinja_loader(self) -> BaseLoader | None:
        folders = ChoiceLoader([FileSystemLoader(TEMPLATES_DIR), FileSystemLoader(COMPONENTS_DIR)])
        return PrefixLoader({"haven": folders})


class Haven:
    """Adds the flask-haven components to a Flask app.

    Use ``Haven(app)`` or, with an app factory, ``haven = Haven()`` then
    ``haven.init_app(app)``. Settings are ``HAVEN_*`` keys in ``app.config``
    (see ``docs/configuration.md``); a bad setting raises
    :class:`~flask_haven.HavenConfigError` here, at start-up.

    In templates, ``haven`` is this object, and the page layout
    ``haven/layout.html`` renders the chrome the config turns on.
    """

    no_store = staticmethod(no_store)
    sensitive = staticmethod(page.sensitive)
    consent = consent_manager.consent

    def __init__(self, app: Flask | None = None) -> None:
        self._locale_selector: LocaleSelector | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Check the settings, build the app's state, register routes, templates and hooks."""
        for key, default in haven_config.DEFAULTS.items():
            app.config.setdefault(key, default)
        if maintenance_from_environment():
            app.config["HAVEN_MAINTENANCE"] = True
        # The feedback form's CSRF token and the no-JavaScript banner's one-time
        # message live in Flask's session cookie (never set by merely reading
        # a page with the banner): give it safe flags unless the site chose its
        # own (Flask's defaults are no SameSite and no Secure).
        if app.config.get("SESSION_COOKIE_SAMESITE") is None:
            app.config["SESSION_COOKIE_SAMESITE"] = "Lax"

        state = self._build_state(app)
        # The session interface is the site's: replaced only when the site asks,
        # and only Flask's own default (never one the site installed).
        if (
            state.settings.secure_session_cookie
            and type(app.session_interface) is SecureCookieSessionInterface
        ):
            app.session_interface = _SecureOnHttpsSessionInterface()
        app.extensions[EXTENSION_KEY] = state
        self._register(app, state)
        if _has_feedback_blueprint(app):
            require_secret_key(app, "The feedback form")
        coexist.init_app(app)

    def _build_state(self, app: Flask) -> HavenState:
        """The one parse step (every HAVEN_* setting is checked here, at start-up),
        and the services built from the settings."""
        settings = parse_settings(app.config, debug=app.debug)
        # One counter for every POST endpoint, in the storage the site named
        # (memory:// per process, or Redis shared by every worker and host).
        limiter = LimitsRateLimitStore(settings.rate_limit_storage_uri)
        return HavenState(
            settings=settings,
            extension=self,
            # Per app, not on this object: one Haven() may serve several apps
            # (application factory), each with its own debug setting.
            assets=AssetManifest(
                DIST_DIR,
                auto_build=settings.assets_auto_build and can_auto_build(app.logger),
            ),
            translator=Translator(
                settings.languages,
                settings.locale,
                settings.translation_directories,
                lambda: self._locale_selector,
            ),
            consent=ConsentManager(settings.consent),
            rate_limit_store=settings.feedback.rate_limit_store or limiter,
            limiter=limiter,
        )

    def _register(self, app: Flask, state: HavenState) -> None:
        """Routes, template globals and hooks, in the order a request meets them."""
        settings = state.settings
        prefix = settings.url_prefix
        blueprint = _HavenBlueprint("haven", __name__, url_prefix=prefix)
        blueprint.add_url_rule("/static/<path:filename>", "static", _send_static)
        blueprint.add_url_rule(
            "/quick-exit", "quick_exit", _quick_exit_clear, methods=["GET", "POST"]
        )
        blueprint.add_url_rule(
            "/quick-exit/count", "quick_exit_count", count_exit_view, methods=["POST"]
        )
        app.register_blueprint(blueprint)

        app.jinja_env.globals["haven"] = self
        app.jinja_env.globals["csrf_token"] = csrf_token
        page.init_app(app)
        chrome.init_app(app)
        # Translations come before anything that renders text.
        init_i18n(app, state.translator)

        # Cookie consent: the banner's POST route, and the one place refused
        # cookies are cleared (after each response).
        consent_views.register(app, prefix)
        app.after_request(state.consent.clear_refused_cookies)
        app.jinja_env.globals["haven_consent_script"] = consent_manager.consent.script

        # The phase banner's link (the form is a Blueprint the site mounts).
        app.jinja_env.globals["haven_feedback_url"] = feedback_url

        # Error pages, request ids and maintenance mode. The health check is on
        # the app, not the blueprint, so it shares the extension's prefix.
        app.add_url_rule(f"{prefix}/healthz", "haven.healthz", healthz)
        init_errors(app, settings.errors)
        # After maintenance (which init_errors puts first): a refused request
        # needs no consent or locale worked out.
        app.before_request(resolve_request_state)

        app.after_request(apply_security_headers)
        # Journey protection: a redirect the journey script asked for comes back
        # as Haven-Location, for location.replace (flask_haven/quick_exit.py).
        app.after_request(answer_journey_request)
        # Cache-Control (HAVEN_NO_STORE), CDN-Cache-Control and Vary, after every other hook.
        caching.init_app(app)

        from .cli import haven_cli

        app.cli.add_command(haven_cli)

    def locale_selector(self, selector: LocaleSelector) -> LocaleSelector:
        """Register the site's hook that picks each request's locale (a decorator).

        It returns a locale such as ``"cy"`` or ``"en-GB"``, or ``None`` to
        fall back to ``HAVEN_LOCALE``, then ``Accept-Language`` among
        ``HAVEN_LANGUAGES``. Ignored when the site set up Flask-Babel itself:
        then Flask-Babel's own locale selector decides.
        """
        self._locale_selector = selector
        return selector

    # -- used by templates -------------------------------------------------

    @property
    def settings(self) -> HavenSettings:
        """The current app's checked settings (``haven.settings`` in templates)."""
        return current_state().settings

    @property
    def request(self) -> RequestState:
        """The current request's resolved state (consent, locale)."""
        return request_state()

    def asset_url(self, kind: str) -> str | None:
        """URL of the current ``"js"`` or ``"css"`` bundle, or ``None`` if unbuilt."""
        name = current_state().assets.filename(kind)
        return url_for("haven.static", filename=f"dist/{name}") if name else None

    def checked_exit_url(self, url: str | None = None) -> str:
        """The quick exit URL: ``url`` if given (checked), else the configured one.

        A macro given a relative or ``javascript:`` URL is a site bug that could
        strand a person on the page, so it fails loudly while developing.
        """
        if not url:
            return current_state().settings.quick_exit.url
        if not is_absolute_http_url(url):
            raise HavenConfigError(f"quick exit url must be an absolute http(s) URL; got {url!r}")
        return url

    def quick_exit_clear_url(self) -> str:
        """URL of the route that answers with ``Clear-Site-Data`` then leaves."""
        return url_for("haven.quick_exit")

    def quick_exit_count_url(self, *, external: bool = False) -> str:
        """URL the quick exit posts to when ``HAVEN_QUICK_EXIT_COUNTS`` is on.

        ``external`` gives the absolute URL, which a link's ``ping`` must be.
        """
        return url_for("haven.quick_exit_count", _external=external)


class _SecureOnHttpsSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked ``Secure`` whenever the request is HTTPS.

    ``SESSION_COOKIE_SECURE`` is one value for every request; a site served
    over HTTPS (behind a proxy that sets ``X-Forwarded-Proto`` with
    ProxyFix) gets the flag without having to remember it, and plain-HTTP
    development keeps working.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )


def _send_static(filename: str) -> Response:
    """Serve the bundles; hashed names are cached for a year and never revalidated."""
    hashed = filename.startswith("dist/haven.")
    response = send_from_directory(
        PACKAGE_DIR / "static", filename, max_age=IMMUTABLE_MAX_AGE if hashed else None
    )
    if hashed:
        # Flask marks files without a max age "no-cache"; a hashed name never
        # changes content, so the browser must not even revalidate it.
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_MAX_AGE
        response.cache_control.immutable = True
    return response


def _quick_exit_clear() -> Response:
    """Leave the site and ask the browser to forget it.

    ``Clear-Site-Data`` clears this origin's cookies, storage and cache
    (including the consent cookie: the trade-off is in docs/quick-exit.md).
    GET redirects to the exit page, for a plain link; POST answers 204, for the
    quick exit script, which has already started navigating away.

    Clearing happens only when the request comes from this site (or was typed
    by the person): another site's link or form must not be able to wipe a
    visitor's cookies and choices here. A cross-site GET still leaves for the
    exit page; a cross-site POST gets 403.
    """
    quick_exit = current_state().settings.quick_exit
    if not quick_exit.enabled:
        raise NotFound()
    same_site = from_this_site()
    response = Response(status=204 if same_site else 403)
    if request.method == "GET":
        response.status_code = 303
        response.headers["Location"] = quick_exit.url
    if same_site:
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response.headers["Cache-Control"] = NO_STORE
    return response
