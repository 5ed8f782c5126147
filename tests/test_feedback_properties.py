"""Property tests: random and hostile posts never 500 and never store what failed checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo_app import DEMO_FEEDBACK_SETTINGS, create_app
from flask_haven.feedback import has_bad_characters, validate_submission
from flask_haven.feedback.settings import parse_questions
from flask_haven.feedback.validation import MAX_RETURN_TO
from flask_haven.paths import safe_return_path

from .conftest import assert_no_inline_code, parse
from .feedback_helpers import stored

QUESTIONS = parse_questions(DEMO_FEEDBACK_SETTINGS["HAVEN_FEEDBACK_QUESTIONS"])
MAX = 1200

XSS = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</textarea><script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "<svg/onload=alert(1)>",
        "{{ config }}",
        "{% raw %}",
        "=cmd|' /C calc'!A0",
        "\u202eevil",
    ]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=1300),
    XSS,
    st.builds(lambda a, b: a + b, st.text(max_size=20), XSS),
    st.text(alphabet="\x00\x01\x1b\x7f\x85\ufffd\r\n\t a", max_size=30),
    st.just("x" * (MAX + 1)),
)
FIELD = st.one_of(st.none(), TEXT, st.sampled_from(["satisfied", "neither", "/news", "//evil"]))


def hostile_form() -> st.SearchStrategy[dict[str, Any]]:
    """Mostly well-formed posts (so plenty get stored), with hostile values mixed in."""
    return st.fixed_dictionaries(
        {
            "feedback": TEXT,
            "csrf_token": st.sampled_from(["VALID", "VALID", "VALID", "forged", ""]),
        },
        optional={
            "satisfaction": FIELD,
            "return_to": FIELD,
            "website": st.sampled_from(["", "", "", "http://spam.example"]),
            "extra": TEXT,
        },
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=hostile_form())
def test_validation_never_accepts_bad_text(form: dict[str, Any]) -> None:
    clean = {k: v for k, v in form.items() if isinstance(v, str)}
    result = validate_submission(clean, QUESTIONS, MAX)
    if result.is_valid:
        assert result.text.strip() and len(result.text) <= MAX
        assert not has_bad_characters(result.text) and "\r" not in result.text
        assert set(result.answers) <= {"satisfaction"}
    assert result.return_to is None or (
        result.return_to.startswith("/") and not result.return_to.startswith("//")
    )


@settings(max_examples=150, deadline=None)
@given(value=st.one_of(st.text(max_size=60), st.from_regex(r"\A[/\\a-z:.?#%]{0,20}\Z")))
def test_return_to_is_always_a_same_site_path_or_none(value: str) -> None:
    cleaned = safe_return_path(value, keep_query=False, max_length=MAX_RETURN_TO)
    if cleaned is not None:
        assert cleaned.startswith("/") and not cleaned.startswith("//")
        assert "\\" not in cleaned and "?" not in cleaned and "#" not in cleaned
        assert not any(c.isspace() for c in cleaned)


def test_hostile_posts_never_500_and_only_valid_ones_are_stored(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_FEEDBACK_RATE_LIMIT": None}
    )
    client = app.test_client()
    page = parse(client.get("/feedback").data)
    token = page.select_one('input[name="csrf_token"]')["value"]
    expected: list[str] = []

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(form=hostile_form())
    def post(form: dict[str, Any]) -> None:
        data = {k: v for k, v in form.items() if v is not None}
        if data.get("csrf_token") == "VALID":
            data["csrf_token"] = token
        response = client.post("/feedback", data=data)
        assert response.status_code in (303, 400, 413), response.status_code
        assert b"Traceback" not in response.data
        page = parse(response.data)
        # Whatever was posted, the page has no script or handler we did not write.
        assert_no_inline_code(page)
        if response.status_code == 400:
            textarea = page.select_one("#feedback")
            assert textarea is not None and textarea.find(True) is None  # text only, no tags
        clean = {k: v for k, v in data.items() if isinstance(v, str)}
        check = validate_submission(clean, QUESTIONS, MAX)
        if (
            response.status_code == 303
            and check.is_valid
            and data.get("csrf_token") == token
            and not data.get("website")
        ):
            expected.append(check.text)

    post()
    texts = [item.text for item in stored(app)]
    assert texts == expected
    for text in texts:
        assert not has_bad_characters(text) and 0 < len(text) <= MAX


def test_xss_is_stored_as_text_and_rendered_escaped(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_FEEDBACK_RATE_LIMIT": None}
    )
    client = app.test_client()
    token = parse(client.get("/feedback").data).select_one('input[name="csrf_token"]')["value"]
    accepted: list[str] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(payload=st.builds(lambda a, b: a + b, XSS, st.text(max_size=10)))
    def check(payload: str) -> None:
        expected = payload.replace("\r\n", "\n").replace("\r", "\n")
        # Over the limit, so the page echoes it back into the text box.
        echoed = client.post(
            "/feedback", data={"csrf_token": token, "feedback": payload + "x" * MAX}
        )
        assert echoed.status_code == 400
        page = parse(echoed.data)
        textarea = page.select_one("#feedback")
        assert textarea.find(True) is None
        if not has_bad_characters(expected):
            assert textarea.get_text() == expected + "x" * MAX
        assert_no_inline_code(page)
        response = client.post("/feedback", data={"csrf_token": token, "feedback": payload})
        if response.status_code == 303:
            accepted.append(expected)

    check()
    assert [item.text for item in stored(app)] == accepted
