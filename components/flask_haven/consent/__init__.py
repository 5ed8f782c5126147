"""The cookie preference manager's Python side: policy, consent cookie, views.

``haven.consent.allows("analytics")`` (or :func:`allows`) answers, per
request, whether a category's cookies may be used; see ``docs/cookies.md``.
"""

from ..paths import safe_return_path
from .codec import COOKIE_NAME, Consent
from .manager import ConsentAPI, ConsentManager, allows, consent
from .policy import ESSENTIAL, Category, CookieInfo, Policy, load_policy
from .views import cookie_settings_view

__all__ = [
    "COOKIE_NAME",
    "ESSENTIAL",
    "Category",
    "Consent",
    "ConsentAPI",
    "ConsentManager",
    "CookieInfo",
    "Policy",
    "allows",
    "consent",
    "cookie_settings_view",
    "load_policy",
    "safe_return_path",
]
