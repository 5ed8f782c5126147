"""An X display for engines with no headless mode (WebKitGTK)."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time

from .base import EngineUnavailable


class Xvfb:
    """A virtual X server on a display number it picks itself.

    ``Xvfb -displayfd FD`` chooses a free display and writes its number to
    ``FD`` once it accepts connections, so there is no guessing a number that
    another test run may be using, and no sleeping until it is ready.
    """

    def __init__(self, *, timeout: float = 10, screen: str = "1280x1024x24") -> None:
        binary = shutil.which("Xvfb")
        if binary is None:
            raise EngineUnavailable("no Xvfb (Debian package `xvfb`), which WebKitGTK needs")
        read_end, write_end = os.pipe()
        try:
            self._process = subprocess.Popen(  # noqa: S603  (a fixed binary, our arguments)
                [binary, "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", screen],
                pass_fds=[write_end],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            os.close(write_end)
        try:
            number = self._read_display_number(read_end, timeout)
        except EngineUnavailable:
            self.stop()
            raise
        finally:
            os.close(read_end)
        #: The ``DISPLAY`` value, such as ``":1"``.
        self.display = f":{number}"

    def _read_display_number(self, fd: int, timeout: float) -> int:
        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            if not ready:
                raise EngineUnavailable(f"Xvfb gave no display number within {timeout:g}s")
            chunk = os.read(fd, 32)
            if not chunk:
                raise EngineUnavailable(f"Xvfb exited with status {self._process.poll()}")
            data += chunk
        return int(data.strip())

    def stop(self) -> None:
        """Stop the server."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
