"""The consent cookie: a compact, signed, versioned record of one person's choice.

A value looks like ``1.3.1764000000.analytics.-.<signature>``:

====================  ======================================================
``1``                 format version (anything else is "no consent")
``3``                 policy version the choice was made under
``1764000000``        when it was made (Unix seconds)
``analytics``         allowed optional categories, joined by ``~`` (``-``: none)
``-``                 consent log record id, or ``-`` when the log is off
signature             HMAC of all that with the app's ``SECRET_KEY``
====================  ======================================================

It is readable by the page's JavaScript (``haven.consent.allows``), which only
needs the fourth field. :func:`decode` is strict: a value that is oversized,
unsigned, tampered, truncated, from another format or policy version, or too
old is "no consent yet", never an error and never a false "yes".
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, Signer

from .policy import Policy

COOKIE_NAME = "haven_consent"
FORMAT_VERSION = "1"
# Far above a real value (about 80 bytes), far below what a header can carry.
MAX_LENGTH = 512
# A clock a little ahead on another server must not void fresh consent.
CLOCK_SKEW_SECONDS = 300
_SALT = "flask-haven.consent"
_RECORD_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_DIGITS = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True)
class Consent:
    """A valid choice: each optional category allowed or not, and when."""

    choices: dict[str, bool]
    policy_version: str
    given_at: int
    record_id: str | None = None

    def allows(self, category: str) -> bool:
        """True if ``category`` was allowed (unknown categories are not)."""
        return self.choices.get(category, False)


def _signer(secret_key: str | bytes) -> Signer:
    return Signer(secret_key, salt=_SALT)


def encode(consent: Consent, secret_key: str | bytes) -> str:
    """The signed cookie value for ``consent``."""
    allowed = "~".join(name for name, yes in consent.choices.items() if yes) or "-"
    payload = ".".join(
        (
            FORMAT_VERSION,
            consent.policy_version,
            str(int(consent.given_at)),
            allowed,
            consent.record_id or "-",
        )
    )
    return _signer(secret_key).sign(payload).decode("ascii")


def decode(
    value: object,
    policy: Policy,
    secret_key: str | bytes,
    *,
    max_age_seconds: int,
    now: float | None = None,
) -> Consent | None:
    """The :class:`Consent` in a cookie value, or ``None`` if it does not count."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return None
    if not value.isascii():
        return None
    try:
        payload = _signer(secret_key).unsign(value).decode("ascii")
    except (BadSignature, UnicodeDecodeError, ValueError):
        return None
    parts = payload.split(".")
    if len(parts) != 5:
        return None
    fmt, policy_version, given_at, allowed, record_id = parts
    if fmt != FORMAT_VERSION or policy_version != policy.version:
        return None
    if not _DIGITS.match(given_at):
        return None
    moment = int(given_at)
    current = time.time() if now is None else now
    if moment > current + CLOCK_SKEW_SECONDS or current - moment > max_age_seconds:
        return None
    optional = policy.optional_names
    names = [] if allowed == "-" else allowed.split("~")
    if len(set(names)) != len(names) or not set(names) <= set(optional):
        return None
    if record_id != "-" and not _RECORD_ID.match(record_id):
        return None
    return Consent(
        choices={name: name in names for name in optional},
        policy_version=policy_version,
        given_at=moment,
        record_id=None if record_id == "-" else record_id,
    )
