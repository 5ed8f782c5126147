"""pytest fixtures that run a test once per engine (registered by the plugin).

- ``haven_engine``: the test's :class:`Engine`, JavaScript on, state reset;
- ``haven_engine_nojs``: the same engine with the page's JavaScript off;
- ``haven_engine_name``: which engine this run of the test is in;
- ``haven_engine_pool``: the sessions themselves, for a test that needs more.

Tests using either are parametrized by ``--haven-engines`` (default all
three), with ids ``[chromium]``, ``[firefox]``, ``[webkit]``, so ``-k firefox``
selects one engine. Each engine is started once per test process (once per
pytest-xdist worker), when a test first needs it, and serves every later test
whatever their order; each test starts on the site's cheapest page with the
site's cookies deleted. A session that stops answering is replaced before the
next test. An engine that cannot start skips its tests with the reason, which
the closing summary repeats next to each engine's counts.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from .base import ENGINE_NAMES, Engine, EngineUnavailable
from .launcher import Launcher

# The closing summary, kept by the process that reports (xdist's controller):
# it learns each test's engine from the report's user_properties, not from
# collection, which only the workers do.
_counts: dict[str, Counter[str]] = {}
_unavailable: dict[str, str] = {}
_unanswered: Counter[str] = Counter()

ENGINE_PROPERTY = "haven_engine"
UNANSWERED_PROPERTY = "haven_engine_unanswered_scripts"


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
        metafunc.parametrize("haven_engine_name", names, ids=names, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "haven_engine_name" in callspec.params:
            item.add_marker(pytest.mark.engines)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    properties = dict(report.user_properties)
    engine = properties.get(ENGINE_PROPERTY)
    if engine is None:
        return
    engine = str(engine)
    counts = _counts.setdefault(engine, Counter())
    if report.when == "teardown":
        _unanswered[engine] += int(str(properties.get(UNANSWERED_PROPERTY, 0)))
    if report.when == "call" or (report.when == "setup" and not report.passed):
        counts[_outcome(report)] += 1
        if report.skipped and report.when == "setup" and isinstance(report.longrepr, tuple):
            _unavailable.setdefault(engine, str(report.longrepr[2]).removeprefix("Skipped: "))
    elif report.when == "teardown" and report.failed:
        counts["error"] += 1


def _outcome(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return "xpassed" if report.passed else "xfailed"
    if report.when == "setup" and report.failed:
        return "error"
    return report.outcome


@pytest.hookimpl(trylast=True)  # after --durations: the closing note of the run
def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _counts:
        return
    terminalreporter.section("flask-haven engines")
    for engine in ENGINE_NAMES:
        if engine not in _counts:
            continue
        counts = _counts[engine]
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        notes = []
        if counts["skipped"] and engine in _unavailable:
            notes.append(_unavailable[engine])
        if _unanswered[engine]:
            notes.append(f"{_unanswered[engine]} unanswered script(s) sent again")
        line = f"{engine}: {summary}"
        if notes:
            line += f"  ({'; '.join(notes)})"
        terminalreporter.write_line(line)


class EnginePool:
    """One session per engine for the whole test process, started on first use.

    Keyed by engine only, never by test order: a suite shuffled or split
    across pytest-xdist workers still starts each engine at most once per
    process. A session that broke (its reset failed) is replaced once.
    """

    def __init__(self, launcher: Launcher, *, base_url: str | None = None) -> None:
        self.launcher = launcher
        self.base_url = base_url
        self._engines: dict[str, Engine] = {}
        self._unavailable: dict[str, str] = {}

    def get(self, name: str) -> Engine:
        """The session of engine ``name``; raises :class:`EngineUnavailable` if it cannot start."""
        if name in self._unavailable:
            raise EngineUnavailable(self._unavailable[name])
        if name not in self._engines:
            try:
                self._engines[name] = self.launcher.launch(name, base_url=self.base_url)
            except EngineUnavailable as error:
                self._unavailable[name] = str(error)
                raise
        return self._engines[name]

    def ready(self, name: str, *, javascript: bool, reset_url: str | None) -> Engine:
        """Engine ``name`` with JavaScript ``javascript``, reset for a new test.

        If the reset fails (the session stopped answering), the session is
        replaced by a new one and reset again.
        """
        engine = self.get(name)
        try:
            engine.set_javascript(javascript)
            engine.reset(reset_url)
        except EngineUnavailable:
            raise
        except Exception:
            self.discard(name)
            engine = self.get(name)
            engine.set_javascript(javascript)
            engine.reset(reset_url)
        return engine

    def discard(self, name: str) -> None:
        """End engine ``name``'s session (the next :meth:`get` starts a new one)."""
        engine = self._engines.pop(name, None)
        if engine is not None:
            with contextlib.suppress(Exception):
                engine.quit()

    def close(self) -> None:
        """End every session and stop the Xvfb."""
        for name in list(self._engines):
            self.discard(name)
        self.launcher.close()


@pytest.fixture(scope="session")
def haven_engine_launcher(pytestconfig: pytest.Config) -> Iterator[Launcher]:
    """Starts engines, bounded by ``--haven-engine-timeout``; owns the Xvfb."""
    launcher = Launcher(timeout=float(pytestconfig.getoption("--haven-engine-timeout")))
    yield launcher
    launcher.close()


@pytest.fixture(scope="session")
def haven_engine_pool(
    haven_engine_launcher: Launcher,
    haven_base_url: str | None,
    request: pytest.FixtureRequest,
) -> Iterator[EnginePool]:
    """Every engine's session for this test process (see :class:`EnginePool`)."""
    if "chromium" in selected_engines(request.config) and haven_engine_launcher.playwright is None:
        # Share pytest-playwright's Playwright (one sync instance per thread),
        # set up before the pool so that it is torn down after it.
        with contextlib.suppress(pytest.FixtureLookupError):
            haven_engine_launcher.playwright = request.getfixturevalue("playwright")
    pool = EnginePool(haven_engine_launcher, base_url=haven_base_url)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def haven_engine_reset_url(haven_base_url: str | None) -> str | None:
    """A page of the site under test that each test's reset loads to delete the
    site's cookies (WebDriver deletes only the current page's). Override it with
    a cheaper page if your home page is slow."""
    return haven_base_url + "/" if haven_base_url else None


@pytest.fixture
def haven_engine_name(request: pytest.FixtureRequest) -> str:
    """The engine this run of the test is in (parametrized by ``--haven-engines``)."""
    name = str(request.param)
    request.node.user_properties.append((ENGINE_PROPERTY, name))
    return name


def _engine_for(
    request: pytest.FixtureRequest,
    pool: EnginePool,
    name: str,
    *,
    javascript: bool,
    reset_url: str | None,
) -> Iterator[Engine]:
    try:
        engine = pool.ready(name, javascript=javascript, reset_url=reset_url)
    except EngineUnavailable as error:
        reason = str(error)
        terminal = request.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None and _unavailable.get(name) != reason:
            _unavailable[name] = reason
            terminal.write_line(f"\nflask-haven: skipping {name} tests: {reason}")
        pytest.skip(reason)
    unanswered = getattr(engine, "unanswered_scripts", 0)
    yield engine
    more = getattr(engine, "unanswered_scripts", 0) - unanswered
    if more:
        request.node.user_properties.append((UNANSWERED_PROPERTY, more))


@pytest.fixture
def haven_engine(
    haven_engine_name: str,
    haven_engine_pool: EnginePool,
    haven_engine_reset_url: str | None,
    request: pytest.FixtureRequest,
) -> Iterator[Engine]:
    """This test's engine, with JavaScript on, on the reset page with no site cookies."""
    yield from _engine_for(
        request,
        haven_engine_pool,
        haven_engine_name,
        javascript=True,
        reset_url=haven_engine_reset_url,
    )


@pytest.fixture
def haven_engine_nojs(
    haven_engine_name: str,
    haven_engine_pool: EnginePool,
    haven_engine_reset_url: str | None,
    request: pytest.FixtureRequest,
) -> Iterator[Engine]:
    """This test's engine with the page's JavaScript off (a person with scripts
    blocked, or a script that failed to load)."""
    yield from _engine_for(
        request,
        haven_engine_pool,
        haven_engine_name,
        javascript=False,
        reset_url=haven_engine_reset_url,
    )
