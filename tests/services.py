"""Real services for the tests, started by the suite: PostgreSQL, Redis and nginx.

Each starter:

1. uses the server the developer named in an environment variable, if any
   (``HAVEN_TEST_POSTGRES_URL``, ``HAVEN_TEST_REDIS_URL``);
2. else finds the Debian package's server binary, installing the package with
   apt-get when it is missing and we are root (a fresh CI machine);
3. starts it on a free loopback port with its data in a temporary folder,
   waits until it answers, and stops it and deletes everything afterwards.

Where none of that is possible it raises :class:`ServiceUnavailable` with the
reason; the fixtures turn that into a skip, which ``-ra`` prints, so a
storage test is never skipped silently.
"""

from __future__ import annotations

import contextlib
import getpass
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# Installing a package and starting a server are bounded: a hung apt-get or a
# server that never answers fails the set-up instead of the whole run.
APT_TIMEOUT_SECONDS = 600
START_TIMEOUT_SECONDS = 30


class ServiceUnavailable(RuntimeError):
    """The service cannot be had on this machine; the message says why."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def apt_install(package: str) -> None:
    """Install a Debian package (root only), saying so, or raise ServiceUnavailable."""
    if not (_is_root() and shutil.which("apt-get")):
        raise ServiceUnavailable(
            f"{package} is not installed and this is not a root shell with apt-get "
            f"(install it with: sudo apt-get install {package})"
        )
    print(f"services: installing Debian's {package} package", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    try:
        # A fresh machine's package lists may be empty or old: update once first.
        subprocess.run(
            ["apt-get", "update", "-q", *lock],
            check=True,
            env=env,
            timeout=APT_TIMEOUT_SECONDS,
            capture_output=True,
        )
        subprocess.run(
            ["apt-get", "install", "-y", "-q", *lock, package],
            check=True,
            env=env,
            timeout=APT_TIMEOUT_SECONDS,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as error:
        raise ServiceUnavailable(f"apt-get install {package} failed: {error}") from error


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceUnavailable(f"{what} exited with status {process.returncode} at start")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise ServiceUnavailable(f"{what} did not answer on port {port} in {START_TIMEOUT_SECONDS} s")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a server we started: politely, then for certain after 10 s."""
    if process is None:
        return
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    if process.poll() is None:
        process.kill()


# -- PostgreSQL -------------------------------------------------------------------------


def _postgres_bin() -> Path:
    def newest() -> Path | None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
        return Path(found[-1]).parent if found else None

    folder = newest()
    if folder is None:
        apt_install("postgresql")
        folder = newest()
    if folder is None:
        raise ServiceUnavailable("Debian's postgresql package installed no initdb")
    return folder


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


INITDB_FLAGS = ("--auth=trust", "-E", "UTF8", "--no-sync")
# Loopback only; fsync off because the data is thrown away and the tests
# measure behaviour, not durability.
SERVER_FLAGS = ("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields a SQLAlchemy URL for an empty database."""
    given = os.environ.get("HAVEN_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    folder = _postgres_bin()
    data = Path(tempfile.mkdtemp(prefix="haven-pg-"))
    run_as: list[str] = []
    if _is_root():
        # PostgreSQL refuses to run as root; Debian's package made a `postgres` user.
        shutil.chown(data, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    process: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(
            [*run_as, str(folder / "initdb"), "-D", str(data / "db"), "-U", "haven", *INITDB_FLAGS],
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT_SECONDS * 2,
        )
        process = subprocess.Popen(
            [
                *run_as,
                str(folder / "postgres"),
                "-D",
                str(data / "db"),
                "-p",
                str(port),
                "-k",
                str(data),
                *SERVER_FLAGS,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(port, process, "postgres")
        _create_database(folder, run_as, port)
        yield f"postgresql+psycopg://haven@127.0.0.1:{port}/haven_test"
    except subprocess.SubprocessError as error:
        raise ServiceUnavailable(f"could not start PostgreSQL: {error}") from error
    finally:
        _stop(process)
        shutil.rmtree(data, ignore_errors=True)


def _create_database(folder: Path, run_as: list[str], port: int) -> None:
    # The port answers a moment before the server accepts logins; retry briefly.
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        result = subprocess.run(
            [
                *run_as,
                str(folder / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "haven",
                "haven_test",
            ],
            capture_output=True,
            timeout=START_TIMEOUT_SECONDS,
        )
        if result.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise ServiceUnavailable(f"createdb failed: {result.stderr.decode(errors='replace')}")
        time.sleep(0.1)


# -- Redis ------------------------------------------------------------------------------


@contextlib.contextmanager
def redis() -> Iterator[str]:
    """A throwaway Redis server on loopback; yields ``redis://127.0.0.1:<port>/0``.

    No persistence: the tests measure counting across workers and restarts of
    the *workers*, not of Redis itself.
    """
    given = os.environ.get("HAVEN_TEST_REDIS_URL")
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        apt_install("redis-server")
        binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceUnavailable("Debian's redis-server package installed no redis-server")
    data = Path(tempfile.mkdtemp(prefix="haven-redis-"))
    port = free_port()
    process: subprocess.Popen[bytes] | None = None
    try:
        process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(data),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)
        shutil.rmtree(data, ignore_errors=True)


# -- nginx ------------------------------------------------------------------------------

_NGINX_MAIN = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
daemon off;
{user}
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


@contextlib.contextmanager
def nginx(site_conf: str) -> Iterator[str]:
    """Debian's nginx on a free loopback port, serving ``site_conf``; yields its URL.

    ``site_conf`` is what a site puts in ``/etc/nginx/conf.d/`` (the inside of
    the ``http`` block); its ``listen 80;`` is moved to the free port and its
    cache folder ``/var/cache/nginx/haven`` into a temporary folder, so the
    file a test runs is the recipe a deployment copies. ``HAVEN_TEST_NGINX``
    names another nginx binary.
    """
    binary = os.environ.get("HAVEN_TEST_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        apt_install("nginx")
    if not Path(binary).exists():
        raise ServiceUnavailable("Debian's nginx package installed no nginx")
    tmp = Path(tempfile.mkdtemp(prefix="haven-nginx-"))
    port = free_port()
    # As root, nginx's workers would switch to `nobody`, who cannot use our folder.
    user = f"user {getpass.getuser()};" if _is_root() else ""
    (tmp / "site.conf").write_text(
        site_conf.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
            "/var/cache/nginx/haven", str(tmp / "cache")
        ),
        encoding="utf-8",
    )
    (tmp / "nginx.conf").write_text(_NGINX_MAIN.format(tmp=tmp, user=user), encoding="utf-8")
    process: subprocess.Popen[bytes] | None = None
    try:
        process = subprocess.Popen(
            [binary, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port, process, "nginx")
        except ServiceUnavailable as error:
            log = (
                (tmp / "error.log").read_text(errors="replace")
                if (tmp / "error.log").exists()
                else ""
            )
            raise ServiceUnavailable(f"{error}: {log[-2000:]}") from error
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
        shutil.rmtree(tmp, ignore_errors=True)
