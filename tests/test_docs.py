"""Every code snippet in the docs runs, and the docs site builds without a warning.

Snippets are the fenced code blocks of ``docs/*.md`` and ``README.md``:

- ``python`` blocks of one page run in order, in one namespace, in a temporary
  directory, so a block may use what an earlier block on the page defined;
- ``jinja`` blocks render in a request context of the demo app (``{% extends %}``
  included: the app's loader finds ``haven/layout.html``);
- ``css`` blocks may only set ``--haven-*`` properties the library defines.

Other languages (``sh``, ``yaml``) are shown, not run.

An HTML comment on the line just before a fence changes that (it is invisible
on the repository host and in the built site):

- ``<!-- snippet: skip (reason) -->`` the block is not run; the reason is required;
- ``<!-- snippet: file NAME -->`` the block is also saved as NAME (blocks with
  the same NAME are joined); a page's ``test_*.py`` files then run under pytest,
  with the flask-haven plugin and a real browser (an e2e test).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask, render_template_string

from demo_app import states

from .project_runs import QUIET_PLUGINS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

_FENCE_OPEN = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w+-]*)\s*$")
_FENCE_CLOSE = re.compile(r"^\s*```\s*$")
_MARKER = re.compile(r"^\s*<!--\s*snippet:\s*(?P<body>.*?)\s*-->\s*$")
_SKIP = re.compile(r"^skip \((?P<reason>.+)\)$")
_FILE = re.compile(r"^file (?P<name>[\w.-]+)$")


@dataclass(frozen=True)
class Snippet:
    """One fenced block: where it is, its language, its code and its marker."""

    path: Path
    line: int  # 1-based line of the first code line
    lang: str
    code: str
    skip_reason: str | None = None
    file_name: str | None = None

    @property
    def where(self) -> str:
        path = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{path}:{self.line}"


class SnippetMarkerError(ValueError):
    """A ``<!-- snippet: ... -->`` comment that is not one of the documented markers."""


def extract(path: Path) -> list[Snippet]:
    """The fenced blocks of a Markdown file, with their markers applied."""
    lines = path.read_text(encoding="utf-8").splitlines()
    snippets: list[Snippet] = []
    index = 0
    while index < len(lines):
        opened = _FENCE_OPEN.match(lines[index])
        if not opened:
            index += 1
            continue
        start = index + 1
        end = start
        while end < len(lines) and not _FENCE_CLOSE.match(lines[end]):
            end += 1
        code = textwrap.dedent("\n".join(lines[start:end])) + "\n"
        skip_reason = file_name = None
        marker = _MARKER.match(lines[index - 1]) if index else None
        if marker:
            body = marker.group("body")
            if skip := _SKIP.match(body):
                skip_reason = skip.group("reason").strip()
            elif named := _FILE.match(body):
                file_name = named.group("name")
            else:
                raise SnippetMarkerError(
                    f"{path}:{index}: unknown snippet marker {body!r}; use "
                    "'skip (reason)' or 'file NAME'"
                )
        snippets.append(
            Snippet(path, start + 1, opened.group("lang"), code, skip_reason, file_name)
        )
        index = end + 1
    return snippets


def runnable(path: Path, lang: str) -> list[Snippet]:
    return [s for s in extract(path) if s.lang == lang and s.skip_reason is None]


def run_python(snippets: list[Snippet]) -> dict[str, Any]:
    """Run ``snippets`` in order in one namespace; a failure names the Markdown line."""
    namespace: dict[str, Any] = {"__name__": "docs_snippet"}
    for snippet in snippets:
        # Pad with blank lines so a traceback's line number is the Markdown line.
        source = "\n" * (snippet.line - 1) + snippet.code
        try:
            exec(compile(source, str(snippet.path), "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"snippet at {snippet.where} failed: {exc!r}") from exc
    return namespace


def render_jinja(app: Flask, snippet: Snippet) -> str:
    """Render a Jinja snippet in a request context of ``app``."""
    try:
        with app.test_request_context("/"):
            return render_template_string(snippet.code)
    except Exception as exc:
        raise AssertionError(f"snippet at {snippet.where} failed: {exc!r}") from exc


def library_properties() -> set[str]:
    """Every ``--haven-*`` property the library's CSS sets or reads."""
    from flask_haven.assets import source_files

    found: set[str] = set()
    for path in source_files("css"):
        found |= set(re.findall(r"--haven-[a-z0-9-]+", path.read_text(encoding="utf-8")))
    return found


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


PYTHON_PAGES = [p for p in PAGES if runnable(p, "python")]
JINJA_SNIPPETS = [s for p in PAGES for s in runnable(p, "jinja")]
CSS_SNIPPETS = [s for p in PAGES for s in runnable(p, "css")]
PYTEST_PAGES = [
    p for p in PAGES if any((s.file_name or "").startswith("test_") for s in extract(p))
]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary working directory, and a state registry that snippets cannot pollute."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(states, "_REGISTRY", dict(states._REGISTRY))
    return tmp_path


def test_the_docs_have_snippets_of_each_kind() -> None:
    assert PYTHON_PAGES and JINJA_SNIPPETS and CSS_SNIPPETS and PYTEST_PAGES


@pytest.mark.parametrize("path", PYTHON_PAGES, ids=page_id)
def test_python_snippets_run(path: Path, isolated: Path) -> None:
    run_python(runnable(path, "python"))


@pytest.mark.parametrize("snippet", JINJA_SNIPPETS, ids=lambda s: s.where)
def test_jinja_snippets_render(app: Flask, snippet: Snippet) -> None:
    assert render_jinja(app, snippet).strip(), f"{snippet.where} renders nothing"


@pytest.mark.parametrize("snippet", CSS_SNIPPETS, ids=lambda s: s.where)
def test_css_snippets_set_only_real_properties(snippet: Snippet) -> None:
    unknown = set(re.findall(r"--haven-[a-z0-9-]+", snippet.code)) - library_properties()
    assert not unknown, f"{snippet.where} sets properties the library never reads: {unknown}"


@pytest.mark.e2e
@pytest.mark.parametrize("path", PYTEST_PAGES, ids=page_id)
def test_snippet_test_files_pass_under_pytest(path: Path, tmp_path: Path) -> None:
    files: dict[str, str] = {}
    for snippet in extract(path):
        if snippet.file_name and snippet.skip_reason is None:
            files[snippet.file_name] = files.get(snippet.file_name, "") + snippet.code + "\n"
    for name, code in files.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"{page_id(path)} snippets fail:\n{result.stdout}\n{result.stderr}"
    )
    tests = sum(len(re.findall(r"^def test_", code, re.M)) for code in files.values())
    assert f"{tests} passed" in result.stdout, result.stdout


# -- the checker itself must be able to fail ------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.md"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_broken_python_snippet_fails_and_names_its_line(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        """\
        # Page

        ```python
        value = 1
        ```

        ```python
        assert value == 2
        ```
        """,
    )
    with pytest.raises(AssertionError, match=r"page\.md:8"):
        run_python(runnable(page, "python"))


def test_python_snippets_of_a_page_share_a_namespace(tmp_path: Path) -> None:
    page = write(tmp_path, "```python\nvalue = 1\n```\n\n```python\nvalue += 1\n```\n")
    assert run_python(runnable(page, "python"))["value"] == 2


def test_a_broken_jinja_snippet_fails(app: Flask, tmp_path: Path) -> None:
    page = write(tmp_path, '```jinja\n{% from "haven/nope/macro.html" import nope %}\n```\n')
    with pytest.raises(AssertionError, match=r"page\.md:2"):
        render_jinja(app, runnable(page, "jinja")[0])


def test_skip_marker_needs_a_reason_and_skips(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "<!-- snippet: skip (needs a real server) -->\n```python\nraise SystemExit\n```\n",
    )
    assert runnable(page, "python") == []
    assert extract(page)[0].skip_reason == "needs a real server"
    page = write(tmp_path, "<!-- snippet: skip -->\n```python\nraise SystemExit\n```\n")
    with pytest.raises(SnippetMarkerError):
        extract(page)


def test_indented_fences_are_found_and_dedented(tmp_path: Path) -> None:
    page = write(tmp_path, "1. Step\n\n    ```python\n    x = 1\n    ```\n")
    assert run_python(runnable(page, "python"))["x"] == 1


# -- the site --------------------------------------------------------------------------


def nav_files(nav: Any) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_files(v) for v in nav.values()))
    return set().union(*(nav_files(item) for item in nav))


def test_every_docs_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = nav_files(config["nav"])
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages - listed == set(), "add these pages to `nav` in mkdocs.yml"
    assert listed - pages == set(), "mkdocs.yml lists pages that do not exist"


def test_readme_links_to_docs_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+\.md)\)", readme):
        assert (ROOT / target).is_file(), f"README links to missing {target}"


def test_docs_site_builds(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "testing" / "index.html").is_file()
