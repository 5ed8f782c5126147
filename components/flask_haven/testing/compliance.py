"""The UK ICO's cookie checks, as assertions that work on any site.

1. Nothing non-essential (cookies, ``localStorage``, ``sessionStorage``) is
   set before the person has chosen.
2. Reject is on the banner's first layer and as prominent as accept: the same
   kind of control, a comparable size, enough contrast, and one action.
3. Nothing non-essential is set after a refusal.

What counts as essential comes from ``essential``: a flask-haven
:class:`~flask_haven.consent.Policy` (or anything
:func:`~flask_haven.consent.load_policy` reads, such as a YAML path), or a list
of names (``*`` wildcards allowed). Without it, :data:`COMMON_ESSENTIAL` is a
best guess of consent-record, session and CSRF cookies; pass your own list to
be exact. With a policy, check 1 also lets through the cookies of a category
that relies on a UK exception to consent (statistics or appearance, PECR
Schedule A1): those may be set before a choice, until the person objects;
check 3 does not, since refusing objects to them too.

Each ``check_*`` function returns a list of problems (empty when it passes),
for the audit command; each ``assert_*`` function raises them as one
``AssertionError``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._support import seconds, settings

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from ..consent.policy import Policy

# Cookies that record a consent choice, keep a session or protect forms,
# under the names common frameworks and consent tools give them.
COMMON_ESSENTIAL = (
    "haven_consent",
    "session",
    "sessionid",
    "csrftoken",
    "csrf_token",
    "XSRF-TOKEN",
    "JSESSIONID",
    "PHPSESSID",
    "ASP.NET_SessionId",
    "__Host-*",
    "cookieconsent_status",
    "CookieConsent",
    "OptanonConsent",
    "OptanonAlertBoxClosed",
    "cookies_policy",
)

ACCEPT_NAME = re.compile(r"^\s*(accept|allow|agree|i agree|ok\b|okay|got it|yes\b)", re.I)
REJECT_NAME = re.compile(
    r"^\s*(reject|decline|refuse|deny|disagree|no\b|no,? thanks|necessary|essential|"
    r"only necessary|use necessary|continue without)",
    re.I,
)

# "Comparable size": reject has at least this share of accept's area and
# font size. Equal is the ideal; this leaves room for longer or shorter words.
MIN_AREA_RATIO = 0.75
MIN_FONT_RATIO = 0.85


class _Essentials:
    """Decides whether a cookie or storage key is essential."""

    def __init__(self, essential: Any, *, before_choice: bool = False) -> None:
        self.before_choice = before_choice
        self.policy: Policy | None = None
        self.patterns: tuple[str, ...] = ()
        if essential is None:
            self.patterns = COMMON_ESSENTIAL
        elif isinstance(essential, str | Path | Mapping) or hasattr(
            essential, "is_essential_cookie"
        ):
            from ..consent.policy import load_policy

            self.policy = load_policy(essential)
        else:
            self.patterns = tuple(essential)

    def allows(self, name: str) -> bool:
        if self.policy is not None:
            if self.before_choice:
                return self.policy.is_cookie_allowed_before_choice(name)
            return self.policy.is_essential_cookie(name)
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.patterns)


_STORAGE_KEYS = """() => {
  const keys = (name) => { try { return Object.keys(window[name]) } catch (e) { return [] } }
  return {localStorage: keys('localStorage'), sessionStorage: keys('sessionStorage')}
}"""


def non_essential_items(
    page: Page, essential: Any = None, *, before_choice: bool = False
) -> list[str]:
    """Every non-essential cookie (of any domain) and storage key ``page`` holds now.

    ``before_choice`` also lets through what a policy's UK-exception categories set.
    """
    rules = _Essentials(essential, before_choice=before_choice)
    found = [
        f"cookie {cookie['name']} ({cookie.get('domain')}{cookie.get('path')})"
        for cookie in page.context.cookies()
        if not rules.allows(cookie["name"])
    ]
    storage: dict[str, list[str]] = page.evaluate(_STORAGE_KEYS)
    for area, keys in storage.items():
        found += [f"{area} {key!r}" for key in keys if not rules.allows(key)]
    return found


def _essential_hint(essential: Any) -> str:
    if essential is None:
        return " (pass essential= with your policy or cookie names if any of these is essential)"
    return ""


def check_nothing_before_choice(page: Page, essential: Any = None) -> list[str]:
    """Problems with what ``page`` stored before any choice (ICO check 1)."""
    items = non_essential_items(page, essential, before_choice=True)
    if not items:
        return []
    return [
        f"set before any choice on {page.url}: {item}{_essential_hint(essential)}" for item in items
    ]


@dataclass(frozen=True)
class Control:
    """How a banner control looks: what a person weighs when choosing."""

    name: str
    tag: str
    role: str
    width: float
    height: float
    font_size: float
    bold: bool
    color: tuple[float, float, float]
    background: tuple[float, float, float]
    filled: bool

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def contrast(self) -> float:
        return contrast_ratio(self.color, self.background)

    @property
    def large_text(self) -> bool:
        # WCAG's "large scale": 18pt, or 14pt bold (24px / 18.66px).
        return self.font_size >= 24 or (self.bold and self.font_size >= 18.66)

    def describe(self) -> str:
        fill = f", filled {_hex(self.background)}" if self.filled else ", no background"
        return (
            f"{self.role} {self.name!r} ({self.width:.0f}x{self.height:.0f} px, "
            f"{self.font_size:.0f}px text {_hex(self.color)}{fill})"
        )


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two sRGB colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Reads one control's box and colours. The background is the first opaque
# one up the tree (white if none), which is what the text is seen against.
_MEASURE = """(el) => {
  const rgb = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/)
    if (!m) return null
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number)
    return {rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1}
  }
  const backgroundOf = (node) => {
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor)
      if (c && c.alpha > 0.5) return c.rgb
    }
    return [255, 255, 255]
  }
  const style = getComputedStyle(el)
  const box = el.getBoundingClientRect()
  const own = rgb(style.backgroundColor)
  const around = el.parentElement ? backgroundOf(el.parentElement) : [255, 255, 255]
  const filled = !!own && own.alpha > 0.5 &&
    own.rgb.some((v, i) => Math.abs(v - around[i]) > 8)
  return {
    tag: el.tagName.toLowerCase(),
    width: box.width, height: box.height,
    fontSize: parseFloat(style.fontSize), bold: parseInt(style.fontWeight, 10) >= 600,
    color: (rgb(style.color) || {rgb: [0, 0, 0]}).rgb,
    background: backgroundOf(el), filled: filled
  }
}"""


def _controls(page: Page, name: re.Pattern[str]) -> Locator:
    return (
        page.get_by_role("button", name=name)
        .or_(page.get_by_role("link", name=name))
        .filter(visible=True)
    )


def _measure(locator: Locator) -> Control:
    data = locator.evaluate(_MEASURE)
    tag = data["tag"]
    role = locator.get_attribute("role") or ("link" if tag == "a" else "button")
    return Control(
        name=" ".join(locator.inner_text().split()),
        tag=tag,
        role=role,
        width=data["width"],
        height=data["height"],
        font_size=data["fontSize"],
        bold=data["bold"],
        color=tuple(data["color"]),
        background=tuple(data["background"]),
        filled=data["filled"],
    )


def find_banner_controls(
    page: Page,
    *,
    accept: re.Pattern[str] | str | None = None,
    reject: re.Pattern[str] | str | None = None,
    timeout: float | None = None,
) -> tuple[Locator | None, Locator | None]:
    """The first visible accept and reject controls (buttons or links), or None.

    Waits up to ``timeout`` (the presence timeout) for an accept control, as a
    banner may be drawn by a script after the page loads.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    accept_controls = _controls(page, _pattern(accept, ACCEPT_NAME))
    reject_controls = _controls(page, _pattern(reject, REJECT_NAME))
    wait = settings.presence_timeout if timeout is None else timeout
    try:
        accept_controls.or_(reject_controls).first.wait_for(state="visible", timeout=wait)
    except PlaywrightTimeoutError:
        return None, None
    found_accept = accept_controls.first if accept_controls.count() else None
    found_reject = reject_controls.first if reject_controls.count() else None
    return found_accept, found_reject


def _pattern(given: re.Pattern[str] | str | None, default: re.Pattern[str]) -> re.Pattern[str]:
    if given is None:
        return default
    if isinstance(given, str):
        return re.compile("^" + re.escape(given) + "$", re.I)
    return given


def check_reject_as_prominent(
    page: Page,
    *,
    accept: re.Pattern[str] | str | None = None,
    reject: re.Pattern[str] | str | None = None,
    timeout: float | None = None,
) -> list[str]:
    """Problems with the banner's reject control compared with accept (ICO check 2).

    Measures both, then presses reject once: that one action must record the
    refusal on the same page (the banner stops asking). The page is left in
    the refused state, ready for :func:`check_nothing_after_refusal`.
    An empty list also when there is no banner at all (after ``timeout`` ms).
    """
    accept_control, reject_control = find_banner_controls(
        page, accept=accept, reject=reject, timeout=timeout
    )
    if accept_control is None and reject_control is None:
        return []
    if reject_control is None:
        shown = _measure(accept_control).describe() if accept_control else ""
        return [
            f"no reject control on the first layer of the cookie banner on {page.url}: "
            f"accept is a {shown}, but no button or link is named like "
            f"{_pattern(reject, REJECT_NAME).pattern!r}"
        ]
    if accept_control is None:
        return []  # nothing pushes the person towards accepting
    yes, no = _measure(accept_control), _measure(reject_control)
    problems = []
    if yes.role != no.role or yes.filled != no.filled:
        problems.append(
            f"reject is not the same kind of control as accept: accept is a {yes.describe()}, "
            f"reject is a {no.describe()}"
        )
    if yes.area and no.area / yes.area < MIN_AREA_RATIO:
        problems.append(
            f"reject is smaller than accept: {no.width:.0f}x{no.height:.0f} px against "
            f"{yes.width:.0f}x{yes.height:.0f} px ({no.area / yes.area:.0%} of its area; "
            f"expected at least {MIN_AREA_RATIO:.0%})"
        )
    if yes.font_size and no.font_size / yes.font_size < MIN_FONT_RATIO:
        problems.append(
            f"reject's text is smaller than accept's: {no.font_size:.0f}px against "
            f"{yes.font_size:.0f}px"
        )
    needed = 3.0 if no.large_text else 4.5
    if no.contrast < needed:
        problems.append(
            f"reject's text contrast is {no.contrast:.1f}:1 ({_hex(no.color)} on "
            f"{_hex(no.background)}), below {needed:.1f}:1; accept's is {yes.contrast:.1f}:1"
        )
    problems += _refuse_once(page, reject_control, accept_control, no.name)
    return problems


def _refuse_once(
    page: Page, reject_control: Locator, accept_control: Locator, name: str
) -> list[str]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    before = urlsplit(page.url)
    reject_control.click()
    wait = settings.wait_timeout
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("load", timeout=wait)
    after = urlsplit(page.url)
    if (after.netloc, after.path) != (before.netloc, before.path):
        return [
            f"refusing takes more than one action: {name!r} led from {before.geturl()} to "
            f"{page.url} instead of recording the refusal"
        ]
    try:
        accept_control.wait_for(state="hidden", timeout=wait)
    except PlaywrightTimeoutError:
        return [
            f"after pressing {name!r} on {page.url} the banner still asks for {seconds(wait)} "
            "(accept is still shown): one action must be enough to refuse"
        ]
    return []


def check_nothing_after_refusal(
    page: Page,
    essential: Any = None,
    *,
    reject: re.Pattern[str] | str | None = None,
    timeout: float = 500,
) -> list[str]:
    """Problems with what ``page`` stores after a refusal (ICO check 3).

    Presses reject if the banner still shows it, lets the page's scripts run,
    reloads, and lists every non-essential cookie or storage key. Also fails
    if the banner asks again after the reload (the refusal was not kept).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    accept_control, reject_control = find_banner_controls(page, reject=reject, timeout=timeout)
    if reject_control is not None:
        reject_control.click()
        # Let the refusal land (a fetch, or a form post and redirect) before
        # reloading, or the reload can overtake it.
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_load_state("load", timeout=settings.wait_timeout)
            (accept_control or reject_control).wait_for(
                state="hidden", timeout=settings.wait_timeout
            )
    problems = []
    try:
        page.wait_for_load_state("networkidle", timeout=settings.wait_timeout)
        page.reload(wait_until="networkidle", timeout=settings.wait_timeout)
    except PlaywrightTimeoutError:
        pass  # a page that keeps polling is still checked as it is
    if reject_control is not None:
        _, asks_again = find_banner_controls(page, reject=reject, timeout=500)
        if asks_again is not None:
            problems.append(
                f"the refusal was not kept: after a reload of {page.url} the banner asks again"
            )
    items = non_essential_items(page, essential)
    problems += [
        f"set after a refusal on {page.url}: {item}{_essential_hint(essential)}" for item in items
    ]
    return problems


def _raise(problems: list[str], title: str) -> None:
    if problems:
        raise AssertionError(title + ":\n- " + "\n- ".join(problems))


def assert_nothing_set_before_choice(page: Page, essential: Any = None) -> None:
    """Fail if ``page`` holds a non-essential cookie or storage key before any choice.

    Call it right after the first ``page.goto`` of a fresh context.
    """
    _raise(check_nothing_before_choice(page, essential), "non-essential storage before a choice")


def assert_reject_as_prominent(
    page: Page,
    *,
    accept: re.Pattern[str] | str | None = None,
    reject: re.Pattern[str] | str | None = None,
) -> None:
    """Fail unless reject is on the banner's first layer and as prominent as accept.

    Compares the kind of control, size, font size and text contrast, then
    presses reject and fails unless that one action refused (same page, the
    banner stops asking). ``accept`` and ``reject`` are the controls' names
    (a string or a regex) when the defaults do not find them.
    """
    _raise(
        check_reject_as_prominent(page, accept=accept, reject=reject),
        "reject is not as easy as accept",
    )


def assert_nothing_set_after_refusal(
    page: Page, essential: Any = None, *, reject: re.Pattern[str] | str | None = None
) -> None:
    """Refuse (if the banner still asks), reload, and fail on anything non-essential."""
    _raise(
        check_nothing_after_refusal(page, essential, reject=reject),
        "non-essential storage after a refusal",
    )
