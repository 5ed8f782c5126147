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

from flask import Flask, render_template

from flask_haven import Haven
from flask_haven.consent import cookie_settings_view
from flask_haven.feedback import create_feedback_blueprint

from .gallery import gallery

ROOT = Path(__file__).resolve().parent.parent

DEMO_SETTINGS: dict[str, Any] = {
    "HAVEN_SERVICE_NAME": "Northfield Council",
    "HAVEN_CONSENT_POLICY": Path(__file__).resolve().parent / "cookie_policy.yaml",
    "HAVEN_CONSENT_LOG": True,
    # Error pages wear the site's own header and footer.
    "HAVEN_ERROR_LAYOUT": "base.html",
}


# The demo's feedback pages (issue 5) wear its own base template and ask one
# optional question, a satisfaction scale as radios.
DEMO_FEEDBACK_SETTINGS: dict[str, Any] = {
    "HAVEN_FEEDBACK_BASE_TEMPLATE": "base.html",
    "HAVEN_FEEDBACK_QUESTIONS": (
        {
            "name": "satisfaction",
            "legend": "How satisfied are you with this site? (optional)",
            "options": [
                {"value": "very-satisfied", "text": "Very satisfied"},
                {"value": "satisfied", "text": "Satisfied"},
                {"value": "neither", "text": "Neither satisfied nor dissatisfied"},
                {"value": "dissatisfied", "text": "Dissatisfied"},
                {"value": "very-dissatisfied", "text": "Very dissatisfied"},
            ],
        },
    ),
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the demo app; ``config`` overrides any setting, ``HAVEN_*`` included.

    The special key ``INSTANCE_PATH`` moves the instance folder (where the
    SQLite database and the secret key live), which tests use for isolation.
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
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    Haven(app)
    app.register_blueprint(gallery)
    app.add_url_rule("/", "index", index)
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


def index() -> str:
    """The news article page, wearing all the chrome."""
    return render_template("index.html")
