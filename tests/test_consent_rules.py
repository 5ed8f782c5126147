"""Consent by the 2026 rules (issue 19) and cookie clearing that clears (issue 17, item 7).

Server side, with the Flask test client: the texts in English and Welsh, the
cookies page (no banner, what is selected, messages, the way back, the
receipt), the UK statistics and appearance exceptions, remembered refusals and
what a policy revision asks again, proof of consent (the digest of the exact
text shown), the export and withdrawal by reference, cookie paths and domains,
the shared cookie domain, and the Google Consent Mode settings. The browser
side is tests/e2e/test_consent_rules.py.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from demo_app import create_app
from demo_app.policies import statistics_policy
from flask_haven import HavenConfigError
from flask_haven.consent import COOKIE_NAME, Policy, codec, consent, load_policy, log
from flask_haven.consent.export import write_records_csv
from flask_haven.consent.proof import visible_text
from flask_haven.db import get_engine

from .conftest import parse

DEMO_POLICY = load_policy(Path("demo_app/cookie_policy.yaml"))
SAVED = (
    "Your cookie preferences have been saved. You can update your cookie settings at any time "
    "on the cookies page."
)
SAVED_CY = (
    "Mae eich dewisiadau cwcis wedi'u cadw. Gallwch ddiweddaru eich gosodiadau cwcis ar unrhyw "
    "adeg ar y dudalen cwcis."
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def same_site(
    client: FlaskClient,
    url: str,
    data: dict[str, str],
    base_url: str = "http://localhost",
    **kwargs: Any,
) -> Any:
    """POST as the site's own form does: with its CSRF token when the page has one,
    and the Fetch Metadata and Origin headers a browser sends."""
    form_page = "/cookies" if url == "/cookies" else "/feedback"
    token = CSRF.search(client.get(form_page, base_url=base_url).data.decode())
    headers = {"Sec-Fetch-Site": "same-origin", "Origin": base_url}
    headers.update(kwargs.pop("headers", {}))
    form = {"csrf_token": token.group(1)} if token else {}
    return client.post(url, data={**form, **data}, headers=headers, base_url=base_url, **kwargs)


def banner_of(html: bytes) -> Any:
    return parse(html).select_one(
        '[role="region"][aria-label^="Cookies on"], [role="region"][aria-label^="Cwcis ar"]'
    )


def allowed_on(response: Any) -> list[str]:
    return str(parse(response.data).html["data-haven-consent"]).split()


def set_cookies(response: Any) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def consent_value(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE_NAME)
    assert cookie is not None
    return cookie.value


@pytest.fixture
def welsh(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.get("/language/cy?next=/")
    return client


# -- 1. confirmations that say what happened, in English and Welsh --------------------


@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("accept", "You\u2019ve accepted additional cookies."),
        ("reject", "You\u2019ve rejected additional cookies."),
    ],
)
def test_the_confirmation_says_which_choice_was_saved(
    client: FlaskClient, action: str, said: str
) -> None:
    response = same_site(client, "/_haven/consent", {"cookies": action, "return_to": "/feedback"})
    assert response.status_code == 303
    confirmation = banner_of(client.get("/feedback").data).select_one("[data-haven-confirmation]")
    shown = [" ".join(p.get_text().split()) for p in confirmation.select("p:not([hidden])")]
    assert shown == [said, SAVED]
    link = confirmation.select_one("p:not([hidden]) a")
    assert link.get_text() == "cookies page"
    assert link["href"] == "/cookies?return_to=%2Ffeedback"


@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("accept", "Rydych wedi derbyn cwcis ychwanegol."),
        ("reject", "Rydych wedi gwrthod cwcis ychwanegol."),
    ],
)
def test_the_confirmation_in_welsh(welsh: FlaskClient, action: str, said: str) -> None:
    same_site(welsh, "/_haven/consent", {"cookies": action, "return_to": "/"})
    confirmation = banner_of(welsh.get("/").data).select_one("[data-haven-confirmation]")
    text = " ".join(confirmation.select_one("p:not([hidden])").get_text().split())
    assert text == said
    sentence = confirmation.select("p:not([hidden])")[1]
    assert " ".join(sentence.get_text().split()) == SAVED_CY
    assert sentence.select_one("a").get_text() == "dudalen cwcis"


def test_the_json_answer_names_the_outcome(client: FlaskClient) -> None:
    response = same_site(
        client, "/_haven/consent", {"cookies": "accept"}, headers={"Accept": "application/json"}
    )
    assert response.json["outcome"] == "accepted"
    assert response.json["choices"] == {"analytics": True, "preferences": True}


# -- 2. the cookies page ---------------------------------------------------------------


def test_no_banner_on_the_cookies_page(client: FlaskClient, welsh: FlaskClient) -> None:
    assert banner_of(client.get("/").data) is not None
    for url in ("/cookies", "/cookies/", "/cookies?return_to=%2F"):
        assert banner_of(client.get(url).data) is None, url
    assert banner_of(welsh.get("/cookies").data) is None


def test_under_a_prefix_the_cookies_page_is_still_found(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": tmp_path, "TESTING": True})
    client = app.test_client()
    environ = {"SCRIPT_NAME": "/help"}
    assert banner_of(client.get("/", environ_base=environ).data) is not None
    assert banner_of(client.get("/cookies", environ_base=environ).data) is None


def test_the_radios_show_no_when_there_is_no_choice_and_under_gpc(client: FlaskClient) -> None:
    for headers in ({}, {"Sec-GPC": "1"}):
        page = parse(client.get("/cookies", headers=headers).data)
        checked = {r["name"]: r["value"] for r in page.select("input[type=radio][checked]")}
        assert checked == {"analytics": "no", "preferences": "no"}, headers


def test_saving_shows_a_notification_at_the_top_of_main_with_a_way_back(
    client: FlaskClient,
) -> None:
    page = parse(client.get("/cookies?return_to=%2Ffeedback%3Fa%3D1").data)
    assert page.select_one("input[name=return_to]")["value"] == "/feedback?a=1"
    response = same_site(
        client, "/cookies", {"analytics": "yes", "preferences": "no", "return_to": "/feedback?a=1"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/cookies"
    main = parse(client.get("/cookies").data).select_one("main")
    first = main.find(["h1", "div"], recursive=True)
    assert "haven-cookie-settings__messages" in first["class"], "messages come first in main"
    status = first.select_one('[role="status"]')
    assert "saved" in status.get_text() and status.has_attr("autofocus")
    back = status.select_one("a")
    assert back.get_text() == "Go back to the page you were looking at"
    assert back["href"] == "/feedback?a=1"


@pytest.mark.parametrize(
    "value", ["//evil.example", "https://evil.example/", "/cookies", "/cookies?x=1"]
)
def test_no_way_back_off_the_site_or_to_the_cookies_page_itself(
    client: FlaskClient, value: str
) -> None:
    same_site(client, "/cookies", {"analytics": "no", "preferences": "no", "return_to": value})
    status = parse(client.get("/cookies").data).select_one('[role="status"]')
    assert status.select_one("a") is None


def test_the_error_summary_comes_first_in_main(client: FlaskClient) -> None:
    response = same_site(client, "/cookies", {"analytics": "yes"})
    assert response.status_code == 400
    main = parse(response.data).select_one("main")
    summary = main.select_one('[data-module="haven-error-summary"]')
    heading = main.select_one("h1")
    assert summary is not None and summary.sourceline < heading.sourceline


def test_the_receipt_shows_the_reference_and_the_choices(client: FlaskClient) -> None:
    same_site(client, "/cookies", {"analytics": "yes", "preferences": "no"})
    reference = consent_value(client).split(".")[4]
    receipt = parse(client.get("/cookies").data).select_one("[data-haven-receipt]")
    pairs = {
        " ".join(row.select_one("dt").get_text().split()): " ".join(
            row.select_one("dd").get_text().split()
        )
        for row in receipt.select("dl > div")
    }
    assert pairs["Reference"] == reference
    assert pairs["Analytics cookies"] == "On" and pairs["Preference cookies"] == "Off"
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}, \d\d:\d\d UTC", pairs["Saved on"])


def test_the_json_save_carries_the_new_receipt(client: FlaskClient) -> None:
    response = same_site(
        client,
        "/cookies",
        {"analytics": "no", "preferences": "yes"},
        headers={"Accept": "application/json"},
    )
    reference = consent_value(client).split(".")[4]
    receipt = parse(response.json["receipt"])
    assert reference in receipt.get_text()


# -- 3. the UK statistics and appearance exceptions --------------------------------------


@pytest.fixture
def exception_app(tmp_path: Path) -> Flask:
    return create_app(
        {"INSTANCE_PATH": tmp_path, "TESTING": True, "DEMO_STATISTICS_EXCEPTION": True}
    )


def test_an_exception_category_is_on_until_the_person_objects(exception_app: Flask) -> None:
    client = exception_app.test_client()
    home = client.get("/")
    # Python, Jinja (the page's attribute) and JS (which reads it) report it on.
    assert allowed_on(home) == ["analytics"]
    with exception_app.test_request_context("/"):
        assert consent.allows("analytics") and not consent.allows("preferences")
    page = parse(home.data)
    assert page.select_one('script[src$="demo-analytics.js"]') is not None, "runs at once"
    assert page.select_one('script[type="text/plain"][data-src$="demo-preferences.js"]')
    # The banner explains it, apart from what needs consent, and how to object.
    text = " ".join(banner_of(home.data).get_text(" ").split())
    assert "which UK law allows without asking first, unless you object" in text
    assert "Rejecting additional cookies turns all of these off." in text
    # GPC is an objection.
    assert allowed_on(client.get("/", headers={"Sec-GPC": "1"})) == []
    with exception_app.test_request_context("/", headers={"Sec-GPC": "1"}):
        assert not consent.allows("analytics")


def test_reject_on_the_banner_objects_in_one_action(exception_app: Flask) -> None:
    client = exception_app.test_client()
    client.set_cookie("demo_analytics", "1")
    response = same_site(client, "/_haven/consent", {"cookies": "reject"})
    assert any(h.startswith("demo_analytics=;") for h in set_cookies(response))
    assert allowed_on(client.get("/")) == []


def test_the_cookies_page_shows_yes_and_objects_in_one_action(exception_app: Flask) -> None:
    client = exception_app.test_client()
    page = parse(client.get("/cookies").data)
    checked = {r["name"]: r["value"] for r in page.select("input[type=radio][checked]")}
    assert checked == {"analytics": "yes", "preferences": "no"}
    button = page.select_one("button[name=object]")
    assert button.get_text() == "Object to analytics cookies"
    assert button["form"] == page.select_one("form.haven-cookie-settings__objection")["id"]
    assert "UK law lets us use these cookies" in page.get_text()
    under_gpc = parse(client.get("/cookies", headers={"Sec-GPC": "1"}).data)
    assert under_gpc.select_one("#haven-cookie-settings-analytics-no").has_attr("checked")
    # One press: objected, and nothing else changed.
    response = same_site(client, "/cookies", {"object": "analytics"})
    assert response.status_code == 303
    assert allowed_on(client.get("/")) == []
    after = parse(client.get("/cookies").data)
    assert after.select_one("button[name=object]") is None
    assert after.select_one("#haven-cookie-settings-analytics-no").has_attr("checked")
    # An objection to what is not an exception category records nothing.
    refused = same_site(client, "/cookies", {"object": "preferences"})
    assert refused.status_code == 400


def test_the_appearance_exception_is_explained_too(tmp_path: Path) -> None:
    policy = dataclasses.replace(
        DEMO_POLICY,
        categories=tuple(
            dataclasses.replace(c, exception="appearance") if c.name == "preferences" else c
            for c in DEMO_POLICY.categories
        ),
    )
    app = create_app({"INSTANCE_PATH": tmp_path, "TESTING": True, "HAVEN_CONSENT_POLICY": policy})
    text = parse(app.test_client().get("/cookies").data).get_text()
    assert "only to make the site look and work the way you chose" in text


@pytest.mark.parametrize(
    ("essential", "analytics", "message"),
    [
        ({}, {"exception": "marketing"}, "exception must be one of 'statistics', 'appearance'"),
        ({"exception": "statistics"}, {}, "needs no exception"),
    ],
)
def test_the_exception_is_checked(
    tmp_path: Path, essential: dict[str, str], analytics: dict[str, str], message: str
) -> None:
    data = {
        "version": "1",
        "categories": [
            {"name": "essential", "title": "E", "description": "d", **essential},
            {"name": "analytics", "title": "A", "description": "d", **analytics},
        ],
    }
    with pytest.raises(HavenConfigError, match=message):
        create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_POLICY": data})


# -- 4. remember refusals; a revision asks only about what is new or changed ------------


def revised(**changes: Any) -> Policy:
    """The demo policy at revision 2, with ``changes`` per category name."""
    categories = [
        dataclasses.replace(c, **changes[c.name]) if c.name in changes else c
        for c in DEMO_POLICY.categories
    ]
    if "added" in changes:
        categories.append(changes["added"])
    return dataclasses.replace(DEMO_POLICY, version="2", categories=tuple(categories))


def decide(choices: dict[str, bool], policy: Policy, *, reask: str = "changes") -> codec.Consent:
    value = codec.encode(
        codec.Consent(choices, "1", int(datetime.now(UTC).timestamp())), "k", DEMO_POLICY
    )
    decoded = codec.decode(value, policy, "k", max_age_seconds=86_400, reask=reask)
    assert decoded is not None
    return decoded


def test_a_revision_asks_only_about_new_purposes_and_changed_allowed_ones() -> None:
    mixed = {"analytics": True, "preferences": False}
    # Nothing changed but the revision: nothing to ask.
    assert decide(mixed, revised()).complete
    # A refused purpose changed: the refusal stands, nobody is asked again.
    same = decide(mixed, revised(preferences={"description": "Now also your font size."}))
    assert same.complete and same.choices == mixed
    # An allowed purpose changed: asked again, and off until answered.
    changed = decide(mixed, revised(analytics={"description": "Now also heat maps."}))
    assert changed.pending == ("analytics",) and not changed.allows("analytics")
    assert changed.choices == {"preferences": False}
    # A new purpose: asked about it; what stood still stands.
    added = revised(
        added=dataclasses.replace(DEMO_POLICY.categories[1], name="marketing", cookies=())
    )
    grown = decide(mixed, added)
    assert grown.pending == ("marketing",) and grown.choices == mixed
    # "revision" asks about everything again, but a refusal holds until then.
    strict = decide(mixed, revised(), reask="revision")
    assert set(strict.pending) == {"analytics", "preferences"} and strict.choices == {
        "preferences": False
    }


def test_a_refusal_is_remembered_across_a_revision(tmp_path: Path) -> None:
    first = create_app({"INSTANCE_PATH": tmp_path / "a", "TESTING": True, "SECRET_KEY": "k"})
    client = first.test_client()
    same_site(client, "/_haven/consent", {"cookies": "reject"})
    value = consent_value(client)
    for number, (policy, asks) in enumerate(
        (
            (revised(analytics={"description": "Also heat maps."}), False),  # refused: stands
            (
                revised(
                    added=dataclasses.replace(
                        DEMO_POLICY.categories[1], name="marketing", cookies=()
                    )
                ),
                True,
            ),
        )
    ):
        app = create_app(
            {
                "INSTANCE_PATH": tmp_path / str(number),
                "TESTING": True,
                "SECRET_KEY": "k",
                "HAVEN_CONSENT_POLICY": policy,
            }
        )
        other = app.test_client()
        other.set_cookie(COOKIE_NAME, value)
        page = other.get("/")
        assert (banner_of(page.data) is not None) is asks
        assert allowed_on(page) == []


def test_the_reask_setting_is_checked(tmp_path: Path) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_CONSENT_REASK"):
        create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_REASK": "sometimes"})


# -- 5. proof of consent, receipts, the export and withdrawing by reference ------------


def test_each_record_keeps_the_revision_and_the_digest_of_the_exact_text_shown(
    app: Flask, client: FlaskClient, welsh: FlaskClient
) -> None:
    shown = client.get("/").data.decode()
    same_site(client, "/_haven/consent", {"cookies": "accept", "notice_lang": "en"})
    same_site(welsh, "/_haven/consent", {"cookies": "reject", "notice_lang": "cy"})
    with app.app_context():
        english, cymraeg = sorted(
            log.iter_records(get_engine()), key=lambda r: r.choices["analytics"], reverse=True
        )
        notices = {n.digest: n for n in log.iter_notices(get_engine())}
    assert english.policy_version == "1" and english.source == "banner"
    assert (english.language, cymraeg.language) == ("en", "cy")
    # The digest is of the banner's visible text, exactly as the page showed it.
    question = parse(shown).select_one(".haven-cookie-banner__question")
    expected = hashlib.sha256(visible_text(str(question)).encode()).hexdigest()
    assert english.notice_digest == expected
    assert notices[expected].text.startswith("Cookies on Harrowdale Police We use some essential")
    assert notices[cymraeg.notice_digest].text.startswith("Cwcis ar wefan Heddlu Harrowdale")
    assert english.notice_digest != cymraeg.notice_digest


def test_the_cookies_page_records_its_own_text_and_the_objection(exception_app: Flask) -> None:
    client = exception_app.test_client()
    same_site(client, "/cookies", {"object": "analytics"})
    with exception_app.app_context():
        (record,) = log.iter_records(get_engine())
        notice = {n.digest: n for n in log.iter_notices(get_engine())}[record.notice_digest]
    assert record.source == "objection" and record.choices == {
        "analytics": False,
        "preferences": False,
    }
    assert notice.kind == "cookies-page" and "Object to analytics cookies" in notice.text
    assert "Your cookie record" not in notice.text, "nothing personal in the notice"


def seed_log(app: Flask) -> list[str]:
    client = app.test_client()
    references = []
    for action in ("accept", "reject"):
        client.delete_cookie(COOKIE_NAME)
        same_site(client, "/_haven/consent", {"cookies": action})
        references.append(consent_value(client).split(".")[4])
    return references


def test_export_consent_as_csv_and_json(app: Flask) -> None:
    references = seed_log(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["haven", "export-consent"])
    assert result.exit_code == 0, result.output
    # Both were saved within a second: order by reference to compare.
    rows = sorted(csv.DictReader(io.StringIO(result.output)), key=lambda r: r["reference"])
    accepted, rejected = references
    by_reference = {r["reference"]: r for r in rows}
    assert set(by_reference) == {accepted, rejected}
    assert (
        by_reference[accepted]["choice:analytics"],
        by_reference[accepted]["choice:preferences"],
    ) == ("yes", "yes")
    assert (
        by_reference[rejected]["choice:analytics"],
        by_reference[rejected]["choice:preferences"],
    ) == ("no", "no")
    assert all(len(r["notice_digest"]) == 64 and r["source"] == "banner" for r in rows)
    as_json = json.loads(runner.invoke(args=["haven", "export-consent", "--format", "json"]).output)
    assert {r["reference"]: r["choices"]["analytics"] for r in as_json} == {
        accepted: True,
        rejected: False,
    }
    later = runner.invoke(args=["haven", "export-consent", "--since", "2999-01-01"])
    assert later.output.count("\n") == 1  # the header alone
    texts = json.loads(
        runner.invoke(args=["haven", "export-consent", "--texts", "--format", "json"]).output
    )
    assert [t["kind"] for t in texts] == ["banner"]
    bad = runner.invoke(args=["haven", "export-consent", "--since", "soon"])
    assert bad.exit_code == 2 and "is not a date" in bad.output


def test_the_csv_neutralises_formulas_as_the_feedback_export_does() -> None:
    record = log.Record(
        id="=HYPERLINK(1)",
        created_at=datetime(2026, 11, 24, tzinfo=UTC),
        policy_version="-1",
        choices={"analytics": True, "old": False},
        notice_digest=None,
        language="\ufeff=cy",
        source="\uff1dcmd",
        withdrawn_at=None,
    )
    out = io.StringIO()
    write_records_csv([record], out, ["analytics"])
    row = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert row[0] == "'=HYPERLINK(1)" and row[2] == "'-1"
    assert row[4] == "'\ufeff=cy" and row[5] == "'\uff1dcmd"
    assert row[-2:] == ["yes", "old=no"]


def test_the_export_streams(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are written as they are read, never gathered first."""
    seed_log(app)
    seen: list[str] = []

    def watching(engine: Any, since: Any = None) -> Iterator[log.Record]:
        for record in original(engine, since):
            seen.append("read")
            yield record

    def write(records: Any, out: Any, categories: Any) -> int:
        count = 0
        for _ in records:
            seen.append("written")
            count += 1
        return count

    import flask_haven.consent.export as export_module

    original = log.iter_records
    monkeypatch.setattr(log, "iter_records", watching)
    monkeypatch.setattr(export_module, "write_records_csv", write)
    app.test_cli_runner().invoke(args=["haven", "export-consent"])
    assert seen == ["read", "written", "read", "written"]


def test_new_references_are_letters_and_digits() -> None:
    """A person reads their reference out or types it: no "-" or "_" in it."""
    references = {log.new_record_id() for _ in range(300)}
    assert len(references) == 300
    assert all(re.fullmatch(r"[A-Za-z0-9]{16}", reference) for reference in references)


def test_a_reference_beginning_with_a_dash_is_withdrawn_too(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Older references were URL-safe, and 1 in 64 began with "-": the command must not take it
    for an option (it answered "No such option" and withdrew nothing)."""
    monkeypatch.setattr(log, "new_record_id", lambda: "-Ab3_x9Kq2LmN8pQ")
    same_site(client, "/_haven/consent", {"cookies": "accept"})
    assert consent_value(client).split(".")[4] == "-Ab3_x9Kq2LmN8pQ"
    result = app.test_cli_runner().invoke(args=["haven", "withdraw-consent", "-Ab3_x9Kq2LmN8pQ"])
    assert result.exit_code == 0, result.output
    assert "withdrawn: -Ab3_x9Kq2LmN8pQ" in result.output
    with app.app_context():
        row = log.find("-Ab3_x9Kq2LmN8pQ")
        assert row is not None and row["withdrawn_at"] is not None


def test_withdrawing_by_reference(app: Flask, client: FlaskClient) -> None:
    same_site(client, "/_haven/consent", {"cookies": "accept"})
    reference = consent_value(client).split(".")[4]
    assert allowed_on(client.get("/")) == ["analytics", "preferences"]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["haven", "withdraw-consent", reference])
    assert result.exit_code == 0 and reference in result.output
    with app.app_context():
        row = log.find(reference)
        assert row is not None and row["withdrawn_at"] is not None
        app.extensions["haven"].consent.withdrawn.refresh(get_engine())
    response = client.get("/")
    assert allowed_on(response) == [] and banner_of(response.data) is None
    assert any(h.startswith("demo_analytics=;") for h in set_cookies(response)) is False
    page = parse(client.get("/cookies").data)
    assert "withdrawn at your request" in page.select_one("[data-haven-receipt]").get_text()
    assert page.select_one("#haven-cookie-settings-analytics-no").has_attr("checked")
    missing = runner.invoke(args=["haven", "withdraw-consent", "no-such-reference"])
    assert missing.exit_code == 1 and "no consent record" in missing.output


def test_reading_withdrawals_never_holds_up_a_page(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The set is refreshed in the background; a database fault keeps the last one."""
    withdrawn = app.extensions["haven"].consent.withdrawn
    same_site(client, "/_haven/consent", {"cookies": "accept"})
    with app.app_context():
        log.withdraw(consent_value(client).split(".")[4])
    client.get("/")  # starts one background refresh, and does not wait for it
    for _ in range(300):
        if withdrawn._references and not withdrawn._refreshing:
            break
        time.sleep(0.01)
    assert allowed_on(client.get("/")) == []

    def down() -> Any:
        raise RuntimeError("database is down")

    monkeypatch.setattr(log, "get_engine", down)
    known = withdrawn._references
    withdrawn._loaded_at = float("-inf")
    withdrawn._refreshing = True
    withdrawn._refresh_in(app)  # what the background thread runs: logs, never raises
    assert withdrawn._references == known and not withdrawn._refreshing


# -- issue 17 item 7, issue 19 item 7: paths, domains, and a shared consent cookie -------


@pytest.fixture
def placed_app(tmp_path: Path) -> Flask:
    """The demo with its analytics cookie declared on two paths and the parent
    domain, and the consent cookie shared across ``example.org``."""
    data: dict[str, Any] = json.loads(json.dumps(_policy_data()))
    data["categories"][1]["cookies"][0].update({"paths": ["/", "/news"], "domain": "example.org"})
    return create_app(
        {
            "INSTANCE_PATH": tmp_path,
            "TESTING": True,
            "HAVEN_CONSENT_POLICY": data,
            "HAVEN_CONSENT_COOKIE_DOMAIN": "example.org",
        }
    )


def _policy_data() -> dict[str, Any]:
    import yaml

    loaded: dict[str, Any] = yaml.safe_load(Path("demo_app/cookie_policy.yaml").read_text())
    return loaded


def deletions(response: Any, name: str) -> set[tuple[str, str]]:
    """(path, domain) of each expiring Set-Cookie for ``name``."""
    found = set()
    for header in set_cookies(response):
        if header.startswith(f"{name}=;"):
            attrs = dict(
                part.strip().split("=", 1) for part in header.split(";")[1:] if "=" in part
            )
            found.add((attrs.get("Path", ""), attrs.get("Domain", "")))
    return found


def test_a_refusal_clears_every_declared_path_and_domain_without_javascript(
    placed_app: Flask,
) -> None:
    client = placed_app.test_client()
    response = same_site(
        client, "/_haven/consent", {"cookies": "reject"}, base_url="http://www.example.org"
    )
    assert deletions(response, "demo_analytics") == {
        ("/", ""),
        ("/news", ""),
        ("/", "example.org"),
        ("/news", "example.org"),
    }
    # The JSON answer gives the browser script the same places.
    answer = same_site(
        client,
        "/_haven/consent",
        {"cookies": "reject"},
        base_url="http://www.example.org",
        headers={"Accept": "application/json"},
    )
    assert answer.json["clear"][0] == {
        "name": "demo_analytics",
        "paths": ["/", "/news"],
        "domains": ["example.org"],
    }


def test_later_pages_clear_what_the_request_still_carries(placed_app: Flask) -> None:
    client = placed_app.test_client()
    same_site(client, "/_haven/consent", {"cookies": "reject"}, base_url="http://www.example.org")
    client.set_cookie("demo_analytics", "1", domain="example.org", origin_only=False)
    page = client.get("/feedback", base_url="http://www.example.org")
    assert ("/news", "example.org") in deletions(page, "demo_analytics")


def test_the_consent_cookie_is_shared_across_subdomains(placed_app: Flask) -> None:
    client = placed_app.test_client()
    response = same_site(
        client, "/_haven/consent", {"cookies": "accept"}, base_url="http://www.example.org"
    )
    header = next(h for h in set_cookies(response) if h.startswith(COOKIE_NAME + "="))
    assert "Domain=example.org" in header
    # Another subdomain reads the same choice.
    other = client.get("/", base_url="http://help.example.org")
    assert allowed_on(other) == ["analytics", "preferences"] and banner_of(other.data) is None
    # A host outside the domain gets a cookie of its own (a browser would refuse the Domain).
    elsewhere = placed_app.test_client()
    answer = same_site(
        elsewhere, "/_haven/consent", {"cookies": "accept"}, base_url="http://localhost"
    )
    own = next(h for h in set_cookies(answer) if h.startswith(COOKIE_NAME + "="))
    assert "Domain=" not in own


def test_an_unreadable_shared_consent_cookie_is_cleared_on_the_domain(placed_app: Flask) -> None:
    client = placed_app.test_client()
    client.set_cookie(COOKIE_NAME, "junk", domain="example.org", origin_only=False)
    response = client.get("/", base_url="http://www.example.org")
    assert deletions(response, COOKIE_NAME) == {("/", ""), ("/", "example.org")}


@pytest.mark.parametrize(
    ("cookie", "message"),
    [
        ({"paths": ["news"]}, "must start with '/'"),
        ({"path": "/a;b"}, "must start with '/'"),
        ({"domain": ".example.org"}, "no leading dot"),
        ({"domains": ["example.org:8000"]}, "no leading dot"),
        ({"domains": ["Example.org"]}, "lower-case"),
    ],
)
def test_cookie_paths_and_domains_are_checked(
    tmp_path: Path, cookie: dict[str, Any], message: str
) -> None:
    data = _policy_data()
    data["categories"][1]["cookies"][0].update(cookie)
    with pytest.raises(HavenConfigError, match=re.escape(message)):
        create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_POLICY": data})


@pytest.mark.parametrize("value", ["localhost", "https://example.org", "example.org/x", 7, "a..b"])
def test_the_cookie_domain_setting_is_checked(tmp_path: Path, value: Any) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_CONSENT_COOKIE_DOMAIN"):
        create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_COOKIE_DOMAIN": value})


# -- 6. Google Consent Mode v2 -------------------------------------------------------------


def test_the_consent_mode_map_reaches_the_page_only_when_set(tmp_path: Path) -> None:
    plain = create_app({"INSTANCE_PATH": tmp_path / "a", "TESTING": True}).test_client()
    page = parse(plain.get("/").data)
    assert not page.html.has_attr("data-haven-consent-mode")
    assert page.select_one('script[src$="consent-mode.js"]') is None
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "b",
            "TESTING": True,
            "HAVEN_CONSENT_GOOGLE_CONSENT_MODE": {
                "analytics": ["analytics_storage"],
                "preferences": ["ad_storage", "ad_user_data", "ad_personalization"],
            },
        }
    )
    page = parse(app.test_client().get("/").data)
    assert json.loads(page.html["data-haven-consent-mode"]) == {
        "ad_personalization": ["preferences"],
        "ad_storage": ["preferences"],
        "ad_user_data": ["preferences"],
        "analytics_storage": ["analytics"],
    }
    scripts = [s["src"] for s in page.select("head script[src]")]
    # Right after the bundle, whose haven.consent it uses; no inline script.
    assert "/dist/haven." in scripts[0] and scripts[1] == "/_haven/static/consent-mode.js"
    with app.test_client().get("/_haven/static/consent-mode.js") as bridge:
        assert bridge.status_code == 200


@pytest.mark.parametrize(
    "value",
    [
        {"marketing": ["ad_storage"]},
        {"analytics": ["analytics"]},
        {"analytics": "analytics_storage"},
        {},
        ["analytics_storage"],
    ],
)
def test_the_consent_mode_map_is_checked(tmp_path: Path, value: Any) -> None:
    with pytest.raises(HavenConfigError, match="HAVEN_CONSENT_GOOGLE_CONSENT_MODE"):
        create_app({"INSTANCE_PATH": tmp_path, "HAVEN_CONSENT_GOOGLE_CONSENT_MODE": value})


def test_the_demo_variant_policy() -> None:
    policy = statistics_policy()
    assert policy.exception_names == ("analytics",)
    assert policy.is_cookie_allowed_before_choice("demo_analytics")
    assert not policy.is_cookie_allowed_before_choice("demo_preferences")
    assert policy.digests["analytics"] != DEMO_POLICY.digests["analytics"]
