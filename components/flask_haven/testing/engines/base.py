"""The driver-neutral layer: what a test may ask of any browser engine.

An :class:`Engine` is one browser session (one tab) driven by whatever client
its engine needs: Playwright for Chromium, Marionette for Firefox, Selenium and
WebKitWebDriver for WebKitGTK. Tests written against it run unchanged in all
three.

Elements are found by role and accessible name, like Playwright's
``get_by_role``, but by a small script run inside the page (:data:`FINDER_JS`),
because only Playwright has a real accessibility-tree locator. The script's
accessible name is an approximation of the W3C algorithm that is exact for
the markup this library renders:

- ``aria-labelledby``, then ``aria-label``;
- for form fields, their ``<label>`` elements; for ``<fieldset>``, its
  ``<legend>``; for ``<input type=submit|button>``, its ``value``; for
  ``<img>``, its ``alt``;
- for roles named from content (link, button, heading, radio, checkbox, tab,
  option, menuitem), the visible text, with hidden descendants skipped;
- else ``title``.

Roles are the explicit ``role`` attribute or the element's implicit role for
the common elements (see ``IMPLICIT_ROLES`` in the script); a ``<section>``
is a ``region`` only when it has a name, as in ARIA. Only rendered elements
match (``checkVisibility``), so a hidden duplicate is never clicked.

Clicks and key presses are the engine's own trusted input events, never
``element.click()`` in script, so they exercise what a person's keyboard and
mouse do. Scripts run through the WebDriver/Playwright channel, which a
page's Content-Security-Policy does not govern, and they work with the page's
JavaScript turned off.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urljoin

T = TypeVar("T")

# Names of the three engines, in the order the suites run them.
ENGINE_NAMES = ("chromium", "firefox", "webkit")

#: Seconds a check waits for the page before it fails. Generous: polling costs
#: nothing when the page is quick, and a loaded CI machine can take seconds.
DEFAULT_TIMEOUT = 10.0

# Runs in the page. arguments: role, name, exact, scope role, scope name, all?
# Returns the first matching rendered element (or all of them), else null.
FINDER_JS = r"""
const IMPLICIT_ROLES = [
  ['link', 'a[href], area[href]'],
  ['button', 'button, input[type=submit], input[type=button], input[type=reset], summary'],
  ['heading', 'h1, h2, h3, h4, h5, h6'],
  ['radio', 'input[type=radio]'],
  ['checkbox', 'input[type=checkbox]'],
  ['textbox', 'textarea, input:not([type]), input[type=text], input[type=email], ' +
    'input[type=tel], input[type=url], input[type=search], input[type=password]'],
  ['combobox', 'select'],
  ['group', 'fieldset, details'],
  ['region', 'section'],
  ['dialog', 'dialog'],
  ['main', 'main'],
  ['navigation', 'nav'],
  ['banner', 'body > header'],
  ['contentinfo', 'body > footer'],
  ['form', 'form'],
  ['list', 'ul, ol'],
  ['listitem', 'li'],
  ['status', 'output'],
  ['img', 'img[alt]:not([alt=""])'],
  ['table', 'table'],
]
const NAMED_FROM_CONTENT = new Set(['link', 'button', 'heading', 'radio', 'checkbox', 'tab',
  'option', 'menuitem', 'cell', 'columnheader', 'rowheader', 'tooltip', 'treeitem'])
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim()
const rendered = (el) => el.checkVisibility
  ? el.checkVisibility({ visibilityProperty: true })
  : el.getClientRects().length > 0
function textOf (node) {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent
  if (node.nodeType !== Node.ELEMENT_NODE) return ''
  if (node.getAttribute('aria-hidden') === 'true' || node.hidden) return ''
  if (node.tagName === 'IMG') return node.getAttribute('alt') || ''
  if (node.tagName === 'SCRIPT' || node.tagName === 'STYLE') return ''
  if (node.getClientRects().length === 0 && getComputedStyle(node).display === 'none') return ''
  const label = node.getAttribute('aria-label')
  if (label) return label
  return Array.from(node.childNodes).map(textOf).join(' ')
}
function roleOf (el) {
  const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0]
  if (explicit) return explicit
  for (const [role, selector] of IMPLICIT_ROLES) {
    if (el.matches(selector)) {
      if (role === 'region' && !nameOf(el, role)) return null
      return role
    }
  }
  return null
}
function nameOf (el, role) {
  const labelledby = el.getAttribute('aria-labelledby')
  if (labelledby) {
    return norm(labelledby.split(/\s+/).map((id) => {
      const part = document.getElementById(id)
      return part ? textOf(part) : ''
    }).join(' '))
  }
  const label = el.getAttribute('aria-label')
  if (label) return norm(label)
  if (el.labels && el.labels.length && el.type !== 'submit' && el.type !== 'button') {
    return norm(Array.from(el.labels).map(textOf).join(' '))
  }
  if (el.tagName === 'FIELDSET') {
    const legend = el.querySelector(':scope > legend')
    if (legend) return norm(textOf(legend))
  }
  if (el.tagName === 'INPUT' && /^(submit|button|reset)$/.test(el.type)) return norm(el.value)
  if (el.tagName === 'IMG') return norm(el.getAttribute('alt'))
  if (NAMED_FROM_CONTENT.has(role)) {
    const text = norm(Array.from(el.childNodes).map(textOf).join(' '))
    if (text) return text
  }
  return norm(el.getAttribute('title'))
}
function matches (el, role, name, exact) {
  if (!rendered(el) || roleOf(el) !== role) return false
  if (name === null) return true
  const actual = nameOf(el, role)
  return exact ? actual === norm(name) : actual.toLowerCase().includes(norm(name).toLowerCase())
}
function findAll (scope, role, name, exact) {
  return Array.from(scope.querySelectorAll('*')).filter((el) => matches(el, role, name, exact))
}
function havenFind (role, name, exact, scopeRole, scopeName, all) {
  let scope = document
  if (scopeRole) {
    scope = findAll(document, scopeRole, scopeName, false)[0]
    if (!scope) return all ? [] : null
  }
  const found = findAll(scope, role, name, exact)
  return all ? found : (found[0] || null)
}
"""

# Records Content-Security-Policy violations the page reports after it loaded.
CSP_LISTENER_JS = """
if (!window.__havenCsp) {
  window.__havenCsp = []
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__havenCsp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'))
  })
}
"""


class EngineError(AssertionError):
    """A check through the engine layer failed (an ``AssertionError``, so pytest shows it so)."""


class EngineUnavailable(RuntimeError):
    """The engine cannot be had here (not installed, or its session did not start).

    ``transient`` is true when trying again may work (a start that timed out),
    false when it cannot (nothing installed).
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class Engine(ABC):
    """One browser session in one engine, driven through a neutral interface.

    Subclasses implement the primitives (navigation, script, input events,
    cookies); everything else, finding by role and name included, is built
    here once, so it behaves the same in every engine.
    """

    #: ``"chromium"``, ``"firefox"`` or ``"webkit"``.
    name: str = ""

    def __init__(self, *, base_url: str | None = None, javascript: bool = True) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self.javascript = javascript

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} javascript={self.javascript}>"

    # -- primitives each adapter provides ---------------------------------------------

    @abstractmethod
    def _navigate(self, url: str) -> None:
        """Load ``url`` and wait for its ``load`` event."""

    @abstractmethod
    def _script(self, body: str, args: list[Any]) -> Any:
        """Run ``body`` as a function body in the page (``arguments`` holds ``args``)."""

    @abstractmethod
    def _click(self, element: Any) -> None:
        """A trusted mouse click at the centre of ``element`` (a handle from a script)."""

    @abstractmethod
    def _type(self, element: Any, text: str) -> None:
        """Clear ``element`` (a text field) and type ``text`` into it as key events."""

    @abstractmethod
    def press(self, key: str) -> None:
        """Press and release ``key`` (``"Escape"``, ``"Enter"``, ``"Tab"``, ``"Shift"``)
        as a trusted key event on whatever has focus."""

    @property
    @abstractmethod
    def url(self) -> str:
        """The address of the current top-level document."""

    @abstractmethod
    def back(self) -> None:
        """The browser's Back button (waits for the navigation)."""

    @abstractmethod
    def cookies(self) -> dict[str, str]:
        """The cookies the browser would send to the current page, name to value."""

    @abstractmethod
    def delete_cookies(self) -> None:
        """Delete every cookie of the current page's site."""

    @abstractmethod
    def _set_javascript(self, enabled: bool) -> None:
        """Turn the page's JavaScript on or off for the next documents."""

    @abstractmethod
    def quit(self) -> None:
        """End the session and stop every process it started."""

    # -- built on the primitives ------------------------------------------------------

    def absolute(self, url: str) -> str:
        """``url`` joined to :attr:`base_url` when it is a path."""
        if self.base_url and url.startswith("/"):
            return urljoin(self.base_url + "/", url.lstrip("/"))
        return url

    def open(self, url: str) -> None:
        """Load ``url`` (a path is joined to :attr:`base_url`) and wait for it to load.

        With JavaScript on, also waits until the library's bundle has started
        the components (``haven-js-enabled`` on ``<body>``), when the page
        loads the bundle, and starts recording CSP violations.
        """
        self._navigate(self.absolute(url))
        self.settle()

    def settle(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """After a navigation: wait for the components to start (with JS) and
        listen for CSP violations from now on."""
        if not self.javascript:
            return
        self.wait_until(
            lambda: self.run(
                "return document.readyState === 'complete' && (!document.querySelector("
                "'script[src*=\"/dist/haven.\"]') || "
                "document.body.classList.contains('haven-js-enabled'))"
            ),
            timeout=timeout,
            message="the page did not finish loading or the components did not start",
        )
        self.run(CSP_LISTENER_JS)

    def run(self, body: str, *args: Any) -> Any:
        """Run ``body`` (a function body; ``arguments[0]``… are ``args``) and return
        its result. Elements come back as handles :meth:`click` accepts."""
        return self._script(body, list(args))

    def find(
        self,
        role: str,
        name: str | None = None,
        *,
        exact: bool = True,
        within: tuple[str, str] | None = None,
    ) -> Any:
        """The first rendered element with ``role`` and accessible ``name``, or ``None``.

        ``exact=False`` matches a case-insensitive part of the name. ``within``
        is a ``(role, name part)`` pair for the container to search in.
        """
        scope_role, scope_name = within if within else (None, None)
        return self._script(
            FINDER_JS + "return havenFind(...arguments)",
            [role, name, exact, scope_role, scope_name, False],
        )

    def names(self, role: str, *, within: tuple[str, str] | None = None) -> list[str]:
        """The accessible names of every rendered element with ``role``, in page order."""
        scope_role, scope_name = within if within else (None, None)
        found = self._script(
            FINDER_JS + "return havenFind(arguments[0], null, true, arguments[1], arguments[2], "
            "true).map((el) => nameOf(el, arguments[0]))",
            [role, scope_role, scope_name],
        )
        return [str(name) for name in found]

    def get(
        self,
        role: str,
        name: str,
        *,
        exact: bool = True,
        within: tuple[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Any:
        """Like :meth:`find`, but waits up to ``timeout`` seconds and fails if absent."""
        where = f" in {within[0]} {within[1]!r}" if within else ""
        return self.wait_until(
            lambda: self.find(role, name, exact=exact, within=within),
            timeout=timeout,
            message=lambda: (
                f"{self.name}: no {role} named {name!r}{where} on {self.describe_url()}; "
                f"the {role}s there are {self.names(role)!r}"
            ),
        )

    def is_shown(
        self,
        role: str,
        name: str | None = None,
        *,
        exact: bool = True,
        within: tuple[str, str] | None = None,
    ) -> bool:
        """True if such an element is rendered now (no waiting)."""
        return self.find(role, name, exact=exact, within=within) is not None

    def click(
        self,
        role: str,
        name: str,
        *,
        exact: bool = True,
        within: tuple[str, str] | None = None,
    ) -> None:
        """Click the element with ``role`` and ``name`` (waiting for it to appear).

        A radio or checkbox drawn by CSS over a transparent input is clicked
        through its label when the engine calls the input not interactable
        (WebKitGTK does): the label is what a person clicks.
        """
        element = self.get(role, name, exact=exact, within=within)
        self._into_view(element)
        try:
            self._click(element)
        except Exception:
            label = self.run("return (arguments[0].labels || [])[0] || null", element)
            if label is None:
                raise
            self._click(label)

    def fill(self, role: str, name: str, text: str) -> None:
        """Type ``text`` into the field with ``role`` (usually ``textbox``) and ``name``."""
        element = self.get(role, name)
        self._into_view(element)
        self._type(element, text)

    def _into_view(self, element: Any) -> None:
        # Mid-screen, clear of the sticky quick exit bar and the cookie banner:
        # WebKitWebDriver calls an element under either "not interactable".
        self.run("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element)

    def is_checked(self, role: str, name: str, *, within: tuple[str, str] | None = None) -> bool:
        """Whether the radio or checkbox with ``name`` is checked."""
        return bool(self.run("return arguments[0].checked", self.get(role, name, within=within)))

    def focus(self, element: Any) -> None:
        """Move focus to ``element`` (a handle), as a script would."""
        self.run("arguments[0].focus()", element)

    def focused_text(self) -> str:
        """The text of the element that has focus."""
        return str(self.run("return (document.activeElement || document.body).textContent"))

    def text(self) -> str:
        """The page's rendered text (``innerText`` of ``<body>``), whitespace collapsed."""
        return " ".join(str(self.run("return document.body.innerText")).split())

    def title(self) -> str:
        """The document's title."""
        return str(self.run("return document.title"))

    def history_length(self) -> int:
        """How many entries the tab's session history has (``history.length``)."""
        return int(self.run("return history.length"))

    def csp_violations(self) -> list[str]:
        """CSP violations the current document reported since :meth:`open` (JS on only).

        Violations during the page's own load happen before any listener can
        be added in Firefox and WebKit; collect those with a ``report-uri``
        (see :class:`flask_haven.testing.engines.CspReportCollector`).
        """
        if not self.javascript:
            return []
        return [str(v) for v in self.run("return window.__havenCsp || []")]

    def wait_until(
        self,
        condition: Callable[[], T],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        interval: float = 0.05,
        message: str | Callable[[], str] = "condition not met",
    ) -> T:
        """Poll ``condition`` until it returns something truthy, and return that."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = condition()
            except Exception:
                # A navigation in progress makes scripts fail for a moment.
                if time.monotonic() >= deadline:
                    raise
                result = None
            if result:
                return result
            if time.monotonic() >= deadline:
                text = message() if callable(message) else message
                raise EngineError(f"{self.name}: {text} (waited {timeout:g}s)")
            time.sleep(interval)

    def wait_for_url(self, prefix: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the current document's address starts with ``prefix`` and
        that document has loaded.

        Only then do its history and cookies describe the new page: a check
        made earlier may still see the page being left.
        """
        self.wait_until(
            lambda: (
                self.url.startswith(prefix) and self.run("return document.readyState") == "complete"
            ),
            timeout=timeout,
            message=lambda: f"the address is {self.describe_url()!r}, not {prefix!r}…",
        )

    def describe_url(self) -> str:
        """:attr:`url` for a message: never raises, even mid-navigation."""
        try:
            return self.url
        except Exception as error:  # any driver error: this is only for a message
            return f"(unknown: {type(error).__name__})"

    def set_javascript(self, enabled: bool) -> None:
        """Turn the page's JavaScript on or off (from the next page loaded).

        Engines differ in how: a new Playwright context, a Firefox preference,
        a new WebKitGTK session. So call it before opening a page, and expect
        cookies to be gone afterwards.
        """
        if enabled != self.javascript:
            self._set_javascript(enabled)
            self.javascript = enabled

    @contextmanager
    def javascript_off(self) -> Iterator[Engine]:
        """``with engine.javascript_off():`` runs the block with the page's JavaScript off."""
        self.set_javascript(False)
        try:
            yield self
        finally:
            self.set_javascript(True)

    def reset(self, site_url: str | None = None) -> None:
        """Forget the last test: load ``site_url`` and delete the site's cookies.

        Loading a page first also stops whatever the last test left loading
        (a quick exit on its way out). WebDriver deletes only the current
        document's cookies, so the page is one of the site's (``site_url``, by
        default :attr:`base_url`); without one, the tab goes to ``about:blank``.
        """
        site_url = site_url or self.base_url
        self._navigate(self.absolute(site_url) if site_url else "about:blank")
        if site_url:
            self.delete_cookies()


class WebDriverEngine(Engine):
    """An engine whose page elements are W3C WebDriver elements (Marionette, Selenium).

    Both clients give elements the same ``click``, ``clear`` and ``send_keys``,
    so Firefox and WebKit share how they click and type.
    """

    def _click(self, element: Any) -> None:
        element.click()

    def _type(self, element: Any, text: str) -> None:
        element.clear()
        if text:  # WebKitWebDriver refuses an empty string; typing nothing is a no-op anyway
            element.send_keys(text)
