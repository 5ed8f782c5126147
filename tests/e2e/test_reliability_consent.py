"""No consent that was not given, in a real browser: a consent cookie the server
did not sign (forged, tampered, from another policy version, or set for a
narrower path) never runs a gated script, so no non-essential cookie appears.
"""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser

from .conftest import wait_for_enhancement

YES = "analytics:1:7d787116~preferences:1:93060cfd"  # the demo policy's digests
FORGED = [
    pytest.param(f"2.1.1764000000.{YES}.-.forged", "/", id="forged signature"),
    pytest.param(f"2.999.1764000000.{YES}.-.x", "/", id="another policy version"),
    pytest.param(f"3.1.1764000000.{YES}.-.x", "/", id="another format"),
    pytest.param("1.1.1764000000.analytics~preferences.-.x", "/", id="the old format"),
    pytest.param(
        f"2.1.0.{YES}.-.x",
        "/components/",
        # The server cannot clear a cookie set for a narrower path, so this
        # proves the script trusts only the server's reading, not the cookie.
        id="narrower path survives the server's clearing",
    ),
]


@pytest.mark.parametrize(("value", "path"), FORGED)
def test_unsigned_consent_cookie_runs_nothing(
    browser: Browser, base_url: str, haven_app: Flask, value: str, path: str
) -> None:
    if "haven_consent.save" not in haven_app.view_functions:
        pytest.skip("the cookie consent component is not in this checkout yet")
    context = browser.new_context(base_url=base_url)
    host = base_url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "haven_consent", "value": value, "domain": host, "path": path}])
    page = context.new_page()
    for url in ("/", "/components/", "/cookies"):
        page.goto(url)
        wait_for_enhancement(page)
        page.wait_for_timeout(100)  # a gated script, if wrongly started, has run by now
        names = {cookie["name"] for cookie in context.cookies()}
        assert not {"demo_analytics", "demo_preferences"} & names, f"{url}: {names}"
        if url == "/cookies":
            # No banner on the cookies page: its radios show the (absent) choice instead.
            assert page.get_by_role("radio", name="No").first.is_checked(), url
            continue
        assert page.get_by_role("region", name="Cookies on").first.is_visible(), (
            f"{url}: the banner is not asking, so the forged cookie counted"
        )
    context.close()
