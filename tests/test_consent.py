"""The cookie manager's server side: policy, codec, endpoints, rendering, log.

Property-based tests (hypothesis) throw hostile cookie values and form posts
at the codec and the endpoints: never a 500, never consent that was not given,
never a redirect off the site.
"""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo_app import create_app
from flask_haven import HavenConfigError
from flask_haven.consent import (
    COOKIE_NAME,
    Category,
    Consent,
    CookieInfo,
    Policy,
    allows,
    codec,
    consent,
    load_policy,
    log,
    safe_return_path,
)

from .conftest import assert_no_inline_code, parse

SECRET = "test-secret"
YEAR = 365 * 86_400
HYPOTHESIS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def make_policy(version: str = "1") -> Policy:
    return Policy(
        version=version,
        categories=(
            Category(
                "essential",
                "Essential cookies",
                "Needed.",
                (CookieInfo("haven_consent", "Choice", "1 year"),),
            ),
            Category(
                "analytics",
                "Analytics cookies",
                "Counting.",
                (
                    CookieInfo("demo_analytics", "Counts", "1 day"),
                    CookieInfo("_ga*", "Google", "2 years", party="third"),
                ),
            ),
            Category("preferences", "Preference cookies", "Settings.", ()),
        ),
    )


POLICY = make_policy()


def fresh(choices: dict[str, bool], **kwargs: Any) -> Consent:
    return Consent(choices, POLICY.version, int(time.time()), **kwargs)


# -- policy -----------------------------------------------------------------------


def test_demo_policy_loads_from_yaml() -> None:
    from pathlib import Path

    policy = load_policy(Path("demo_app/cookie_policy.yaml"))
    assert policy.optional_names == ("analytics", "preferences")
    assert policy.is_essential_cookie("session") and policy.is_essential_cookie(COOKIE_NAME)
    assert policy.category_of("demo_analytics").name == "analytics"  # type: ignore[union-attr]


def test_patterns_match_cookie_families() -> None:
    assert POLICY.category_of("_ga_ABC123").name == "analytics"  # type: ignore[union-attr]
    assert POLICY.category_of("unrelated") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "version": "1",
                "categories": [{"name": "analytics", "title": "A", "description": "d"}],
            },
            "essential",
        ),
        (
            {
                "version": "1",
                "categories": [{"name": "essential", "title": "E", "description": "d"}],
            },
            "optional",
        ),
        (
            {
                "version": "1",
                "categories": [
                    {"name": "essential", "title": "E", "description": "d"},
                    {"name": "analytics", "title": "A", "description": ""},
                ],
            },
            "description",
        ),
        (
            {
                "version": "1",
                "categories": [
                    {
                        "name": "essential",
                        "title": "E",
                        "description": "d",
                        "cookies": [{"name": "x", "purpose": "p", "expiry": "e"}],
                    },
                    {
                        "name": "analytics",
                        "title": "A",
                        "description": "d",
                        "cookies": [{"name": "x", "purpose": "p", "expiry": "e"}],
                    },
                ],
            },
            "listed twice",
        ),
        (
            {
                "version": "1",
                "categories": [
                    {"name": "essential", "title": "E", "description": "d"},
                    {"name": "analytics", "title": "A", "description": "d"},
                    {"name": "analytics", "title": "A", "description": "d"},
                ],
            },
            "listed twice",
        ),
        (
            {
                "version": "1",
                "categories": [
                    {"name": "essential", "title": "E", "description": "d"},
                    {"name": "analytics", "title": "A", "description": "d"},
                ],
                "cookies": [{"name": "y", "category": "marketing", "purpose": "p", "expiry": "e"}],
            },
            "unknown category 'marketing'",
        ),
        (
            {
                "version": "1",
                "categories": [
                    {"name": "essential", "title": "E", "description": "d"},
                    {
                        "name": "analytics",
                        "title": "A",
                        "description": "d",
                        "cookies": [{"name": "x", "purpose": "", "expiry": "e"}],
                    },
                ],
            },
            "purpose",
        ),
        ({"version": "1.0", "categories": []}, "version"),
        (
            {
                "version": "1",
                "categories": [
                    {"name": "essential", "title": "E", "description": "d"},
                    {"name": "Bad.Name", "title": "A", "description": "d"},
                ],
            },
            "category name",
        ),
        ({"categories": []}, "malformed"),
        ("not a mapping", "cannot read"),
    ],
)
def test_bad_policies_fail_at_start_up(tmp_path: Any, data: Any, message: str) -> None:
    with pytest.raises(HavenConfigError, match=re.escape(message)):
        create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_POLICY": data})


def test_bad_max_age_fails_at_start_up(tmp_path: Any) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_CONSENT_MAX_AGE_DAYS"):
        create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_MAX_AGE_DAYS": 0})


def test_no_policy_means_no_banner_and_nothing_allowed(tmp_path: Any) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_POLICY": None})
    client = app.test_client()
    page = parse(client.get("/").data)
    assert not page.select('[role="region"][aria-label^="Cookies on"]')
    with app.test_request_context("/"):
        assert allows("essential") and not allows("analytics")


# -- codec ------------------------------------------------------------------------


def test_round_trip() -> None:
    given_consent = fresh({"analytics": True, "preferences": False}, record_id="abc_DEF-123")
    value = codec.encode(given_consent, SECRET, POLICY)
    assert re.fullmatch(
        r"2\.1\.\d+\.analytics:1:[0-9a-f]{8}~preferences:0:[0-9a-f]{8}\.abc_DEF-123\.[\w-]+",
        value,
    )
    assert len(value) < 140
    decoded = codec.decode(value, POLICY, SECRET, max_age_seconds=YEAR)
    assert decoded is not None and decoded.complete
    assert (decoded.choices, decoded.record_id, decoded.given_at) == (
        given_consent.choices,
        "abc_DEF-123",
        given_consent.given_at,
    )


def test_nothing_allowed_round_trip() -> None:
    value = codec.encode(fresh({"analytics": False, "preferences": False}), SECRET, POLICY)
    decoded = codec.decode(value, POLICY, SECRET, max_age_seconds=YEAR)
    assert decoded is not None and not decoded.allows("analytics")


def test_a_new_revision_in_revision_mode_asks_again() -> None:
    value = codec.encode(fresh({"analytics": True, "preferences": True}), SECRET, POLICY)
    decoded = codec.decode(
        value, make_policy("2"), SECRET, max_age_seconds=YEAR, reask=codec.REASK_REVISION
    )
    assert decoded is not None and not decoded.complete and not decoded.allows("analytics")


def test_expired_and_future_consent_is_no_consent() -> None:
    old = Consent({"analytics": True}, "1", int(time.time()) - YEAR - 10)
    old_value = codec.encode(old, SECRET, POLICY)
    assert codec.decode(old_value, POLICY, SECRET, max_age_seconds=YEAR) is None
    future = Consent({"analytics": True}, "1", int(time.time()) + 3600)
    future_value = codec.encode(future, SECRET, POLICY)
    assert codec.decode(future_value, POLICY, SECRET, max_age_seconds=YEAR) is None


def test_other_key_tampering_and_truncation_are_no_consent() -> None:
    value = codec.encode(fresh({"analytics": False, "preferences": False}), SECRET, POLICY)
    assert codec.decode(value, POLICY, "other key", max_age_seconds=YEAR) is None
    tampered = value.replace(":0:", ":1:", 1)
    assert tampered != value
    assert codec.decode(tampered, POLICY, SECRET, max_age_seconds=YEAR) is None
    for cut in range(1, len(value)):
        assert codec.decode(value[:cut], POLICY, SECRET, max_age_seconds=YEAR) is None


def test_validly_signed_but_malformed_payloads_are_no_consent() -> None:
    signer = codec._signer(SECRET)
    now = str(int(time.time()))
    digest = POLICY.digests["analytics"]
    yes = f"analytics:1:{digest}"
    for payload in (
        f"1.1.{now}.analytics.-",  # the old format
        f"3.1.{now}.{yes}.-",  # a future format
        f"2.1.{now}.{yes}~{yes}.-",  # duplicate
        f"2.1.{now}.analytics.-",  # no answer or digest
        f"2.1.{now}.analytics:2:{digest}.-",
        f"2.1.{now}.analytics:1:{digest[:7]}.-",
        f"2.1.-{now}.{yes}.-",
        f"2.1.{now}.{yes}",  # truncated
        f"2.1.{now}.{yes}.-.extra",
        f"2.1.{now}.{yes}.bad id!",
        f"2.1.0.{yes}.-",  # too old
        f"2.1.99999999999999.{yes}.-",
        f"2.1 0.{now}.{yes}.-",
    ):
        value = signer.sign(payload).decode()
        assert codec.decode(value, POLICY, SECRET, max_age_seconds=YEAR) is None, payload
    # A category the policy does not have (or essential) is no choice at all.
    for payload in (f"2.1.{now}.marketing:1:{digest}.-", f"2.1.{now}.essential:1:{digest}.-"):
        value = signer.sign(payload).decode()
        decoded = codec.decode(value, POLICY, SECRET, max_age_seconds=YEAR)
        assert decoded is not None and decoded.choices == {} and not decoded.complete


@HYPOTHESIS
@given(st.one_of(st.text(max_size=600), st.binary(max_size=300).map(repr), st.none()))
def test_random_values_never_decode(value: Any) -> None:
    assert codec.decode(value, POLICY, SECRET, max_age_seconds=YEAR) is None


@HYPOTHESIS
@given(
    st.fixed_dictionaries({"analytics": st.booleans(), "preferences": st.booleans()}),
    st.integers(min_value=0, max_value=80),
    st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz~.-_:", min_size=1, max_size=4),
)
def test_changed_values_never_grant_more(choices: dict[str, bool], at: int, junk: str) -> None:
    """Any edit of a real value decodes to nothing or to the very same choice."""
    value = codec.encode(fresh(choices), SECRET, POLICY)
    position = at % (len(value) + 1)
    for edited in (value[:position] + junk + value[position:], value[:position] + junk):
        decoded = codec.decode(edited, POLICY, SECRET, max_age_seconds=YEAR)
        assert decoded is None or decoded.choices == choices


# -- return paths -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\t/evil.example",
        " /x",
        "evil.example",
        "/%0a/evil",
        "",
        None,
        42,
        "/" + "a" * 3000,
        "/\x00",
        "\u3002/evil",
    ],
)
def test_unsafe_return_paths_become_root(value: Any) -> None:
    result = safe_return_path(value) or "/"
    assert result == "/" or (result.startswith("/") and not result.startswith("//"))
    if value in ("//evil.example", "/\\evil.example", "https://evil.example/", None):
        assert result == "/"


def test_safe_return_paths_are_kept() -> None:
    assert safe_return_path("/news?page=2#top") == "/news?page=2#top"


# -- the endpoints ------------------------------------------------------------------


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


def consent_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie(COOKIE_NAME)
    return cookie.value if cookie else None


def banner(html: bytes) -> Any:
    return parse(html).select_one('[role="region"][aria-label^="Cookies on"]')


def test_new_visitor_sees_the_banner(client: FlaskClient) -> None:
    region = banner(client.get("/").data)
    assert region is not None
    assert region["aria-label"] == "Cookies on Harrowdale Police"
    buttons = [
        b.get_text(strip=True) for b in region.select("button") if not b.find_parent(hidden=True)
    ]
    assert buttons == ["Accept additional cookies", "Reject additional cookies"]
    # The cookies page is told where to link back to after saving.
    links = {a.get_text(): a["href"] for a in region.select("a")}
    assert links["Customise cookies"] == "/cookies?return_to=%2F"
    assert len({tuple(b["class"]) for b in region.select("button")}) == 1, "equal prominence"


def test_banner_comes_after_skip_link_and_quick_exit(client: FlaskClient) -> None:
    html = client.get("/").data.decode()
    assert html.index("Skip to main content") < html.index("Leave this site")
    assert html.index("Leave this site") < html.index("haven-cookie-banner")
    assert html.index("haven-cookie-banner") < html.index('id="main-content"')


def test_accept_without_javascript(client: FlaskClient, app: Flask) -> None:
    response = client.post(
        "/_haven/consent",
        data={"cookies": "accept", "return_to": "/news/?x=1"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/news/?x=1"
    set_cookie = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE_NAME)
    )
    assert "SameSite=Lax" in set_cookie and "Path=/" in set_cookie
    assert f"Max-Age={365 * 86400}" in set_cookie
    assert "Secure" not in set_cookie  # plain http in tests
    page = client.get("/news/?x=1")
    region = banner(page.data)
    assert region is not None
    confirmation = region.select_one("[data-haven-confirmation]")
    assert "Your cookie preferences have been saved" in confirmation.get_text()
    assert confirmation.select_one('[data-haven-outcome="accepted"]:not([hidden])')
    assert confirmation.has_attr("autofocus") and not confirmation.has_attr("hidden")
    assert banner(client.get("/").data) is None, "the confirmation shows once"
    with app.test_request_context(
        "/", headers={"Cookie": f"{COOKIE_NAME}={consent_cookie(client)}"}
    ):
        assert consent.allows("analytics") and consent.allows("preferences")


def test_reject_with_json_expires_refused_cookies(client: FlaskClient) -> None:
    client.set_cookie("demo_analytics", "1")
    response = client.post(
        "/_haven/consent",
        data={"cookies": "reject"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json == {
        "ok": True,
        "choices": {"analytics": False, "preferences": False},
        "clear": [
            {"name": "demo_analytics", "paths": ["/"], "domains": []},
            {"name": "demo_preferences", "paths": ["/"], "domains": []},
        ],
        "outcome": "rejected",
    }
    expired = [h for h in response.headers.getlist("Set-Cookie") if "Max-Age=0" in h]
    assert any(h.startswith("demo_analytics=") for h in expired)
    assert any(h.startswith("demo_preferences=") for h in expired)
    assert client.get_cookie("demo_analytics") is None
    # JSON saves show no confirmation on the next page (the script showed it).
    assert banner(client.get("/").data) is None


def test_pages_sweep_cookies_of_refused_categories(client: FlaskClient) -> None:
    client.set_cookie("demo_analytics", "1")
    client.set_cookie("unrelated", "1")
    response = client.get("/")
    cleared = response.headers.getlist("Set-Cookie")
    assert any(h.startswith("demo_analytics=;") for h in cleared)
    assert not any(h.startswith("unrelated=") for h in cleared)


def test_unusable_consent_cookie_is_expired(client: FlaskClient) -> None:
    client.set_cookie(COOKIE_NAME, "1.1.1.analytics.-.forged")
    response = client.get("/")
    assert banner(response.data) is not None
    assert any(h.startswith(f"{COOKIE_NAME}=;") for h in response.headers.getlist("Set-Cookie"))


def test_unknown_action_shows_the_error_and_records_nothing(client: FlaskClient) -> None:
    response = client.post("/_haven/consent", data={"cookies": "maybe", "return_to": "/"})
    assert response.status_code == 303
    assert consent_cookie(client) is None
    region = banner(client.get("/").data)
    assert "Sorry, there was a technical problem. Please try again." in region.get_text()
    json_response = client.post(
        "/_haven/consent", data={"cookies": "maybe"}, headers={"Accept": "application/json"}
    )
    assert json_response.status_code == 400 and json_response.json == {"ok": False}
    assert consent_cookie(client) is None


# Where a post says it comes from: our own pages, or anywhere else. The test
# client sends Sec-Fetch-Site: same-origin unless told otherwise; an empty value
# stands for an older browser that sends no Fetch Metadata at all.
OURS: list[dict[str, str]] = [
    {},
    {"Sec-Fetch-Site": "none"},
    {"Sec-Fetch-Site": "", "Origin": "http://localhost"},
    {"Sec-Fetch-Site": "", "Referer": "http://localhost/cookies"},
]
SOURCES = [
    *OURS,
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost"},
    {"Sec-Fetch-Site": "", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "", "Origin": "null"},
    {"Sec-Fetch-Site": "", "Referer": "https://evil.example/localhost"},
]
FORM_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["accept", "reject", "hide", "yes", "no", "", "ACCEPT"]),
)
RETURN_PATHS = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["//evil.example/", "/\\evil.example", "https://evil.example", "/ok", "\\/evil", "/%2F%2Fx"]
    ),
    st.builds(lambda s: "//" + s, st.text(max_size=20)),
)


@HYPOTHESIS
@given(
    cookies=FORM_VALUES,
    return_to=RETURN_PATHS,
    source=st.sampled_from(SOURCES),
    as_json=st.booleans(),
    extra=st.dictionaries(st.sampled_from(["analytics", "preferences", "x"]), FORM_VALUES),
)
def test_hostile_banner_posts(
    tmp_path_factory: Any,
    cookies: str,
    return_to: str,
    source: dict[str, str],
    as_json: bool,
    extra: dict[str, str],
) -> None:
    app = _shared_app(tmp_path_factory)
    client = app.test_client()
    data = {"cookies": cookies, "return_to": return_to, **extra}
    headers = {"Accept": "application/json"} if as_json else {}
    response = client.post("/_haven/consent", data=data, headers={**headers, **source})
    assert response.status_code < 500
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers["Location"])
        assert not location.scheme and not location.netloc
        assert response.headers["Location"].startswith("/")
        assert not response.headers["Location"].startswith(("//", "/\\"))
    value = consent_cookie(client)
    if value is not None:
        assert source in OURS and cookies in ("accept", "reject")
        with app.test_request_context("/", headers={"Cookie": f"{COOKIE_NAME}={value}"}):
            assert consent.allows("analytics") is (cookies == "accept")


@HYPOTHESIS
@given(
    # No lone surrogates: no HTTP client can put them in a header at all.
    value=st.text(
        st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), max_size=300
    ),
    gpc=st.sampled_from(["", "1", "0", "yes"]),
)
def test_hostile_consent_cookies_never_fail_or_grant(
    tmp_path_factory: Any, value: str, gpc: str
) -> None:
    app = _shared_app(tmp_path_factory)
    client = app.test_client()
    client.set_cookie(COOKIE_NAME, value)
    for url in ("/", "/cookies"):
        response = client.get(url, headers={"Sec-GPC": gpc})
        assert response.status_code == 200
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE_NAME}={value}"}):
        assert not consent.allows("analytics")


@HYPOTHESIS
@given(
    form=st.dictionaries(
        st.sampled_from(["analytics", "preferences", "csrf_token", "cookies", "other"]),
        FORM_VALUES,
    ),
    source=st.sampled_from(SOURCES),
)
def test_hostile_settings_posts(
    tmp_path_factory: Any, form: dict[str, str], source: dict[str, str]
) -> None:
    app = _shared_app(tmp_path_factory)
    client = app.test_client()
    response = client.post("/cookies", data=form, headers=source)
    assert response.status_code in ((303, 400) if source in OURS else (403,))
    valid = form.get("analytics") in ("yes", "no") and form.get("preferences") in ("yes", "no")
    if consent_cookie(client) is not None:
        assert source in OURS and valid
    if response.status_code == 303:
        assert response.headers["Location"] == "/cookies"


_APPS: dict[str, Flask] = {}


def _shared_app(tmp_path_factory: Any) -> Flask:
    """One app for all hypothesis examples (building one per example is slow)."""
    if "app" not in _APPS:
        _APPS["app"] = create_app(
            {
                "TESTING": True,
                "WTF_CSRF_ENABLED": True,
                "INSTANCE_PATH": tmp_path_factory.mktemp("hypothesis") / "instance",
                # Hundreds of examples from one client: the flood limit is
                # tested in test_post_bounds.py, not here.
                "HAVEN_CONSENT_RATE_LIMIT": None,
            }
        )
    return _APPS["app"]


# -- cookies page -------------------------------------------------------------------


def test_cookies_page_lists_every_cookie_and_preselects_no(client: FlaskClient) -> None:
    page = parse(client.get("/cookies").data)
    assert page.select_one("h1").get_text() == "Cookies"
    names = [code.get_text() for code in page.select("table code")]
    assert names == ["haven_consent", "session", "demo_analytics", "demo_preferences"]
    legends = [legend.get_text() for legend in page.select("fieldset legend")]
    assert legends == [
        "Do you want to allow analytics cookies?",
        "Do you want to allow preference cookies?",
    ]
    # No choice yet: No stands (a refusal needs no consent), never a pre-ticked Yes.
    assert [r["value"] for r in page.select("input[type=radio][checked]")] == ["no", "no"]
    button = page.select_one(".haven-cookie-settings form button")
    assert button.get_text() == "Save cookie settings"


def test_settings_save_without_javascript(client: FlaskClient) -> None:
    response = client.post("/cookies", data={"analytics": "yes", "preferences": "no"})
    assert response.status_code == 303 and response.headers["Location"] == "/cookies"
    page = parse(client.get("/cookies").data)
    success = page.select_one('[role="status"]')
    assert "saved" in success.get_text() and success.has_attr("autofocus")
    assert page.select_one("#haven-cookie-settings-analytics").has_attr("checked")
    assert page.select_one("#haven-cookie-settings-preferences-no").has_attr("checked")
    again = parse(client.get("/cookies").data).select_one('[role="status"]')
    assert again.has_attr("hidden"), "the saved message shows once"


def test_settings_missing_choice_is_a_400_with_errors(client: FlaskClient) -> None:
    response = client.post("/cookies", data={"analytics": "yes"})
    assert response.status_code == 400
    page = parse(response.data)
    assert page.select_one("title").get_text().startswith("Error:")
    summary = page.select_one(".haven-error-summary")
    link = summary.select_one("a")
    assert link["href"] == "#haven-cookie-settings-preferences"
    assert page.select_one(link["href"]) is not None
    fieldset = page.select("fieldset")[1]
    assert fieldset["aria-describedby"] == "haven-cookie-settings-preferences-error"
    assert page.select_one("#haven-cookie-settings-analytics").has_attr("checked"), "kept"
    assert consent_cookie(client) is None


def test_gpc_without_a_choice_is_a_rejection(client: FlaskClient, app: Flask) -> None:
    response = client.get("/", headers={"Sec-GPC": "1"})
    assert banner(response.data) is None
    page = parse(client.get("/cookies", headers={"Sec-GPC": "1"}).data)
    assert "Global Privacy Control" in page.get_text()
    with app.test_request_context("/", headers={"Sec-GPC": "1"}):
        assert not consent.allows("analytics")


def test_gpc_can_be_switched_off(tmp_path: Any) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_HONOUR_GPC": False})
    assert banner(app.test_client().get("/", headers={"Sec-GPC": "1"}).data) is not None


# -- gated scripts ------------------------------------------------------------------


def test_gated_scripts_are_inert_until_allowed(client: FlaskClient) -> None:
    scripts = parse(client.get("/").data).select("script[data-haven-consent]")
    assert [(s["type"], s["data-haven-consent"], s["data-src"]) for s in scripts] == [
        ("text/plain", "analytics", "/static/demo-analytics.js"),
        ("text/plain", "preferences", "/static/demo-preferences.js"),
    ]
    assert not any(s.has_attr("src") for s in scripts), "an inert script must not name a src"
    client.post("/_haven/consent", data={"cookies": "accept"})
    scripts = parse(client.get("/").data).select("script[data-haven-consent]")
    assert all(not s.has_attr("type") and s.has_attr("defer") for s in scripts)
    assert scripts[0]["src"] == "/static/demo-analytics.js"


def test_script_macro_escapes(app: Flask) -> None:
    with app.test_request_context("/"):
        html = str(consent.script("analytics", '/x.js"><script>', data_site="a&b"))
    assert "<script>" not in html.replace("<script type", "").replace("></script>", "")
    assert 'data-site="a&amp;b"' in html


# -- consent log --------------------------------------------------------------------


def test_log_records_choice_without_identifying_data(client: FlaskClient, app: Flask) -> None:
    client.post("/_haven/consent", data={"cookies": "accept"})
    value = consent_cookie(client)
    assert value is not None
    record_id = value.split(".")[4]
    with app.app_context():
        row = log.find(record_id)
    assert row is not None
    assert row["choices"] == {"analytics": True, "preferences": True}
    assert row["policy_version"] == "1"
    assert {c.name for c in log.consent_log.columns} == {
        "id",
        "choices",
        "policy_version",
        "created_at",
        # Proof of what was shown, and a withdrawal: nothing about who chose.
        "notice_digest",
        "language",
        "source",
        "withdrawn_at",
    }


def test_log_failure_records_nothing(client: FlaskClient, monkeypatch: Any) -> None:
    def broken(*args: Any) -> None:
        raise log.ConsentLogError("database is down")

    monkeypatch.setattr(log, "record", broken)
    response = client.post(
        "/_haven/consent",
        data={"cookies": "accept"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 503 and response.json == {"ok": False}
    assert consent_cookie(client) is None
    response = client.post("/_haven/consent", data={"cookies": "accept"})
    assert response.status_code == 303 and consent_cookie(client) is None
    assert "technical problem" in banner(client.get("/").data).get_text()
    page = client.post("/cookies", data={"analytics": "no", "preferences": "no"})
    assert page.status_code == 503 and consent_cookie(client) is None
    assert "technical problem" in parse(page.data).select_one('[role="alert"]').get_text()


def test_log_is_off_by_default(tmp_path: Any) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_LOG": False, "TESTING": True})
    client = app.test_client()
    client.post("/_haven/consent", data={"cookies": "reject"})
    value = consent_cookie(client)
    assert value is not None and value.split(".")[4] == "-"


def test_policy_version_bump_voids_choices_in_revision_mode(tmp_path: Any) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path / "a", "TESTING": True, "SECRET_KEY": "k"})
    client = app.test_client()
    client.post(
        "/_haven/consent",
        data={"cookies": "accept"},
        headers={"Accept": "application/json"},
    )
    value = consent_cookie(client)
    bumped = create_app(
        {
            "INSTANCE_PATH": tmp_path / "b",
            "SECRET_KEY": "k",
            "HAVEN_CONSENT_POLICY": dataclasses.replace(
                app.extensions["haven"].settings.consent.policy, version="2"
            ),
            "HAVEN_CONSENT_REASK": "revision",
        }
    )
    other = bumped.test_client()
    other.set_cookie(COOKIE_NAME, value or "")
    assert banner(other.get("/").data) is not None
    assert banner(client.get("/").data) is None


def test_consent_cookie_is_secure_on_https(client: FlaskClient) -> None:
    response = client.post(
        "/_haven/consent",
        data={"cookies": "reject"},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/"},
    )
    assert response.status_code == 303
    header = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE_NAME + "=")
    )
    assert "Secure" in header


@pytest.mark.parametrize(
    "url", ["/cookies", "/components/cookie-banner/", "/components/cookie-settings/"]
)
def test_cookie_pages_have_no_inline_code(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert_no_inline_code(parse(response.data))
