"""Security headers on every page, and no inline script or style anywhere we render."""

from __future__ import annotations

from typing import Any

import pytest

from flask_haven.security import DEFAULT_CSP

from .conftest import assert_no_inline_code, parse
from .page_list import all_pages, rtl_pages


@pytest.mark.parametrize("url", all_pages() + rtl_pages())
def test_page_has_strict_headers_and_no_inline_code(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors" in csp

    assert_no_inline_code(parse(response.data))


def test_pages_may_not_be_framed(client: Any) -> None:
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_gallery_previews_may_be_framed_by_the_gallery_only(client: Any) -> None:
    response = client.get("/components/quick-exit/default/preview")
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_site_headers_win_over_ours(tmp_path: Any) -> None:
    from demo_app import create_app

    app = create_app({"INSTANCE_PATH": tmp_path})

    @app.route("/own")
    def own() -> Any:
        return "x", 200, {"Content-Security-Policy": "default-src 'none'"}

    assert app.test_client().get("/own").headers["Content-Security-Policy"] == "default-src 'none'"


def test_headers_can_be_switched_off(tmp_path: Any) -> None:
    from demo_app import create_app

    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_SECURITY_HEADERS": False})
    assert "Content-Security-Policy" not in app.test_client().get("/").headers


def test_custom_policy(tmp_path: Any) -> None:
    from demo_app import create_app

    policy = DEFAULT_CSP + "; img-src 'self' https://tiles.example.org"
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CSP": policy})
    assert app.test_client().get("/").headers["Content-Security-Policy"] == policy
