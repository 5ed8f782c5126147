"""Bad input, generated: every route with random path parts, queries, headers, cookies.

Whatever arrives: no 500, nothing we were sent comes back as live markup, no
redirect to another site, and no cookie or consent a person did not give.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo_app import create_app

from .routes import sample_urls
from .test_headers import is_on_site

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Markup that must never come back unescaped: a tag and an attribute breakout
# that no page of ours contains.
PROBES = ['<hv-probe x="1">', '"><hv-probe>', "'><hv-probe>", "javascript:hv_probe()"]
PROBE_MARKERS = (b"<hv-probe",)

# Headers the app or its components read, or that proxies and browsers send.
HEADERS = [
    "Accept",
    "Accept-Language",
    "User-Agent",
    "Referer",
    "Origin",
    "Sec-GPC",
    "DNT",
    "X-Requested-With",
    "X-CSRFToken",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Request-Id",
    "Content-Type",
]

header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80
) | st.sampled_from(PROBES)
free_text = st.text(max_size=40) | st.sampled_from(PROBES)


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("fuzz") / "instance"
    return create_app({"TESTING": True, "INSTANCE_PATH": str(path)})


@pytest.fixture
def fuzz_client(fuzz_app: Flask) -> Iterator[FlaskClient]:
    yield fuzz_app.test_client()


def cookie_names(app: Flask) -> list[str]:
    """Every cookie name the app might read: the session, and any ``*COOKIE*_NAME`` setting."""
    names = {app.config.get("SESSION_COOKIE_NAME") or "session"}
    for key, value in app.config.items():
        if "COOKIE" in key and key.endswith("NAME") and isinstance(value, str) and value:
            names.add(value)
    return sorted(names)


def check(app: Flask, response: Any, sent: str) -> None:
    """The properties every answer must have, whatever was sent."""
    body = response.get_data()
    response.close()
    assert response.status_code < 500, f"{sent}: {response.status_code}"
    for marker in PROBE_MARKERS:
        assert marker not in body, f"{sent}: input reflected unescaped"
    assert b"Traceback" not in body, sent
    location = response.headers.get("Location")
    if location:
        assert is_on_site(location, "localhost", app.config["HAVEN_QUICK_EXIT_URL"]), (
            f"{sent}: redirects off-site to {location}"
        )
    assert_no_consent_given(app, response, sent)


def assert_no_consent_given(app: Flask, response: Any, sent: str) -> None:
    """No request here accepts anything, so no non-essential cookie may be set."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        deleted = rest.startswith(";") or "Max-Age=0" in rest
        assert deleted or not name.strip().startswith("demo_"), f"{sent}: set {header}"


path_part = st.text(min_size=1, max_size=30) | st.sampled_from(
    [*PROBES, "..", "%2e%2e", "%00", "quick-exit", "default", " ", "\\"]
)


@FUZZ
@given(name=path_part, example=path_part)
def test_gallery_with_random_names(
    fuzz_app: Flask, fuzz_client: Any, name: str, example: str
) -> None:
    for url in (
        f"/components/{quote(name, safe='')}/",
        f"/components/{quote(name, safe='')}/{quote(example, safe='')}/preview",
        f"/components/quick-exit/{quote(example, safe='')}/preview",
        f"/{quote(name, safe='')}",
    ):
        check(fuzz_app, fuzz_client.get(url), url)


@FUZZ
@given(
    query=st.dictionaries(free_text, free_text, max_size=4),
    headers=st.dictionaries(st.sampled_from(HEADERS), header_text, max_size=5),
    cookies=st.dictionaries(st.integers(0, 5), header_text, max_size=3),
    route=st.integers(min_value=0),
)
def test_every_route_with_random_queries_headers_and_cookies(
    fuzz_app: Flask,
    fuzz_client: Any,
    query: dict[str, str],
    headers: dict[str, str],
    cookies: dict[int, str],
    route: int,
) -> None:
    routes = sample_urls(fuzz_app)
    method, url = routes[route % len(routes)]
    names = cookie_names(fuzz_app)
    client = fuzz_app.test_client()
    for index, value in cookies.items():
        client.set_cookie(names[index % len(names)], value.replace(";", ""))
    full = url + ("?" + urlencode(query) if query else "")
    response = client.open(full, method=method, headers=headers)
    check(fuzz_app, response, f"{method} {full} {headers} {cookies}")


@FUZZ
@given(host=st.sampled_from(["evil.example", "localhost:1", "127.0.0.1", "a" * 300]))
def test_a_forged_host_never_sends_anyone_elsewhere(fuzz_app: Flask, host: str) -> None:
    """Redirects follow the Host a browser sent (that is the site it is on);
    X-Forwarded-Host must not move them, since no proxy is configured to set it."""
    client = fuzz_app.test_client()
    for method, url in sample_urls(fuzz_app):
        if method != "GET":
            continue
        response = client.get(url, headers={"X-Forwarded-Host": host})
        response.close()
        location = response.headers.get("Location")
        if location:
            assert host not in location, f"{url}: X-Forwarded-Host moved the redirect"


def test_probes_would_be_caught(fuzz_app: Flask) -> None:
    """The reflection check can fail: a route that echoes its input trips it."""
    from flask import Response

    echo = Flask(__name__)
    echo.config["HAVEN_QUICK_EXIT_URL"] = fuzz_app.config["HAVEN_QUICK_EXIT_URL"]
    echo.add_url_rule("/echo", "echo", lambda: Response(PROBES[0]))
    with pytest.raises(AssertionError, match="unescaped"):
        check(echo, echo.test_client().get("/echo"), "/echo")
