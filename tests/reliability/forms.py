"""Helpers to post the components' forms as a browser without JavaScript would.

A "visitor" loads a page, keeps the cookies it was given and posts the form
back (with the CSRF token, on the feedback page, which has one) over a real
HTTP connection, saying what every current browser says of a post from the
site's own page: ``Sec-Fetch-Site: same-origin``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from flask import Flask

from benchmarks import servers

CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')
CONSENT_COOKIE = "haven_consent"
CONSENT_URL = "/_haven/consent"
FEEDBACK_URL = "/feedback"
TECHNICAL_PROBLEM = "Sorry, there was a technical problem. Please try again."


def needs(app: Flask, endpoint: str) -> None:
    """Skip when this checkout does not have the component yet."""
    if endpoint not in app.view_functions:
        pytest.skip(f"{endpoint} is not in this checkout yet")


def cookies_from(reply: servers.Reply) -> dict[str, str]:
    jar: dict[str, str] = {}
    for header in reply.set_cookies:
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            jar[name] = morsel.value
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def post_form(
    server: servers.Server,
    page: str,
    action: str,
    fields: dict[str, str],
    headers: dict[str, str] | None = None,
) -> tuple[servers.Reply, dict[str, str]]:
    """GET ``page``, then POST ``fields`` (plus its CSRF token, if it has one) to ``action``.

    Returns the POST's reply and the visitor's cookies after it.
    """
    first = servers.request(server, "GET", page)
    assert first.status == 200, (page, first.status)
    token = CSRF.search(first.body)
    jar = cookies_from(first)
    form = {"csrf_token": token.group(1).decode()} if token else {}
    body = urlencode({**form, **fields}).encode()
    reply = servers.request(
        server,
        "POST",
        action,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
            "Sec-Fetch-Site": "same-origin",
            **(headers or {}),
        },
    )
    jar.update(cookies_from(reply))
    return reply, jar


def consent_post(choice: str) -> Callable[[servers.Server], servers.Reply]:
    """A job: a visitor presses Accept or Reject in the banner on ``/`` (no JS)."""

    def job(server: servers.Server) -> servers.Reply:
        reply, _ = post_form(server, "/", CONSENT_URL, {"cookies": choice, "return_to": "/"})
        return reply

    return job


def feedback_post(text: str) -> Callable[[servers.Server], servers.Reply]:
    """A job: a visitor sends ``text`` from the feedback form (no JS)."""

    def job(server: servers.Server) -> servers.Reply:
        reply, _ = post_form(server, FEEDBACK_URL, FEEDBACK_URL, {"feedback": text})
        return reply

    return job
