"""pytest fixtures that run a test once per engine (registered by the plugin).

- ``haven_engine``: the test's :class:`Engine`, JavaScript on, state reset;
- ``haven_engine_nojs``: the same engine with the page's JavaScript off;
- ``haven_engine_name``: which engine this run of the test is in.

Tests using either are parametrized by ``--haven-engines`` (default all
three), with ids ``[chromium]``, ``[firefox]``, ``[webkit]``, so ``-k firefox``
selects one engine. One session per engine serves the whole test run; each
test starts from ``about:blank`` with the site's cookies deleted. An engine
that cannot start skips its tests with the reason, which the closing summary
repeats next to each engine's counts.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from .base import ENGINE_NAMES, Engine, EngineUnavailable
from .launcher import Launcher

_engine_of: dict[str, str] = {}
_counts: dict[str, Counter[str]] = {}
_unavailable: dict[str, str] = {}


def selected_engines(config: pytest.Config) -> list[str]:
    """The engines ``--haven-engines`` names, checked."""
    raw = str(config.getoption("--haven-engines") or ",".join(ENGINE_NAMES))
    names = [name.strip().lower() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name not in ENGINE_NAMES]
    if unknown:
        raise pytest.UsageError(
            f"--haven-engines: unknown engine(s) {', '.join(unknown)}; "
            f"choose from {', '.join(ENGINE_NAMES)}"
        )
    return names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "haven_engine_name" in metafunc.fixturenames:
        names = selected_engines(metafunc.config)
        metafunc.parametrize("haven_engine_name", names, ids=names, scope="session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "haven_engine_name" in callspec.params:
            _engine_of[item.nodeid] = str(callspec.params["haven_engine_name"])
            item.add_marker(pytest.mark.engines)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    engine = _engine_of.get(report.nodeid)
    if engine is None:
        return
    counts = _counts.setdefault(engine, Counter())
    if report.when == "call" or (report.when == "setup" and not report.passed):
        outcome = "error" if report.when == "setup" and report.failed else report.outcome
        counts[outcome] += 1
    elif report.when == "teardown" and report.failed:
        counts["error"] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _counts:
        return
    terminalreporter.section("flask-haven engines")
    for engine in ENGINE_NAMES:
        if engine not in _counts:
            continue
        counts = _counts[engine]
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        reason = f"  ({_unavailable[engine]})" if engine in _unavailable else ""
        terminalreporter.write_line(f"{engine}: {summary}{reason}")


@pytest.fixture(scope="session")
def haven_engine_launcher(pytestconfig: pytest.Config) -> Iterator[Launcher]:
    """Starts engines, bounded by ``--haven-engine-timeout``; owns the Xvfb."""
    launcher = Launcher(timeout=float(pytestconfig.getoption("--haven-engine-timeout")))
    yield launcher
    launcher.close()


@pytest.fixture(scope="session")
def haven_engine_reset_url(haven_base_url: str | None) -> str | None:
    """A page of the site under test that each test's reset loads to delete the
    site's cookies (WebDriver deletes only the current page's). Override it with
    a cheaper page if your home page is slow."""
    return haven_base_url + "/" if haven_base_url else None


@pytest.fixture(scope="session")
def _haven_engine_session(
    haven_engine_name: str,
    haven_engine_launcher: Launcher,
    haven_base_url: str | None,
    request: pytest.FixtureRequest,
) -> Iterator[Engine]:
    if haven_engine_name == "chromium" and haven_engine_launcher.playwright is None:
        # Share pytest-playwright's Playwright: one sync instance per thread.
        with contextlib.suppress(pytest.FixtureLookupError):
            haven_engine_launcher.playwright = request.getfixturevalue("playwright")
    try:
        engine = haven_engine_launcher.launch(haven_engine_name, base_url=haven_base_url)
    except EngineUnavailable as error:
        reason = str(error)
        _unavailable[haven_engine_name] = reason
        terminal = request.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            terminal.write_line(f"\nflask-haven: skipping {haven_engine_name} tests: {reason}")
        pytest.skip(reason)
    yield engine
    engine.quit()


@pytest.fixture
def haven_engine(_haven_engine_session: Engine, haven_engine_reset_url: str | None) -> Engine:
    """This test's engine, with JavaScript on, at ``about:blank`` with no site cookies."""
    _haven_engine_session.set_javascript(True)
    _haven_engine_session.reset(haven_engine_reset_url)
    return _haven_engine_session


@pytest.fixture
def haven_engine_nojs(_haven_engine_session: Engine, haven_engine_reset_url: str | None) -> Engine:
    """This test's engine with the page's JavaScript off (a person with scripts
    blocked, or a script that failed to load)."""
    _haven_engine_session.set_javascript(False)
    _haven_engine_session.reset(haven_engine_reset_url)
    return _haven_engine_session
