"""Small example sites, built the way an integrator would, for the integration matrix.

Each is a real app with its own base layout (the snippet of
``docs/own-layout.md``, extracted as it is), a cookie policy with a gated
script, a cookies page, the feedback blueprint, and a page that fails (500).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, render_template_string
from jinja2 import ChoiceLoader, DictLoader

from flask_haven import Haven
from flask_haven.consent import Category, CookieInfo, Policy
from flask_haven.consent.views import cookie_settings_view
from flask_haven.feedback import create_feedback_blueprint

ROOT = Path(__file__).resolve().parents[2]
EXIT_URL = "https://www.bbc.co.uk/weather"
SECRET = "integration-secret-shared-by-every-worker"

# Sets a cookie when it runs, so a test sees that the gated script really ran.
ANALYTICS_JS = b"document.cookie = 'site_analytics=1; path=/';\n"
ANALYTICS_INTEGRITY = "sha384-" + base64.b64encode(hashlib.sha384(ANALYTICS_JS).digest()).decode()

POLICY = Policy(
    version=1,
    categories=(
        Category(
            "essential",
            "Essential cookies",
            "Keep the site working and remember your choices.",
            cookies=(
                CookieInfo("haven_consent", "Remembers your cookie choices", "1 year"),
                CookieInfo("session", "Protects our forms", "When you close your browser"),
            ),
        ),
        Category(
            "analytics",
            "Analytics cookies",
            "Tell us how people use the site.",
            cookies=(CookieInfo("site_analytics", "Counts visits", "1 year"),),
        ),
    ),
)


def own_layout() -> str:
    """The complete own layout of docs/own-layout.md, exactly as the page shows it."""
    text = (ROOT / "docs" / "own-layout.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```jinja\n(.*?)```", text, re.S)
    return next(block for block in blocks if "<!DOCTYPE html>" in block)


HOME = """{% extends "base.html" %}
{% block title %}Get help{% endblock %}
{% block content %}
<h1>Get help</h1>
<p>Talk to us in confidence.</p>
{{ haven.consent.script("analytics", url_for("analytics_js"), integrity=integrity,
   crossorigin="anonymous", referrerpolicy="no-referrer") }}
{% endblock %}"""

COOKIES = """{% extends "base.html" %}
{% from "haven/cookie-settings/macro.html" import haven_cookie_settings %}
{% if cookie_settings.errors %}{% set haven_has_errors = true %}{% endif %}
{% block title %}Cookies{% endblock %}
{% block content %}<h1>Cookies</h1>{{ haven_cookie_settings(cookie_settings) }}{% endblock %}"""


def make_site(
    name: str = "Safe Haven Trust",
    *,
    tmp: Path,
    config: dict[str, Any] | None = None,
    haven: Haven | None = None,
    layout: str | None = None,
    before_haven: Callable[[Flask], object] | None = None,
) -> Flask:
    """One example site. ``layout`` replaces the docs' own layout (``None`` keeps it)."""
    app = Flask(name.replace(" ", "_").lower(), instance_path=str(tmp / "instance"))
    app.config.from_mapping(
        SECRET_KEY=SECRET,
        HAVEN_SERVICE_NAME=name,
        HAVEN_CONSENT_POLICY=POLICY,
        # An endpoint, not a path: it follows the app under any prefix.
        HAVEN_CONSENT_SETTINGS_URL="cookies",
        HAVEN_FEEDBACK_BASE_TEMPLATE="base.html",
        HAVEN_ERROR_LAYOUT="base.html",
        HAVEN_PHASE="beta",
        HAVEN_DATABASE_URL=f"sqlite:///{tmp / (name.replace(' ', '-') + '.sqlite3')}",
    )
    app.config.update(config or {})
    app.jinja_loader = ChoiceLoader(
        [DictLoader({"base.html": layout or own_layout(), "cookies.html": COOKIES})]
    )
    if before_haven is not None:
        before_haven(app)
    (haven or Haven()).init_app(app)

    @app.route("/")
    def home() -> str:
        return render_template_string(HOME, integrity=ANALYTICS_INTEGRITY)

    @app.route("/analytics.js")
    def analytics_js() -> Response:
        return Response(ANALYTICS_JS, mimetype="text/javascript")

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("a bug in the site")

    @app.route("/gone")
    def gone() -> str:
        abort(404)

    app.add_url_rule(
        "/cookies", "cookies", cookie_settings_view("cookies.html"), methods=["GET", "POST"]
    )
    app.register_blueprint(create_feedback_blueprint())
    return app
