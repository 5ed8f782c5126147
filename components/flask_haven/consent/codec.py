"""The consent cookie: a compact, signed record of one person's choice.

A value looks like ``2.3.1764000000.analytics:1:7d787116~preferences:0:93060cfd.-.<signature>``:

========================  ==================================================
``2``                     format version (anything else is "no consent")
``3``                     policy revision the choice was made under
``1764000000``            when it was made (Unix seconds)
``analytics:1:7d787116``  each decided category, ``1`` allowed or ``0`` refused,
                          with the digest of what the person was told about
                          it (:attr:`~flask_haven.consent.Category.digest`),
                          joined by ``~``
``-``                     consent log record id, or ``-`` when the log is off
signature                 HMAC of all that with the app's ``SECRET_KEY``
========================  ==================================================

The page's JavaScript never reads it: the server writes what it allows into
the page (``data-haven-consent``). :func:`decode` is strict: a value that is
oversized, unsigned, tampered, truncated, of another format, or too old is "no
consent yet", never an error and never a false "yes".

A readable value from an older policy revision still counts for what has not
changed since (``HAVEN_CONSENT_REASK = "changes"``): a refusal stands, an
allowed purpose that is unchanged stays allowed, and only a new purpose, or a
changed one the person had allowed, is asked about again (:attr:`Consent.pending`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, Signer

from .policy import Policy

COOKIE_NAME = "haven_consent"
FORMAT_VERSION = "2"
# Far above a real value (about 120 bytes for three categories, 16 at most
# at about 45 bytes each), far below what a header can carry.
MAX_LENGTH = 1024
# A clock a little ahead on another server must not void fresh consent.
CLOCK_SKEW_SECONDS = 300
_SALT = "flask-haven.consent"
_RECORD_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_DIGITS = re.compile(r"^[0-9]{1,12}$")
_DECISION = re.compile(r"^([a-z][a-z0-9_]{0,31}):([01]):([0-9a-f]{8})$")
_VERSION = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

# How a later policy revision treats a choice (HAVEN_CONSENT_REASK).
REASK_CHANGES = "changes"
REASK_REVISION = "revision"
REASK_MODES = (REASK_CHANGES, REASK_REVISION)


@dataclass(frozen=True)
class Consent:
    """A readable choice: what stands for each optional category, and when.

    ``choices`` holds what stands now; ``pending`` names the categories the
    person must be asked about again (new, or changed since they allowed
    them). A refusal in ``choices`` stands even while its category is pending.
    ``digests`` are those the choice was made against (empty for a choice
    built in code: :func:`encode` then uses the policy's).
    """

    choices: dict[str, bool]
    policy_version: str
    given_at: int
    record_id: str | None = None
    pending: tuple[str, ...] = ()
    digests: tuple[tuple[str, str], ...] = ()

    def allows(self, category: str) -> bool:
        """True if ``category`` was allowed (unknown or pending categories are not)."""
        return self.choices.get(category, False)

    @property
    def complete(self) -> bool:
        """True when nothing is pending: the person has answered the current policy."""
        return not self.pending


def _signer(secret_key: str | bytes) -> Signer:
    return Signer(secret_key, salt=_SALT)


def encode(consent: Consent, secret_key: str | bytes, policy: Policy) -> str:
    """The signed cookie value for ``consent``, decided against ``policy``."""
    digests = dict(consent.digests) or policy.digests
    decisions = "~".join(
        f"{name}:{1 if consent.choices[name] else 0}:{digests[name]}"
        for name in policy.optional_names
        if name in consent.choices and name in digests
    )
    payload = ".".join(
        (
            FORMAT_VERSION,
            consent.policy_version,
            str(int(consent.given_at)),
            decisions or "-",
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
    reask: str = REASK_CHANGES,
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
    fmt, policy_version, given_at, decided, record_id = parts
    if fmt != FORMAT_VERSION or not _VERSION.match(policy_version):
        return None
    if not _DIGITS.match(given_at):
        return None
    moment = int(given_at)
    current = time.time() if now is None else now
    if moment > current + CLOCK_SKEW_SECONDS or current - moment > max_age_seconds:
        return None
    if record_id != "-" and not _RECORD_ID.match(record_id):
        return None
    recorded: dict[str, tuple[bool, str]] = {}
    for item in [] if decided == "-" else decided.split("~"):
        match = _DECISION.match(item)
        if match is None or match[1] in recorded:
            return None
        recorded[match[1]] = (match[2] == "1", match[3])
    choices, pending = _standing(recorded, policy, policy_version, reask)
    return Consent(
        choices=choices,
        policy_version=policy_version,
        given_at=moment,
        record_id=None if record_id == "-" else record_id,
        pending=pending,
        digests=tuple((name, digest) for name, (_, digest) in recorded.items()),
    )


def _standing(
    recorded: dict[str, tuple[bool, str]], policy: Policy, version: str, reask: str
) -> tuple[dict[str, bool], tuple[str, ...]]:
    """What still stands of ``recorded`` under ``policy``, and what to ask again.

    A refusal always stands (asking again after a "no" is what the rules
    discourage). An allowed purpose stands while what the person was told about
    it is unchanged; under ``"revision"`` any new policy revision asks again
    about everything (but refusals still hold until the person answers).
    """
    choices: dict[str, bool] = {}
    pending: list[str] = []
    everything_again = reask == REASK_REVISION and version != policy.version
    for category in policy.optional:
        decision = recorded.get(category.name)
        if decision is None:
            pending.append(category.name)
            continue
        allowed, digest = decision
        if not allowed:
            choices[category.name] = False
            if everything_again:
                pending.append(category.name)
        elif digest == category.digest and not everything_again:
            choices[category.name] = True
        else:
            pending.append(category.name)
    return choices, tuple(pending)
