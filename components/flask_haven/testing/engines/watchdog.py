"""Start a browser session with a deadline: some engines hang instead of failing."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from collections.abc import Callable
from typing import TypeVar

from .base import EngineUnavailable

T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_within(
    engine: str, timeout: float, start: Callable[[], T], abandon: Callable[[], None]
) -> T:
    """Run ``start`` in a thread; if it has not returned in ``timeout`` seconds,
    call ``abandon`` (which stops the processes ``start`` launched) and raise
    :class:`EngineUnavailable`.

    WebKitGTK's New Session waits forever for a display that is not there, so
    a plain call could hang the whole test run.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = start()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, name=f"start-{engine}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        abandon()
        raise EngineUnavailable(
            f"{engine}: the session did not start within {timeout:g}s", transient=True
        )
    if "error" in outcome:
        # The browser may have started before the error: stop it too.
        abandon()
        error = outcome["error"]
        raise EngineUnavailable(
            f"{engine}: the session did not start: {error}", transient=True
        ) from None
    return outcome["value"]  # type: ignore[return-value]


def kill_process_group(pid: int | None) -> None:
    """Stop the process group led by ``pid`` (one we started with ``start_new_session``)."""
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
