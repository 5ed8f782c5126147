"""A stale consent cookie on another path never destroys a valid choice (issue 17, row 8).

A browser sends every cookie whose path matches, the deepest path first, so
``/news/`` carries both a stale ``haven_consent`` left on ``/news`` and the
valid one on ``/``. Reading only the first made the server delete the valid
``Path=/`` choice, so Accept never stuck on that path.

The clients here send the ``Cookie`` header as a browser would (two cookies
of one name), so they keep no cookie jar of their own.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from flask_haven.consent.codec import COOKIE_NAME

STALE = "stale-or-forged-value"
ALLOWED = re.compile(rb'<html[^>]*data-haven-consent="([^"]*)"')


def _set_cookies(response: Any) -> dict[str, str]:
    jar = {}
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return jar


def _accept(app: Flask, cookie_header: str = "") -> dict[str, str]:
    """Press Accept without JavaScript; the cookies the browser now has."""
    client = app.test_client(use_cookies=False)
    response = client.post(
        "/_haven/consent",
        data={"cookies": "accept", "return_to": "/"},
        headers={"Cookie": cookie_header} if cookie_header else {},
    )
    assert response.status_code == 303
    return _set_cookies(response)


def _deletes_consent(response: Any) -> bool:
    return any(
        header.startswith(f"{COOKIE_NAME}=;") for header in response.headers.getlist("Set-Cookie")
    )


def _allowed(response: Any) -> bytes:
    match = ALLOWED.search(response.data)
    assert match
    return match.group(1)


def test_a_stale_deeper_cookie_does_not_delete_the_valid_choice(app: Flask) -> None:
    valid = _accept(app)[COOKIE_NAME]
    response = app.test_client(use_cookies=False).get(
        "/", headers={"Cookie": f"{COOKIE_NAME}={STALE}; {COOKIE_NAME}={valid}"}
    )
    assert response.status_code == 200
    assert not _deletes_consent(response), "the valid Path=/ choice was deleted"
    assert _allowed(response) == b"analytics preferences", "the valid choice was not read"


def test_saving_sticks_despite_a_stale_deeper_cookie(app: Flask) -> None:
    saved = _accept(app, f"{COOKIE_NAME}={STALE}")
    assert saved.get(COOKIE_NAME)
    after = app.test_client(use_cookies=False).get(
        "/", headers={"Cookie": f"{COOKIE_NAME}={STALE}; {COOKIE_NAME}={saved[COOKIE_NAME]}"}
    )
    assert not _deletes_consent(after)
    assert _allowed(after) == b"analytics preferences", "Accept did not stick"
