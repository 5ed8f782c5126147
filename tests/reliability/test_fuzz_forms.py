"""Bad input to the components' forms and cookies, generated with hypothesis.

The banner's endpoint, the cookies page and the feedback form get random
fields, return paths, CSRF tokens and Accept headers; pages get random
consent cookies. Whatever arrives: no 500, nothing reflected as markup, no
redirect off-site, and consent exactly as given, never more.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from demo_app import create_app

from ..conftest import parse
from .forms import CONSENT_COOKIE, CONSENT_URL, CSRF, FEEDBACK_URL, needs
from .test_fuzz import FUZZ, PROBES, check
from .test_headers import is_on_site

RETURN_PATHS = [
    "/",
    "/cookies",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
    "/\t/evil.example",
    " //evil.example",
    *PROBES,
]
return_path = st.sampled_from(RETURN_PATHS) | st.text(max_size=60)
field_text = st.text(max_size=200) | st.sampled_from(PROBES)
csrf_choice = st.sampled_from(["valid", "missing", "garbage"])
# Where a consent post says it comes from: the test client sends Sec-Fetch-Site:
# same-origin unless told otherwise; an empty value stands for a browser without it.
OUR_PAGES = ({}, {"Sec-Fetch-Site": "", "Origin": "http://localhost"})
source_choice = st.sampled_from(
    [
        *OUR_PAGES,
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "", "Origin": "null"},
        {"Sec-Fetch-Site": ""},
    ]
)
accept = st.sampled_from(["text/html", "application/json", "*/*", "application/json;q=0.1", ""])


@pytest.fixture(scope="module")
def forms_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("fuzz-forms") / "instance"
    # Hundreds of posts from one client: the flood limits are tested in
    # tests/test_post_bounds.py, not here.
    return create_app(
        {
            "INSTANCE_PATH": str(path),
            "HAVEN_FEEDBACK_RATE_LIMIT": None,
            "HAVEN_CONSENT_RATE_LIMIT": None,
        }
    )


def with_token(app: Flask, page: str, choice: str) -> tuple[Any, dict[str, str]]:
    """A fresh visitor who loaded ``page``, and the CSRF field to send."""
    client = app.test_client()
    match = CSRF.search(client.get(page).data)
    assert match
    if choice == "valid":
        return client, {"csrf_token": match.group(1).decode()}
    if choice == "garbage":
        return client, {"csrf_token": "IjAwMCI.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"}
    return client, {}


def consent_given(response: Any) -> set[str] | None:
    """The categories a response's consent cookie allows, or None if it sets none."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name.strip() == CONSENT_COOKIE:
            value = rest.split(";", 1)[0].strip('"')
            if not value:
                return None  # deleted
            # Format 2: each decision is <category>:<1 or 0>:<digest>, joined by "~".
            fields = value.split(".")
            decisions = [] if fields[3] == "-" else fields[3].split("~")
            return {d.split(":")[0] for d in decisions if d.split(":")[1] == "1"}
    return None


def optional_categories(app: Flask) -> set[str]:
    return set(app.extensions["haven"].settings.consent.policy.optional_names)


@FUZZ
@given(
    action=st.sampled_from(["accept", "reject", "hide", "", "ACCEPT", "accept "]) | field_text,
    back=return_path,
    source=source_choice,
    accepts=accept,
)
def test_banner_endpoint(
    forms_app: Flask, action: str, back: str, source: dict[str, str], accepts: str
) -> None:
    needs(forms_app, "haven_consent.save")
    client = forms_app.test_client()
    headers = {"Accept": accepts} if accepts else {}
    response = client.post(
        CONSENT_URL, data={"cookies": action, "return_to": back}, headers={**headers, **source}
    )
    sent = f"cookies={action!r} return_to={back!r} source={source} accept={accepts!r}"
    check(forms_app, response, sent)
    given_now = consent_given(response)
    if source not in OUR_PAGES:
        assert response.status_code == 403, sent
    if source not in OUR_PAGES or action not in ("accept", "reject"):
        assert given_now is None, f"{sent}: consent recorded without a valid choice"
    elif action == "accept":
        assert given_now == optional_categories(forms_app), sent
    else:
        assert given_now == set(), sent
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), sent
        assert "\\" not in location[:2], sent


yes_no = st.sampled_from(["yes", "no", None, "", "YES", "1", "true"]) | field_text


@FUZZ
@given(analytics=yes_no, preferences=yes_no, source=source_choice, accepts=accept)
def test_cookies_page(
    forms_app: Flask,
    analytics: str | None,
    preferences: str | None,
    source: dict[str, str],
    accepts: str,
) -> None:
    needs(forms_app, "haven_consent.save")
    client = forms_app.test_client()
    data = {}
    if analytics is not None:
        data["analytics"] = analytics
    if preferences is not None:
        data["preferences"] = preferences
    headers = {"Accept": accepts} if accepts else {}
    response = client.post("/cookies", data=data, headers={**headers, **source})
    sent = f"{data} source={source} accept={accepts!r}"
    check(forms_app, response, sent)
    given_now = consent_given(response)
    if source not in OUR_PAGES:
        assert given_now is None, f"{sent}: consent recorded from another site's post"
        assert response.status_code == 403, sent
    elif analytics not in ("yes", "no") or preferences not in ("yes", "no"):
        assert given_now is None, f"{sent}: consent recorded from an incomplete form"
        assert response.status_code == 400, sent
    else:
        expected = {name for name, v in (("analytics", analytics), ("preferences", preferences))}
        expected = {name for name in expected if data[name] == "yes"}
        assert given_now == expected, sent


@FUZZ
@given(
    text=field_text,
    back=return_path,
    extra=st.dictionaries(
        st.sampled_from(["website", "satisfaction", "x", "feedback"]), field_text
    ),
    csrf=csrf_choice,
)
def test_feedback_form(
    forms_app: Flask, text: str, back: str, extra: dict[str, str], csrf: str
) -> None:
    needs(forms_app, "feedback.form")
    client, token = with_token(forms_app, FEEDBACK_URL, csrf)
    data = {**extra, "feedback": text, "return_to": back, **token}
    response = client.post(FEEDBACK_URL, data=data)
    sent = f"{data}"
    check(forms_app, response, sent)
    assert response.status_code in (303, 400), sent
    if response.status_code == 303:
        thanks = client.get(response.headers["Location"])
        check(forms_app, thanks, sent)
        assert_links_stay_on_site(forms_app, thanks.data, sent)


@FUZZ
@given(back=return_path)
def test_feedback_pages_with_a_return_path(forms_app: Flask, back: str) -> None:
    needs(forms_app, "feedback.form")
    client = forms_app.test_client()
    for url in (
        f"{FEEDBACK_URL}?return_to={quote(back)}",
        f"/feedback/thanks?return_to={quote(back)}",
    ):
        response = client.get(url)
        check(forms_app, response, url)
        assert response.status_code == 200, url
        assert_links_stay_on_site(forms_app, response.data, url)


def assert_links_stay_on_site(app: Flask, html: bytes, sent: str) -> None:
    for link in parse(html).select("main a[href]"):
        href = str(link["href"])
        assert is_on_site(href, "localhost", app.config["HAVEN_QUICK_EXIT_URL"]), (
            f"{sent}: link to {href}"
        )
        assert not href.lower().startswith("javascript:"), sent


consent_values = st.sampled_from(
    [
        "1.1.0.analytics~preferences.-.forged",
        "1.999.9999999999.analytics~preferences.-.forged",
        "2.1.1764000000.analytics.-.x",
        "1.1.1764000000.analytics~preferences.-",
        "analytics",
        "",
        '"1.1.1764000000.analytics.-.x"',
    ]
) | st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=120)


@FUZZ
@given(value=consent_values, gpc=st.booleans())
def test_a_consent_cookie_we_did_not_sign_allows_nothing(
    forms_app: Flask, value: str, gpc: bool
) -> None:
    needs(forms_app, "haven_consent.save")
    client = forms_app.test_client()
    client.set_cookie(CONSENT_COOKIE, value.replace(";", ""))
    headers = {"Sec-GPC": "1"} if gpc else {}
    for page in ("/", "/cookies", "/components/"):
        response = client.get(page, headers=headers)
        check(forms_app, response, f"{page} {CONSENT_COOKIE}={value!r}")
        for script in parse(response.data).select("script[data-haven-consent]"):
            assert script.get("type") == "text/plain", f"{value!r} ran {script}"
        assert not consent_given(response), f"{value!r} turned into consent"
