"""Living beside the extensions a Flask site already uses.

Two of them act on every request and would otherwise fight ours:

- **Flask-WTF's ``CSRFProtect``** checks every POST before any view runs. Our
  routes protect themselves: the consent forms carry no token at all (their
  origin is checked, so a first visit needs no session), and the feedback form
  checks the very same tokens (``flask_wtf.csrf.validate_csrf``, field
  ``csrf_token``) itself, so that a stale token re-shows the form with what
  the person typed instead of a bare 400 page. Our routes are therefore
  exempted from the site's ``CSRFProtect``; they stay protected.
- **Flask-Talisman** sets its headers after every response, replacing ours. We
  cannot know which policy the site meant, so we say at start-up, once,
  which of our protections its policy drops.

Either extension may be set up before or after :class:`~flask_haven.Haven`;
each case is covered (at ``init_app``, when the feedback blueprint is
registered, and on the first request for an extension set up later).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask.sansio.app import App
from flask.sansio.blueprints import Blueprint as SansioBlueprint

# The views and blueprints that protect themselves (csrf.py).
_OUR_BLUEPRINTS = ("haven_consent",)
_OUR_VIEWS = ("flask_haven.consent.views.cookie_settings",)

# What our default policy guarantees and a weaker one may leave out.
_REQUIRED_DIRECTIVES = ("object-src", "base-uri", "frame-ancestors", "form-action")
_PRIVATE_REFERRER_POLICIES = frozenset({"same-origin", "no-referrer"})


def init_app(app: Flask) -> None:
    """Fit in with the extensions already on ``app``, and check again on the first request."""
    _fit_in(app)
    checked = {"done": False}

    def check_late_extensions() -> None:
        # CSRFProtect's own hook runs before this one only when it was set up
        # first, and then _fit_in above already exempted our routes.
        if not checked["done"]:
            checked["done"] = True
            _fit_in(current_app._get_current_object())  # type: ignore[attr-defined]

    app.before_request_funcs.setdefault(None, []).insert(0, check_late_extensions)


def _fit_in(app: Flask) -> None:
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        for name in _OUR_BLUEPRINTS:
            if name in app.blueprints:
                csrf.exempt(app.blueprints[name])
        for view in _OUR_VIEWS:
            csrf._exempt_views.add(view)
    for blueprint in app.blueprints.values():
        if type(blueprint).__name__ == "FeedbackBlueprint":
            exempt_from_site_csrf(app, blueprint)
    _warn_about_talisman(app)


def exempt_from_site_csrf(app: App, blueprint: SansioBlueprint) -> None:
    """Exempt one of our blueprints from the site's ``CSRFProtect``, if it has one."""
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(blueprint)


def _talisman_instances(app: Flask) -> list[Any]:
    """Flask-Talisman objects on ``app`` (it keeps no ``app.extensions`` entry: find its hook)."""
    found = []
    for hook in app.after_request_funcs.get(None, []):
        owner = getattr(hook, "__self__", None)
        if owner is not None and type(owner).__name__ == "Talisman" and owner not in found:
            found.append(owner)
    return found


def weakened_protections(talisman: Any) -> list[str]:
    """What a Talisman configuration drops from the headers flask-haven would send."""
    weaker: list[str] = []
    policy = getattr(talisman, "content_security_policy", None)
    if not policy:
        weaker.append("no Content-Security-Policy")
    else:
        directives = _directives(policy)
        missing = [name for name in _REQUIRED_DIRECTIVES if name not in directives]
        if missing:
            weaker.append("the Content-Security-Policy has no " + ", ".join(missing))
        if any("'unsafe-inline'" in value for value in directives.values()):
            weaker.append("the Content-Security-Policy allows 'unsafe-inline'")
    # Both keep every referrer off other sites; ``same-origin`` (ours) also lets
    # old browsers prove that our own form posts are ours (docs/security.md).
    if getattr(talisman, "referrer_policy", "same-origin") not in _PRIVATE_REFERRER_POLICIES:
        weaker.append(f"Referrer-Policy is {talisman.referrer_policy!r}, not 'same-origin'")
    return weaker


def _directives(policy: Any) -> dict[str, str]:
    if isinstance(policy, str):
        parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        return {p[0]: p[1] if len(p) > 1 else "" for p in parts}
    return {
        str(name): value if isinstance(value, str) else " ".join(value)
        for name, value in dict(policy).items()
    }


def _warn_about_talisman(app: Flask) -> None:
    warned = app.extensions.setdefault("haven_talisman_warned", set())
    for talisman in _talisman_instances(app):
        if id(talisman) in warned:
            continue
        warned.add(id(talisman))
        weaker = weakened_protections(talisman)
        if weaker:
            app.logger.warning(
                "flask-haven: Flask-Talisman replaces flask-haven's security headers with "
                "weaker ones (%s). Pass content_security_policy=flask_haven.security.DEFAULT_CSP "
                "and referrer_policy='same-origin' to Talisman, or leave the headers to "
                "flask-haven (docs/security.md).",
                "; ".join(weaker),
            )
