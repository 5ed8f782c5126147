"""The flask-haven demo: a realistic public-service site and a component gallery.

    flask --app demo_app run            # http://127.0.0.1:5000

``create_app(config)`` builds it; the dict overrides ``app.config``. Everything
it stores lives in the instance folder, so it needs no other service.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import (
    Flask,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup
from werkzeug.wrappers import Response

from flask_haven import Haven
from flask_haven.consent import cookie_settings_view
from flask_haven.feedback import create_feedback_blueprint
from flask_haven.i18n import page_language_tag
from flask_haven.paths import safe_return_path
from flask_haven.state import current_state

from .gallery import LANGUAGES, gallery
from .news import news
from .policies import POLICY_FILE, statistics_policy
from .seed import SEED_TEXTS

ROOT = Path(__file__).resolve().parent.parent

DEMO_SETTINGS: dict[str, Any] = {
    # The demo is published in English and Welsh. Its own article and
    # navigation are English only, and marked so (see `demo_english`).
    "HAVEN_LANGUAGES": ("en", "cy"),
    # A fictional force: no real police service is called this.
    "HAVEN_SERVICE_NAME": {"en": "Harrowdale Police", "cy": "Heddlu Harrowdale"},
    **SEED_TEXTS,
    "HAVEN_CONSENT_POLICY": POLICY_FILE,
    "HAVEN_CONSENT_LOG": True,
    # The demo is served over HTTPS in production: mark its session cookie Secure there.
    "HAVEN_SECURE_SESSION_COOKIE": True,
    # First visits are the same page for everyone: a CDN or nginx may keep them
    # for five minutes (docs/caching.md). Browsers still get no-store.
    "HAVEN_SHARED_CACHE_MAX_AGE": 300,
    # Error pages wear the site's own header and footer.
    "HAVEN_ERROR_LAYOUT": "base.html",
    # Moving between the demo's pages replaces the history entry, so after the
    # quick exit Back goes to the page before the visit, not to another page of it.
    "HAVEN_JOURNEY_PROTECTION": True,
    # Exits counted per day, with no identifier and no cookie: `flask haven stats`.
    "HAVEN_QUICK_EXIT_COUNTS": True,
}


# The demo's feedback pages (issue 5) wear its own base template and ask one
# optional question, a satisfaction scale as radios.
DEMO_FEEDBACK_SETTINGS: dict[str, Any] = {
    "HAVEN_FEEDBACK_BASE_TEMPLATE": "base.html",
    "HAVEN_FEEDBACK_QUESTIONS": (
        {
            "name": "satisfaction",
            # A site's own texts may be given once per language.
            "legend": {
                "en": "How satisfied are you with this site? (optional)",
                "cy": "Pa mor fodlon ydych chi â'r wefan hon? (dewisol)",
            },
            "options": [
                {"value": "very-satisfied", "text": {"en": "Very satisfied", "cy": "Bodlon iawn"}},
                {"value": "satisfied", "text": {"en": "Satisfied", "cy": "Bodlon"}},
                {
                    "value": "neither",
                    "text": {"en": "Neither satisfied nor dissatisfied", "cy": "Dim un na'r llall"},
                },
                {"value": "dissatisfied", "text": {"en": "Dissatisfied", "cy": "Anfodlon"}},
                {
                    "value": "very-dissatisfied",
                    "text": {"en": "Very dissatisfied", "cy": "Anfodlon iawn"},
                },
            ],
        },
    ),
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the demo app; ``config`` overrides any setting, ``HAVEN_*`` included.

    The special key ``INSTANCE_PATH`` moves the instance folder (where the
    SQLite database and the secret key live), which tests use for isolation.
    ``DEMO_STATISTICS_EXCEPTION: True`` makes the analytics category rely on
    the UK statistics exception instead of consent (demo_app/policies.py).
    """
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None)
    app = Flask(
        __name__,
        instance_path=str(instance_path) if instance_path else None,
        instance_relative_config=True,
        # static/ at the repository root holds the demo site's own styles;
        # the library's bundles are served by the extension.
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.config.update(DEMO_SETTINGS)
    app.config.update(DEMO_FEEDBACK_SETTINGS)
    app.config.update(config)
    if app.config.get("DEMO_STATISTICS_EXCEPTION"):
        app.config["HAVEN_CONSENT_POLICY"] = statistics_policy(app.config["HAVEN_CONSENT_POLICY"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    haven = Haven(app)
    haven.locale_selector(_demo_locale)
    app.add_url_rule("/language/<code>", "language", choose_language)
    app.jinja_env.globals["demo_english"] = demo_english
    app.jinja_env.globals["demo_languages"] = demo_languages
    app.register_blueprint(gallery)
    app.add_url_rule("/", "index", index)
    # Also at /news: a search typed by hand seldom ends in a slash.
    app.add_url_rule("/news/", "news", news, strict_slashes=False)
    app.add_url_rule(
        "/cookies", "cookies", cookie_settings_view("cookies.html"), methods=["GET", "POST"]
    )
    app.register_blueprint(create_feedback_blueprint())  # /feedback
    if app.config.get("DEMO_ERROR_ROUTES"):
        # Pages that fail on purpose, for the browser tests only: never in a normal run.
        from .error_routes import error_routes

        app.register_blueprint(error_routes)
    return app


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive restarts.

    Several worker processes may start at once on a new instance: each writes
    a complete key to a private temporary file and links it into place; the
    first link wins and every worker then reads that one key (never a
    half-written file).
    """
    path = instance / "secret_key"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=instance, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text(encoding="utf-8").strip()


# Where the header's language switch keeps the visitor's choice, in the session.
LANGUAGE_KEY = "demo_language"


def _demo_locale() -> str | None:
    """``?lang=`` for one page (the gallery's language switch), else the visitor's choice.

    Returning ``None`` leaves the choice to flask-haven: ``Accept-Language``
    among ``HAVEN_LANGUAGES``.
    """
    languages = app_languages()
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    chosen = session.get(LANGUAGE_KEY)
    return chosen if chosen in languages else None


def app_languages() -> tuple[str, ...]:
    """The languages the demo is published in."""
    return current_state().settings.languages


def choose_language(code: str) -> Response:
    """The header's English / Cymraeg links: remember the choice, go back to the page.

    Kept in the session cookie the forms already need (an essential cookie):
    the visitor asked for it, and it adds no new cookie.
    """
    if code not in app_languages():
        abort(404)
    session[LANGUAGE_KEY] = code
    # Only a path on this site, decided the way a browser reads it: never an
    # open redirect, and never a CR/LF in the Location header.
    back = safe_return_path(request.args.get("next")) or url_for("index")
    return redirect(back, 303)


def demo_languages() -> list[dict[str, Any]]:
    """The header's language links: code, own name, URL, and whether it is the page's."""
    current = page_language_tag()
    # Back to this page without a `?lang=` that would override the new choice.
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    back = request.path + ("?" + urlencode(args) if args else "")
    return [
        {
            "code": code,
            "name": LANGUAGES.get(code, code),
            "url": url_for("language", code=code, next=back),
            "current": code == current,
        }
        for code in app_languages()
    ]


def demo_english() -> Markup:
    """``lang="en"`` for the demo's own English-only text when the page is in another language."""
    if page_language_tag().split("-")[0] == "en":
        return Markup("")
    return Markup(' lang="en"')


def index() -> str:
    """The force's news story about its crime figures, wearing all the chrome."""
    return render_template("index.html")
