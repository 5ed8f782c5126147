"""Checking a feedback post: what a person typed, their answers and the return path.

Pure functions (no Flask), so the rules are unit- and property-tested alone.
Nothing that fails a check is stored; the views re-show it, escaped, so the
person can fix it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..i18n import N_, format_number, gettext, localize
from ..paths import safe_return_path
from .settings import Question

TEXT_FIELD = "feedback"
RETURN_FIELD = "return_to"
HONEYPOT_FIELD = "website"

MAX_RETURN_TO = 512
# What a re-rendered form echoes back at most: enough to fix an over-long text,
# never an unbounded amount of someone else's data in our HTML.
MAX_ECHO = 20_000

# Newline and tab are what people type; every other control character (C0, DEL,
# C1) is either a paste accident or an attack on whoever reads the export.
_ALLOWED_CONTROLS = frozenset("\n\t")
# U+FFFD is what a browser or our parser puts where bytes were not valid UTF-8.
_REPLACEMENT = "\ufffd"

# Translated when used (gettext works without Flask too, in English).
MESSAGES = {
    "empty": N_("Enter your feedback"),
    "too_long": N_("Your feedback must be %(max_length)s characters or fewer"),
    # The form shows each refused character as U+FFFD, so the person can find it.
    "bad_characters": N_(
        "Your feedback contains characters we cannot accept (shown as %(mark)s). "
        "Delete them and try again"
    ),
    "bad_answer": N_("Select one of the answers for: %(question)s"),
}


def _message(key: str, **variables: str) -> str:
    """The message ``MESSAGES[key]`` in the current language."""
    message = MESSAGES[key]
    return gettext(message, **variables)


@dataclass
class Submission:
    """The checked form: ``errors`` maps a field name to its message (in page order)."""

    text: str
    answers: dict[str, str]
    return_to: str | None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        """True when nothing needs fixing."""
        return not self.errors


def normalise_newlines(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; count and store them as one."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def has_bad_characters(text: str) -> bool:
    """True for control characters (except newline and tab), surrogates,
    noncharacters and U+FFFD (the mark of bytes that were not valid UTF-8)."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in _ALLOWED_CONTROLS:
            return True
        if category == "Cs" or char == _REPLACEMENT:
            return True
        code = ord(char)
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            return True
    return False


def safe_echo(text: str) -> str:
    """What may be put back into the form: bounded, and free of characters that
    are not valid in HTML (the template escapes the rest)."""
    text = text[:MAX_ECHO]
    if not has_bad_characters(text):
        return text
    return "".join(_REPLACEMENT if has_bad_characters(char) else char for char in text)


def validate_submission(
    form: Mapping[str, str], questions: Sequence[Question], max_length: int
) -> Submission:
    """Check a posted form (a field name -> first value mapping)."""
    raw_text = form.get(TEXT_FIELD, "")
    text = normalise_newlines(raw_text if isinstance(raw_text, str) else "")
    errors: dict[str, str] = {}
    if has_bad_characters(text):
        errors[TEXT_FIELD] = _message("bad_characters", mark=_REPLACEMENT)
    elif not text.strip():
        errors[TEXT_FIELD] = _message("empty")
    elif len(text) > max_length:
        errors[TEXT_FIELD] = _message("too_long", max_length=format_number(max_length))

    answers: dict[str, str] = {}
    for question in questions:
        value = form.get(question.name, "")
        allowed = {option.value for option in question.options}
        if value in allowed:
            answers[question.name] = value
        elif value:
            errors[question.name] = _message("bad_answer", question=localize(question.legend))
        elif question.required:
            errors[question.name] = question.error_message

    return Submission(
        text=text if not errors else safe_echo(text),
        answers=answers,
        return_to=safe_return_path(
            form.get(RETURN_FIELD), keep_query=False, max_length=MAX_RETURN_TO
        ),
        errors=errors,
    )
