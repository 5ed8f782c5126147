"""Helpers shared by the feedback tests: getting a CSRF token and posting the form."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from flask_haven.db import get_engine
from flask_haven.feedback import Feedback, iter_feedback

from .conftest import parse


def csrf_token(client: FlaskClient, path: str = "/feedback") -> str:
    """A valid token, from the form as a browser would get it."""
    page = parse(client.get(path).data)
    field = page.select_one('input[name="csrf_token"]')
    assert field is not None
    return str(field["value"])


def post_feedback(client: FlaskClient, text: str = "", **fields: Any) -> Any:
    """Post the form with a valid token; extra fields as given."""
    data = {"csrf_token": csrf_token(client), "feedback": text, **fields}
    return client.post("/feedback", data=data)


def stored(app: Flask) -> list[Feedback]:
    """Everything in the feedback table, oldest first."""
    with app.app_context():
        return list(iter_feedback(get_engine()))
