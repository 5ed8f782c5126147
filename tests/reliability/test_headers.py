"""Security headers and CSP on every response: pages, 404s, 405s, redirects, bundles.

tests/test_security.py checks the pages people read; this checks every
request the app answers, found from its url_map, with every method it allows.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask

from benchmarks import servers

from .routes import sample_urls, uncovered_rules

FRAMEABLE = "/preview"  # gallery previews are framed by the gallery itself


def is_on_site(location: str, host: str, exit_url: str) -> bool:
    """A redirect target on the host the request came to, or the quick exit page."""
    if location.startswith(exit_url):
        return True
    parts = urlsplit(location)
    if location.startswith("//") or location.startswith("/\\"):
        return False  # scheme-relative: another host
    return (not parts.scheme and not parts.netloc) or (
        parts.scheme in ("http", "https") and parts.netloc == host
    )


def assert_strict_headers(method: str, url: str, status: int, headers: dict[str, str]) -> None:
    where = f"{method} {url} ({status})"
    csp = headers.get("content-security-policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    directives = {d.split()[0]: d for d in (p.strip() for p in csp.split(";")) if d}
    for name in ("script-src", "style-src"):
        assert name in directives or "default-src" in directives, f"{where}: no {name}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert directives.get("object-src") == "object-src 'none'", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "same-origin", where
    frame_ancestors = directives.get("frame-ancestors")
    if url.endswith(FRAMEABLE) and status == 200 and method in ("GET", "HEAD"):
        assert frame_ancestors == "frame-ancestors 'self'", where
        assert headers.get("x-frame-options") == "SAMEORIGIN", where
    else:
        assert frame_ancestors == "frame-ancestors 'none'", where
        assert headers.get("x-frame-options") == "DENY", where


def test_every_rule_is_sampled(app: Flask) -> None:
    assert not uncovered_rules(app), "teach tests/reliability/routes.py these arguments"


def test_every_response_has_strict_headers(app: Flask) -> None:
    client = app.test_client()
    seen: set[int] = set()
    for method, url in sample_urls(app):
        response = client.open(url, method=method)
        response.close()  # file responses hold the bundle open
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        seen.add(response.status_code)
        headers = {k.lower(): v for k, v in response.headers.items()}
        assert_strict_headers(method, url, response.status_code, headers)
        if response.status_code in (301, 302, 303, 307, 308):
            location = response.headers["Location"]
            assert is_on_site(location, "localhost", app.config["HAVEN_QUICK_EXIT_URL"]), (
                f"{method} {url} redirects off-site to {location}"
            )
    # The sample really did reach each kind of answer.
    assert {200, 404, 405} <= seen and seen & {301, 302, 303, 308}, seen


def test_bundles_are_served_as_their_type_and_cached(app: Flask) -> None:
    client = app.test_client()
    for method, url in sample_urls(app):
        if method == "GET" and "/dist/haven." in url:
            response = client.get(url)
            response.close()
            expected = "text/javascript" if url.endswith(".js") else "text/css"
            assert response.mimetype == expected
            assert "immutable" in response.headers["Cache-Control"]


def test_headers_survive_a_real_server(app: Flask, server: servers.Server) -> None:
    """gunicorn passes our headers through unchanged (none dropped or doubled)."""
    for method, url in sample_urls(app):
        if method not in ("GET", "POST"):
            continue
        reply = servers.request(server, method, url)
        assert reply.status < 500, (method, url, reply.status)
        assert_strict_headers(method, url, reply.status, reply.headers)


def _cookie_attributes(header: str) -> tuple[str, dict[str, str]]:
    name = header.split("=", 1)[0].strip()
    attributes = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value
    return name, attributes


def _consent_cookie_after_accepting(app: Flask, base_url: str) -> dict[str, dict[str, str]]:
    client = app.test_client()
    page = client.get("/", base_url=base_url)
    response = client.post(
        "/_haven/consent",
        data={"cookies": "accept", "return_to": "/"},
        base_url=base_url,
    )
    headers = page.headers.getlist("Set-Cookie") + response.headers.getlist("Set-Cookie")
    return dict(_cookie_attributes(header) for header in headers)


def _needs_consent(app: Flask) -> None:
    if "haven_consent.save" not in app.view_functions:
        pytest.skip("the cookie consent component is not in this checkout yet")


def test_consent_cookie_flags(app: Flask) -> None:
    """Readable by our script (it gates scripts without a request), so not
    HttpOnly; same-site only; a year; Secure whenever the site is on https."""
    _needs_consent(app)
    for base_url, secure in (("http://localhost", False), ("https://localhost", True)):
        cookies = _consent_cookie_after_accepting(app, base_url)
        consent = cookies["haven_consent"]
        assert consent.get("path") == "/"
        assert consent.get("samesite", "").lower() == "lax"
        assert "domain" not in consent, "the consent cookie must not reach other subdomains"
        assert int(consent["max-age"]) == app.config["HAVEN_CONSENT_MAX_AGE_DAYS"] * 86400
        assert ("secure" in consent) is secure, base_url


def test_session_cookie_is_http_only(app: Flask) -> None:
    _needs_consent(app)
    session = _consent_cookie_after_accepting(app, "https://localhost")["session"]
    assert "httponly" in session


def test_session_cookie_is_same_site_and_secure_on_https(app: Flask) -> None:
    _needs_consent(app)
    session = _consent_cookie_after_accepting(app, "https://localhost")["session"]
    assert session.get("samesite", "").lower() in ("lax", "strict")
    assert "secure" in session
