"""The demo's cookie policy, and its variant under the UK statistics exception.

The demo asks for consent to analytics by default. With
``create_app({"DEMO_STATISTICS_EXCEPTION": True})`` its analytics category
relies on the statistics exception instead (PECR Schedule A1, from the Data
(Use and Access) Act 2025; see docs/cookies.md): on until the person objects.
The QA checks run on both, and the gallery previews the second.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flask_haven.consent import Policy, load_policy

POLICY_FILE = Path(__file__).resolve().parent / "cookie_policy.yaml"


def statistics_policy(policy: object = POLICY_FILE) -> Policy:
    """``policy`` with its ``analytics`` category relying on the statistics exception."""
    loaded = load_policy(policy)  # type: ignore[arg-type]
    categories = tuple(
        dataclasses.replace(category, exception="statistics")
        if category.name == "analytics"
        else category
        for category in loaded.categories
    )
    return dataclasses.replace(loaded, categories=categories)
