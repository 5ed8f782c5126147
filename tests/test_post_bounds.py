"""Every POST endpoint is bounded: body size before parsing, posts per client.

Issue 17, row 3: a 10 MB consent body was parsed before the token check
(11.7 s each), and 300 consent posts with one token wrote 300 log rows.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from demo_app import create_app
from flask_haven import HavenConfigError
from flask_haven.consent.log import consent_log
from flask_haven.db import get_engine

TEN_MB = 10 * 1024 * 1024


class CountingBody(io.RawIOBase):
    """A 10 MB form body that counts how much of it the server read."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.read_bytes

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.read_bytes

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = b"a" * n
        self.left -= n
        self.read_bytes += n
        return n


def _log_rows(app: Flask) -> int:
    with app.app_context(), get_engine().connect() as connection:
        return int(connection.execute(select(func.count()).select_from(consent_log)).scalar_one())


@pytest.mark.parametrize("path", ["/_haven/consent", "/cookies"])
def test_a_10_mb_consent_body_is_refused_before_it_is_read(client: FlaskClient, path: str) -> None:
    body = CountingBody(TEN_MB)
    start = time.perf_counter()
    response = client.post(
        path,
        input_stream=body,
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"CONTENT_LENGTH": str(TEN_MB)},
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 413
    assert body.read_bytes < 64 * 1024, f"{body.read_bytes} bytes of the body were read"
    assert elapsed < 1.0, f"took {elapsed:.2f}s"


def test_consent_posts_from_one_client_write_a_bounded_number_of_log_rows(
    app: Flask, client: FlaskClient
) -> None:
    statuses = []
    for _ in range(100):
        response = client.post(
            "/_haven/consent",
            data={"cookies": "accept", "return_to": "/"},
        )
        statuses.append(response.status_code)
    limit = app.extensions["haven"].settings.consent.rate_limit.limit
    assert statuses.count(303) == limit
    assert statuses.count(429) == 100 - limit
    assert _log_rows(app) == limit


def test_cookies_page_saves_are_rate_limited(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_RATE_LIMIT": "3/minute"}
    )
    client = app.test_client()
    data = {"analytics": "no", "preferences": "no"}
    statuses = [client.post("/cookies", data=data).status_code for _ in range(5)]
    assert statuses == [303, 303, 303, 429, 429]


def test_consent_limit_is_per_client(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_RATE_LIMIT": "1/minute"}
    )
    client = app.test_client()
    data: dict[str, Any] = {"cookies": "hide", "return_to": "/"}
    assert client.post("/_haven/consent", data=data).status_code == 303
    assert client.post("/_haven/consent", data=data).status_code == 429
    other = {"REMOTE_ADDR": "127.0.0.2"}
    assert client.post("/_haven/consent", data=data, environ_base=other).status_code == 303


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("HAVEN_RATE_LIMIT_STORAGE_URI", "memcached://127.0.0.1:1"),
        ("HAVEN_RATE_LIMIT_STORAGE_URI", "redis"),
        ("HAVEN_RATE_LIMIT_STORAGE_URI", None),
        ("HAVEN_CONSENT_RATE_LIMIT", "lots"),
        ("HAVEN_CONSENT_MAX_REQUEST_BYTES", 10),
    ],
)
def test_bad_bounds_fail_at_start_up(tmp_path: Path, key: str, value: object) -> None:
    with pytest.raises(HavenConfigError, match=key):
        create_app({"TESTING": True, "INSTANCE_PATH": tmp_path, key: value})
