"""CSRF protection for the components' own forms (banner, cookies page, feedback).

Uses flask-wtf's signed, time-limited tokens, but only on our routes: a site
keeps whatever CSRF set-up it has for its own forms.
"""

from __future__ import annotations

from flask import request
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import ValidationError

FIELD_NAME = "csrf_token"


def csrf_token() -> str:
    """A token for a hidden ``csrf_token`` field (also a Jinja global)."""
    return str(generate_csrf())


def csrf_is_valid() -> bool:
    """True if the request carries a valid token in the form or the header."""
    token = request.form.get(FIELD_NAME) or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True
