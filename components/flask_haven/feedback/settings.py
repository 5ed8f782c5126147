"""The feedback settings' own types: questions, options and the rate limit.

:func:`flask_haven.settings.parse_settings` calls :func:`parse_questions` and
:func:`parse_rate_limit` once, at start-up, so a typo in a question or a rate
limit fails the deployment rather than the person trying to send feedback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..config import HavenConfigError
from ..i18n import LocalText, check_locale, gettext, localize

PHASES = ("alpha", "beta")

# Generous but finite: every field has a size limit, configured ones included.
MAX_QUESTIONS = 10
MAX_OPTIONS = 12
MAX_QUESTION_TEXT = 200
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Names the form itself uses; a question may not shadow them.
RESERVED_NAMES = frozenset({"feedback", "return_to", "csrf_token", "website"})

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour)\s*$")
_WINDOWS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


@dataclass(frozen=True)
class Option:
    """One answer to a question: the stored ``value`` and the ``text`` people see."""

    value: str
    text: LocalText


@dataclass(frozen=True)
class Question:
    """An optional question shown as radios under the feedback text.

    ``name`` is the form field and the key in the stored answers; the first
    radio's id is ``name`` too, so an error summary link ``#name`` lands on it.
    """

    name: str
    legend: LocalText
    options: tuple[Option, ...]
    hint: LocalText = ""
    required: bool = False
    error: LocalText = ""

    @property
    def error_message(self) -> str:
        """What the error summary and the inline message say when unanswered."""
        if self.error:
            return localize(self.error)
        return gettext("Select an answer for: %(question)s", question=localize(self.legend))


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` posts per client in any ``window`` seconds."""

    limit: int
    window: float


def parse_rate_limit(value: object, key: str = "HAVEN_FEEDBACK_RATE_LIMIT") -> RateLimit | None:
    """``"20/minute"`` -> ``RateLimit(20, 60.0)``; ``None`` -> ``None`` (no limit).

    ``key`` names the setting in the error message.
    """
    if value is None:
        return None
    match = _RATE.match(value) if isinstance(value, str) else None
    if not match or int(match.group(1)) < 1:
        raise HavenConfigError(
            f"{key} must look like '20/minute' (a positive number per "
            f"second, minute or hour) or be None; got {value!r}."
        )
    return RateLimit(int(match.group(1)), _WINDOWS[match.group(2)])


def _text(question: Mapping[str, Any], key: str, *, required: bool) -> str:
    value = question.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise HavenConfigError(f"HAVEN_FEEDBACK_QUESTIONS: {key!r} must be a non-empty string.")
    if len(value) > MAX_QUESTION_TEXT:
        raise HavenConfigError(
            f"HAVEN_FEEDBACK_QUESTIONS: {key!r} is longer than {MAX_QUESTION_TEXT} characters."
        )
    return value


def _local_text(question: Mapping[str, Any], key: str, *, required: bool) -> LocalText:
    """A text people read: a string, or one string per language (``{"en": ..., "cy": ...}``)."""
    value = question.get(key, "")
    if not isinstance(value, Mapping):
        return _text(question, key, required=required)
    if not value:
        raise HavenConfigError(f"HAVEN_FEEDBACK_QUESTIONS: {key!r} has no languages.")
    for language in value:
        check_locale(language, f"HAVEN_FEEDBACK_QUESTIONS {key!r}")
        _text(value, language, required=required)
    return dict(value)


def parse_question(raw: object) -> Question:
    """Check one entry of ``HAVEN_FEEDBACK_QUESTIONS`` and make it a :class:`Question`."""
    if isinstance(raw, Question):
        return raw
    if not isinstance(raw, Mapping):
        raise HavenConfigError(f"HAVEN_FEEDBACK_QUESTIONS entries must be dicts; got {raw!r}.")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name) or name in RESERVED_NAMES:
        raise HavenConfigError(
            "HAVEN_FEEDBACK_QUESTIONS: each 'name' must be lower-case letters, digits or _ "
            f"(and not one of {sorted(RESERVED_NAMES)}); got {name!r}."
        )
    raw_options = raw.get("options")
    if not isinstance(raw_options, list | tuple) or not 2 <= len(raw_options) <= MAX_OPTIONS:
        raise HavenConfigError(
            f"HAVEN_FEEDBACK_QUESTIONS: {name!r} needs 2 to {MAX_OPTIONS} options."
        )
    options = []
    for option in raw_options:
        if isinstance(option, str):
            option = {"value": option, "text": option}
        if not isinstance(option, Mapping):
            raise HavenConfigError(f"HAVEN_FEEDBACK_QUESTIONS: bad option {option!r}.")
        options.append(
            Option(
                _text(option, "value", required=True), _local_text(option, "text", required=True)
            )
        )
    if len({o.value for o in options}) != len(options):
        raise HavenConfigError(f"HAVEN_FEEDBACK_QUESTIONS: {name!r} repeats an option value.")
    return Question(
        name=name,
        legend=_local_text(raw, "legend", required=True),
        options=tuple(options),
        hint=_local_text(raw, "hint", required=False),
        required=bool(raw.get("required", False)),
        error=_local_text(raw, "error", required=False),
    )


def parse_questions(value: object) -> tuple[Question, ...]:
    """All of ``HAVEN_FEEDBACK_QUESTIONS``, checked."""
    if not isinstance(value, list | tuple):
        raise HavenConfigError("HAVEN_FEEDBACK_QUESTIONS must be a list of dicts.")
    if len(value) > MAX_QUESTIONS:
        raise HavenConfigError(f"HAVEN_FEEDBACK_QUESTIONS: at most {MAX_QUESTIONS} questions.")
    questions = tuple(parse_question(q) for q in value)
    if len({q.name for q in questions}) != len(questions):
        raise HavenConfigError("HAVEN_FEEDBACK_QUESTIONS: question names must be unique.")
    return questions
