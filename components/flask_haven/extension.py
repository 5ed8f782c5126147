"""The :class:`Haven` Flask extension: the one public entry point."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    has_request_context,
    request,
    send_from_directory,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from werkzeug.exceptions import NotFound

from . import config as haven_config
from .assets import COMPONENTS_DIR, DIST_DIR, AssetManifest
from .config import HavenConfigError, is_absolute_http_url
from .consent import manager as consent_manager
from .consent import views as consent_views
from .csrf import csrf_token
from .errors import healthz, init_errors
from .feedback import init_feedback
from .i18n import LocaleSelector, init_i18n
from .security import apply_security_headers, no_store

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

    def __init__(self, app: Flask | None = None) -> None:
        self._locale_selector: LocaleSelector | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Apply defaults, check them, and register routes, templates and hooks."""
        for key, default in haven_config.DEFAULTS.items():
            app.config.setdefault(key, default)
        # Our forms' CSRF tokens live in Flask's session cookie, which every
        # visitor of a page with the banner gets: give it safe flags unless the
        # site chose its own (Flask's defaults are no SameSite and no Secure).
        if app.config.get("SESSION_COOKIE_SAMESITE") is None:
            app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
        if type(app.session_interface) is SecureCookieSessionInterface:
            app.session_interface = _SecureOnHttpsSessionInterface()
        haven_config.validate(app.config)

        auto_build = app.config["HAVEN_ASSETS_AUTO_BUILD"]
        if auto_build is None:
            auto_build = app.debug
        # Per app, not on this object: one Haven() may serve several apps
        # (application factory), each with its own debug setting.
        app.extensions["haven_assets"] = AssetManifest(DIST_DIR, auto_build=bool(auto_build))

        blueprint = _HavenBlueprint("haven", __name__, url_prefix=app.config["HAVEN_URL_PREFIX"])
        blueprint.add_url_rule("/static/<path:filename>", "static", _send_static)
        blueprint.add_url_rule(
            "/quick-exit", "quick_exit", _quick_exit_clear, methods=["GET", "POST"]
        )
        app.register_blueprint(blueprint)

        app.jinja_env.globals["haven"] = self
        app.jinja_env.globals["csrf_token"] = csrf_token
        # Translations come before anything that renders text.
        init_i18n(app, lambda: self._locale_selector)

        # Cookie consent: the per-app policy and the banner's POST route.
        app.extensions["haven_consent"] = consent_manager.ConsentManager(app)
        consent_views.register(app, app.config["HAVEN_URL_PREFIX"])
        self.consent = consent_manager.consent
        app.jinja_env.globals["haven_consent_script"] = consent_manager.consent.script

        # Phase banner and feedback settings (the form is a Blueprint the site mounts).
        init_feedback(app)

        # Error pages, request ids and maintenance mode. The health check is on
        # the app, not the blueprint, so it shares the extension's prefix.
        app.add_url_rule(f"{app.config['HAVEN_URL_PREFIX']}/healthz", "haven.healthz", healthz)
        init_errors(app)

        app.after_request(apply_security_headers)
        app.extensions["haven"] = self

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

    def asset_url(self, kind: str) -> str | None:
        """URL of the current ``"js"`` or ``"css"`` bundle, or ``None`` if unbuilt."""
        manifest: AssetManifest = current_app.extensions["haven_assets"]
        name = manifest.filename(kind)
        return url_for("haven.static", filename=f"dist/{name}") if name else None

    def checked_exit_url(self, url: str | None = None) -> str:
        """The quick exit URL: ``url`` if given (checked), else the configured one.

        A macro given a relative or ``javascript:`` URL is a site bug that could
        strand a person on the page, so it fails loudly while developing.
        """
        if not url:
            return str(current_app.config["HAVEN_QUICK_EXIT_URL"])
        if not is_absolute_http_url(url):
            raise HavenConfigError(f"quick exit url must be an absolute http(s) URL; got {url!r}")
        return url

    def quick_exit_clear_url(self) -> str:
        """URL of the route that answers with ``Clear-Site-Data`` then leaves."""
        return url_for("haven.quick_exit")


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
    response = send_from_directory(PACKAGE_DIR / "static", filename)
    if filename.startswith("dist/haven."):
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
    """
    if not current_app.config["HAVEN_QUICK_EXIT_ENABLED"]:
        raise NotFound()
    response = Response(status=204)
    if request.method == "GET":
        response.status_code = 303
        response.headers["Location"] = current_app.config["HAVEN_QUICK_EXIT_URL"]
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response.headers["Cache-Control"] = "no-store"
    return response
