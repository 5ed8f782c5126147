"""A minimal site using flask-haven: what a QA team's own app might look like."""

import os
import secrets

from flask import Flask, render_template_string

from flask_haven import Haven

HOME = """{% extends "haven/layout.html" %}
{% block title %}Get support{% endblock %}
{% block content %}<h1>Get support</h1><p>Talk to us in confidence.</p>{% endblock %}"""


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    app.config["HAVEN_SERVICE_NAME"] = "Example Refuge"
    Haven(app)
    app.add_url_rule("/", "home", lambda: render_template_string(HOME))
    return app
