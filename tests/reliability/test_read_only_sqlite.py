"""The SQLite files turn read-only under gunicorn with two workers (issue 17, row 6).

Seen: one worker died with SIGBUS, and after the files were writable again
writes failed about half the time for over a minute, until a restart.

The files are made read-only with ``chattr +i`` (immutable), because that
reproduces the fault honestly, as root too: the mode bits do not stop root,
and a chmod never affects a file descriptor that is already open. With the
immutable flag the kernel refuses every write, even through descriptors and
memory maps opened before, which is what a file system remounted read-only
after a disk error does too. In WAL mode each connection maps the ``-shm``
index into memory; ext4 answers a write fault on an immutable file's map
with SIGBUS, which is how the worker died. (A read-only bind mount cannot
be applied while the workers hold the files open for writing, and SQLite's
own read-only open, ``mode=ro``, is tested in test_db_faults.py: it starts
read-only rather than turning so under a running site.)
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import servers
from demo_app import create_app
from flask_haven.db import get_engine

from ..conftest import parse
from .forms import TECHNICAL_PROBLEM, feedback_post

POSTS = 6


class Immutable:
    """Sets and clears ``chattr +i`` on the database's files; always cleared at the end."""

    def __init__(self, db: Path) -> None:
        self.files = [str(db), f"{db}-wal", f"{db}-shm"]

    def _chattr(self, flag: str) -> None:
        present = [name for name in self.files if Path(name).exists()]
        subprocess.run(["chattr", flag, *present], check=True, capture_output=True)

    def on(self) -> None:
        self._chattr("+i")

    def off(self) -> None:
        self._chattr("-i")


@pytest.fixture
def writable_instance(tmp_path: Path) -> Iterator[Path]:
    """An instance folder whose database exists, on a file system with ``chattr +i``."""
    path = tmp_path / "instance"
    with create_app({"INSTANCE_PATH": str(path)}).app_context():
        get_engine().dispose()
    probe = path / "probe"
    probe.touch()
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    result = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot make a file immutable here: {result.stderr.strip()}")
    subprocess.run(["chattr", "-i", str(probe)], check=True)
    yield path


def _rows(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [text for (text,) in connection.execute("SELECT text FROM haven_feedback")]


def _send(server: servers.Server, text: str) -> servers.Reply:
    try:
        return feedback_post(text)(server)
    except OSError as error:  # an empty response: the worker died under the request
        pytest.fail(f"no response to a feedback post ({error!r}): a worker was killed")


def _assert_error_notice_with_text_kept(reply: servers.Reply, text: str) -> None:
    assert reply.status == 503, f"{reply.status} for a post the database could not store"
    page = parse(reply.body)
    alerts = [" ".join(a.get_text().split()) for a in page.select('[role="alert"]')]
    assert any(TECHNICAL_PROBLEM in alert for alert in alerts), alerts
    textarea = page.find("textarea")
    assert textarea is not None and textarea.get_text() == text, "what was typed was lost"
    assert reply.seconds < 5, f"took {reply.seconds:.1f}s"


def test_read_only_files_give_the_error_notice_and_writes_resume_at_once(
    writable_instance: Path,
) -> None:
    instance = writable_instance
    db = instance / "haven.sqlite3"
    immutable = Immutable(db)
    config = {"INSTANCE_PATH": str(instance), "HAVEN_FEEDBACK_RATE_LIMIT": None}
    with servers.gunicorn(config, workers=2) as server:
        try:
            # Both workers hold pooled connections with the WAL index mapped.
            warm = [_send(server, f"Before {n}") for n in range(POSTS)]
            assert all(r.headers.get("location", "").endswith("/thanks") for r in warm)
            workers = sorted(server.worker_pids())

            immutable.on()
            for n in range(POSTS):
                text = f"While read-only {n}: the hearing loop page was out of date."
                _assert_error_notice_with_text_kept(_send(server, text), text)
            assert servers.request(server, "GET", "/").status == 200
            assert sorted(server.worker_pids()) == workers, "a worker died"

            immutable.off()
            writable_at = time.monotonic()
            after = [_send(server, f"After {n}") for n in range(POSTS)]
            statuses = [r.headers.get("location", str(r.status)) for r in after]
            assert all(s.endswith("/thanks") for s in statuses), (
                f"writes still fail after the files are writable again: {statuses}"
            )
            assert time.monotonic() - writable_at < 10
            assert sorted(server.worker_pids()) == workers, "a worker died"
        finally:
            immutable.off()
    log = server.log.read_text(errors="replace")
    assert "SIGBUS" not in log and "was sent" not in log, log[-2000:]
    expected = [f"Before {n}" for n in range(POSTS)] + [f"After {n}" for n in range(POSTS)]
    assert _rows(db) == expected, "a failed post was stored, or a thanked one lost"
