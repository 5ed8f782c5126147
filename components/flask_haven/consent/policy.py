"""The cookie policy: the one description of a site's cookies.

The banner text, the cookies page table, the consent cookie and the clearing
of rejected cookies all come from a :class:`Policy`. Describe it in Python::

    Policy(
        version="1",
        categories=(
            Category("essential", "Essential cookies", "Needed for the site to work.",
                     cookies=(CookieInfo("haven_consent", "Remembers your cookie choices",
                                         "1 year"),)),
            Category("analytics", "Analytics cookies", "Tell us how the site is used.",
                     cookies=(CookieInfo("_ga*", "Google Analytics", "2 years",
                                         party="third"),)),
        ),
    )

or as a dict / YAML file with the same fields (:func:`load_policy`). Each text
(title, description, purpose, expiry) is a string, or one string per language
(``{"en": "Analytics cookies", "cy": "Cwcis dadansoddi"}``) for a site in
several languages. A policy
is checked when the app starts: a mistake fails the deployment, not a visitor.

Each optional category has a :attr:`~Category.digest` of everything a person is
told about it. A consent cookie keeps the digest of each purpose the person
decided on, so a later revision of the policy can tell which purposes are new
or changed (``HAVEN_CONSENT_REASK``, docs/cookies.md).
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ..config import HavenConfigError
from ..i18n import LocalText, is_blank_text

ESSENTIAL = "essential"
# Category names travel in the consent cookie, separated by "~" and ".", so
# they are kept to characters that need no escaping anywhere.
_CATEGORY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_VERSION = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_COOKIE_NAME = re.compile(r"^[A-Za-z0-9_\-.*!#$%&'+^`|]{1,128}$")
# A cookie's Path and Domain go into Set-Cookie headers and document.cookie
# as they are: no separators, spaces or control characters.
_COOKIE_PATH = re.compile(r"^/[A-Za-z0-9._~!$&'()*+=:@%/-]{0,255}$")
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_COOKIE_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)*{_LABEL}$")
PARTIES = ("first", "third")
# The two UK exceptions a category may rely on instead of consent (PECR
# Schedule A1, inserted by the Data (Use and Access) Act 2025; docs/cookies.md).
EXCEPTIONS = ("statistics", "appearance")
# Cookie values carry a digest per decided category; this many keeps a
# consent cookie small however many categories a policy has.
MAX_OPTIONAL_CATEGORIES = 16


@dataclass(frozen=True)
class CookieInfo:
    """One cookie (or a family of cookies, with ``*`` in the name) a site sets.

    ``expiry`` is shown as written ("1 year", "When you close the browser").

    ``paths`` and ``domains`` say where the cookie may be set, so refusing its
    category deletes it everywhere: a cookie is only deleted with the path
    and domain it was set with. ``paths`` defaults to ``("/",)``; ``domains``
    lists parent domains (``"example.org"``) besides this host, which is
    always cleared.
    """

    name: str
    purpose: LocalText
    expiry: LocalText
    party: str = "first"
    paths: tuple[str, ...] = ("/",)
    domains: tuple[str, ...] = ()

    @property
    def is_pattern(self) -> bool:
        """True when ``name`` is a pattern such as ``_ga*``."""
        return "*" in self.name

    def matches(self, cookie_name: str) -> bool:
        """True if a cookie called ``cookie_name`` is covered by this entry."""
        if self.is_pattern:
            return fnmatch.fnmatchcase(cookie_name, self.name)
        return cookie_name == self.name


@dataclass(frozen=True)
class Category:
    """A group of cookies a person allows or refuses as one.

    ``exception`` marks an optional category that relies on one of the UK's
    exceptions to consent instead (``"statistics"`` or ``"appearance"``): it is
    on until the person objects (or their browser sends Global Privacy
    Control), and the banner and cookies page say so and offer the objection.
    """

    name: str
    title: LocalText
    description: LocalText
    cookies: tuple[CookieInfo, ...] = ()
    exception: str | None = None

    @property
    def essential(self) -> bool:
        """Essential cookies are always on: the site cannot work without them."""
        return self.name == ESSENTIAL

    @cached_property
    def digest(self) -> str:
        """8 hex digits that change whenever anything a person is told about
        this category changes (its texts in every language, its cookies)."""
        described = {
            "name": self.name,
            "exception": self.exception,
            "title": self.title,
            "description": self.description,
            "cookies": [
                [c.name, c.purpose, c.expiry, c.party, list(c.paths), list(c.domains)]
                for c in self.cookies
            ],
        }
        text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=dict)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Policy:
    """The site's cookies, grouped in categories, under a version.

    Bump ``version`` when the cookies change in a way people should be asked
    about again: choices made under another version no longer count.
    """

    version: str
    categories: tuple[Category, ...]
    _by_name: dict[str, Category] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "version", str(self.version))
        object.__setattr__(self, "categories", tuple(self.categories))
        validate_policy(self)
        object.__setattr__(self, "_by_name", {c.name: c for c in self.categories})

    @property
    def optional(self) -> tuple[Category, ...]:
        """The categories a person chooses about (all but essential), in order."""
        return tuple(c for c in self.categories if not c.essential)

    @property
    def optional_names(self) -> tuple[str, ...]:
        """Names of :attr:`optional`."""
        return tuple(c.name for c in self.optional)

    def category(self, name: str) -> Category | None:
        """The category called ``name``, or ``None``."""
        return self._by_name.get(name)

    def category_of(self, cookie_name: str) -> Category | None:
        """The category covering a cookie called ``cookie_name`` (exact names first)."""
        for category in self.categories:
            if any(c.name == cookie_name for c in category.cookies):
                return category
        for category in self.categories:
            if any(c.is_pattern and c.matches(cookie_name) for c in category.cookies):
                return category
        return None

    def is_essential_cookie(self, cookie_name: str) -> bool:
        """True if the policy lists ``cookie_name`` as essential."""
        category = self.category_of(cookie_name)
        return category is not None and category.essential

    @property
    def exception_names(self) -> tuple[str, ...]:
        """Names of the optional categories that rely on a UK exception, in order."""
        return tuple(c.name for c in self.optional if c.exception)

    def is_cookie_allowed_before_choice(self, cookie_name: str) -> bool:
        """True if ``cookie_name`` may exist before any choice: essential, or of a
        category that relies on a UK exception (until the person objects)."""
        category = self.category_of(cookie_name)
        return category is not None and (category.essential or category.exception is not None)

    @property
    def digests(self) -> dict[str, str]:
        """Each optional category's :attr:`Category.digest`."""
        return {c.name: c.digest for c in self.optional}


def validate_policy(policy: Policy) -> None:
    """Raise :class:`HavenConfigError` naming the first problem in ``policy``."""

    def fail(message: str) -> None:
        raise HavenConfigError(f"HAVEN_CONSENT_POLICY: {message}")

    if not isinstance(policy.version, str) or not _VERSION.match(policy.version):
        fail(f"version must be 1-32 letters, digits, '-' or '_'; got {policy.version!r}.")
    names = [c.name for c in policy.categories]
    if ESSENTIAL not in names:
        fail("an 'essential' category is required (it lists the cookies that are always on).")
    if not [n for n in names if n != ESSENTIAL]:
        fail("at least one optional category (such as 'analytics') is needed.")
    if len(names) - 1 > MAX_OPTIONAL_CATEGORIES:
        fail(f"at most {MAX_OPTIONAL_CATEGORIES} optional categories; got {len(names) - 1}.")
    seen_categories: set[str] = set()
    seen_cookies: set[str] = set()
    for category in policy.categories:
        if not isinstance(category, Category):
            fail(f"categories must be Category objects; got {category!r}.")
        if not _CATEGORY_NAME.match(category.name):
            fail(
                f"category name {category.name!r} must be lower case letters, digits or '_', "
                "starting with a letter."
            )
        if category.name in seen_categories:
            fail(f"category {category.name!r} is listed twice.")
        seen_categories.add(category.name)
        for text in ("title", "description"):
            if _blank(getattr(category, text)):
                fail(f"category {category.name!r} needs a {text} (in every language it lists).")
        if category.exception is not None:
            if category.essential:
                fail("the 'essential' category needs no exception: it is always on.")
            if category.exception not in EXCEPTIONS:
                fail(
                    f"category {category.name!r}: exception must be one of "
                    f"{', '.join(map(repr, EXCEPTIONS))}; got {category.exception!r}."
                )
        for cookie in category.cookies:
            where = f"cookie {cookie.name!r} in category {category.name!r}"
            if not _COOKIE_NAME.match(cookie.name):
                fail(f"{where}: not a valid cookie name.")
            if cookie.name in seen_cookies:
                fail(f"cookie {cookie.name!r} is listed twice.")
            seen_cookies.add(cookie.name)
            if _blank(cookie.purpose):
                fail(f"{where} needs a purpose.")
            if _blank(cookie.expiry):
                fail(f"{where} needs an expiry.")
            if cookie.party not in PARTIES:
                fail(f"{where}: party must be 'first' or 'third'; got {cookie.party!r}.")
            _check_places(cookie, where, fail)


def _check_places(cookie: CookieInfo, where: str, fail: Any) -> None:
    """A cookie's paths and domains: what Set-Cookie and document.cookie accept as is."""
    if isinstance(cookie.paths, str) or not cookie.paths:
        fail(f"{where}: paths must be a non-empty list of paths such as ['/', '/news'].")
    for path in cookie.paths:
        if not isinstance(path, str) or not _COOKIE_PATH.match(path):
            fail(
                f"{where}: path {path!r} must start with '/' and have no spaces, ';', ',' "
                "or quotes."
            )
    if isinstance(cookie.domains, str):
        fail(f"{where}: domains must be a list such as ['example.org'].")
    for domain in cookie.domains:
        if not isinstance(domain, str) or not _COOKIE_DOMAIN.match(domain):
            fail(
                f"{where}: domain {domain!r} must be a lower-case host name such as "
                "'example.org' (no leading dot, port or scheme)."
            )


def _blank(text: object) -> bool:
    """True for a missing text, or a language map with no entries or an empty one."""
    return is_blank_text(text, "HAVEN_CONSENT_POLICY language")


def _local(value: object) -> LocalText:
    """A policy text from plain data: a language map is kept, anything else made a string."""
    if isinstance(value, Mapping):
        return {str(language): str(text or "") for language, text in value.items()}
    return str(value or "")


def policy_from_dict(data: Mapping[str, Any]) -> Policy:
    """Build a :class:`Policy` from plain data (as loaded from YAML or JSON).

    ``{"version": "1", "categories": [{"name", "title", "description",
    "exception", "cookies": [{"name", "purpose", "expiry", "party", "paths",
    "domains"}]}], "cookies": [...]}``; top-level ``cookies`` entries name their
    ``category``, which must exist. ``paths`` and ``domains`` also take one
    string (``path: /news``).
    """
    if not isinstance(data, Mapping):
        raise HavenConfigError("HAVEN_CONSENT_POLICY: expected a mapping with 'categories'.")
    try:
        raw_categories = list(data["categories"])
        cookies_by_category: dict[str, list[CookieInfo]] = {}
        for raw in raw_categories:
            cookies_by_category.setdefault(str(raw["name"]), []).extend(
                _cookie(c) for c in raw.get("cookies") or ()
            )
        for raw_cookie in data.get("cookies") or ():
            category = str(raw_cookie.get("category", ""))
            if category not in cookies_by_category:
                raise HavenConfigError(
                    f"HAVEN_CONSENT_POLICY: cookie {raw_cookie.get('name')!r} names an "
                    f"unknown category {category!r}."
                )
            cookies_by_category[category].append(_cookie(raw_cookie))
        categories = tuple(
            Category(
                name=str(raw["name"]),
                title=_local(raw.get("title")),
                description=_local(raw.get("description")),
                cookies=tuple(cookies_by_category[str(raw["name"])]),
                exception=None if raw.get("exception") is None else str(raw["exception"]),
            )
            for raw in raw_categories
        )
        return Policy(version=str(data["version"]), categories=categories)
    except (KeyError, TypeError, AttributeError) as exc:
        raise HavenConfigError(f"HAVEN_CONSENT_POLICY: missing or malformed field {exc}") from exc


def _cookie(raw: Mapping[str, Any]) -> CookieInfo:
    return CookieInfo(
        name=str(raw["name"]),
        purpose=_local(raw.get("purpose")),
        expiry=_local(raw.get("expiry")),
        party=str(raw.get("party") or "first"),
        paths=_strings(raw, "paths", "path") or ("/",),
        domains=_strings(raw, "domains", "domain"),
    )


def _strings(raw: Mapping[str, Any], plural: str, singular: str) -> tuple[str, ...]:
    """``paths: [...]`` or ``path: "..."`` (one string), as a tuple; checked later."""
    value = raw.get(plural, raw.get(singular))
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def load_policy(value: Policy | Mapping[str, Any] | str | Path) -> Policy:
    """A :class:`Policy` from a policy, a dict, or the path of a YAML file."""
    if isinstance(value, Policy):
        return value
    if isinstance(value, str | Path):
        try:
            data = yaml.safe_load(Path(value).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise HavenConfigError(f"HAVEN_CONSENT_POLICY: cannot read {value}: {exc}") from exc
        return policy_from_dict(data)
    if isinstance(value, Mapping):
        return policy_from_dict(value)
    raise HavenConfigError(
        f"HAVEN_CONSENT_POLICY must be a Policy, a dict or a YAML file path; got {value!r}."
    )
