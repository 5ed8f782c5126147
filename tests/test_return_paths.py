"""The one return-path sanitiser: no input leaves the site, no input gives a 500.

The oracle below reads a ``Location`` value the way the WHATWG URL parser in a
browser does (tabs and newlines dropped, backslash as slash), after the
percent-decoding and compatibility folding other layers may apply, and checks
that every reading resolves to this site's origin. Issue 17, rows 1 and 2.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from flask_haven.paths import safe_return_path

from .conftest import parse

ORIGIN = "https://site.example"


def _browser_resolves_on_site(location: str) -> bool:
    """Does a browser following ``Location: <location>`` stay on ORIGIN?"""
    candidates = {location, unquote(location), unicodedata.normalize("NFKC", location)}
    candidates.add(unicodedata.normalize("NFKC", unquote(unquote(location))))
    for candidate in candidates:
        # WHATWG: strip leading/trailing C0 controls and spaces, drop tab/LF/CR
        # anywhere, and in special schemes read "\" as "/".
        cleaned = candidate.strip("\x00- ")
        cleaned = cleaned.replace("\t", "").replace("\n", "").replace("\r", "")
        cleaned = cleaned.replace("\\", "/")
        resolved = urlsplit(urljoin(ORIGIN + "/here", cleaned))
        if (resolved.scheme, resolved.netloc) != ("https", "site.example"):
            return False
    return True


# Characters an attacker reaches for, mixed with ordinary path text.
TRICKY = st.sampled_from(
    [
        "/",
        "\\",
        "\t",
        "\n",
        "\r",
        " ",
        "%",
        "%2f",
        "%2F",
        "%5c",
        "%09",
        "%0d%0a",
        "%252f",
        ":",
        "@",
        "?",
        "#",
        ".",
        "\uff0f",
        "\uff3c",
        "\u3000",
        "\xa0",
        "\ufeff",
        "\u200b",
        "evil.example",
        "javascript:",
        "http:",
    ]
)
PATHS = st.lists(st.one_of(TRICKY, st.text(max_size=4)), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(PATHS)
def test_no_input_leaves_the_site(value: str) -> None:
    result = safe_return_path(value)
    if result is not None:
        assert _browser_resolves_on_site(result), f"{value!r} -> {result!r} leaves the site"
        assert "\r" not in result and "\n" not in result


@settings(max_examples=200, deadline=None)
@given(PATHS)
def test_stored_paths_never_leave_the_site(value: str) -> None:
    result = safe_return_path(value, keep_query=False, max_length=200)
    if result is not None:
        assert _browser_resolves_on_site(result)
        assert "?" not in result and "#" not in result and len(result) <= 200


@pytest.mark.parametrize(
    "value",
    [
        "/%09/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5Cevil.example",
        "/%255c%255cevil.example",
        "\uff0f\uff0fevil.example",
        "/\uff0fevil.example",
        "/\uff3cevil.example",
        "/%EF%BC%8Fevil.example",
        "/\r\nSet-Cookie: x=1",
        "/%0d%0aSet-Cookie:x=1",
    ],
)
def test_known_escapes_are_refused(value: str) -> None:
    assert safe_return_path(value) is None


def test_ordinary_paths_are_kept() -> None:
    assert safe_return_path("/news/2024?page=2#top") == "/news/2024?page=2#top"
    assert safe_return_path("/caf%C3%A9") == "/caf%C3%A9"
    assert safe_return_path("/news?page=2", keep_query=False) == "/news"


# Row 1: the demo's language switch followed `startswith("//")` before Werkzeug
# dropped the tab, and sent the browser to evil.example.
@pytest.mark.parametrize(
    "query",
    [
        "next=/%09/evil.example",
        "next=/%0A/evil.example",
        "next=/%5C/evil.example",
        "next=%EF%BC%8F%EF%BC%8Fevil.example",
        "next=/%252F/evil.example",
    ],
)
def test_language_switch_is_not_an_open_redirect(client: FlaskClient, query: str) -> None:
    response = client.get(f"/language/cy?{query}")
    assert response.status_code == 303
    assert _browser_resolves_on_site(response.headers["Location"])
    assert response.headers["Location"] == "/"


# Row 2: a CR/LF in `next` was a 500 (newline in a header value).
CRLF = ["/%0D%0ASet-Cookie:%20x=1", "/%0Aevil", "/x%0D"]


@pytest.mark.parametrize("value", CRLF)
def test_crlf_in_language_next_is_a_safe_redirect(client: FlaskClient, value: str) -> None:
    response = client.get(f"/language/cy?next={value}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "Set-Cookie: x" not in str(response.headers)


@pytest.mark.parametrize("value", CRLF)
def test_crlf_in_feedback_return_to_is_never_a_500(client: FlaskClient, value: str) -> None:
    form = client.get(f"/feedback?return_to={value}")
    assert form.status_code == 200
    thanks = client.get(f"/feedback/thanks?return_to={value}")
    assert thanks.status_code == 200
    links = [a.get("href", "") for a in parse(thanks.data).select("main a")]
    assert all("\n" not in href and "\r" not in href for href in links)


@pytest.mark.parametrize("value", ["/\r\nSet-Cookie: x=1", "/\t/evil.example", "/%09/evil"])
def test_crlf_in_banner_return_to_is_a_safe_redirect(client: FlaskClient, value: str) -> None:
    response = client.post("/_haven/consent", data={"cookies": "hide", "return_to": value})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
