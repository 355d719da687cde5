"""Real `tend serve` processes for the end-to-end and multi-instance tests.

Plain code, no fixtures: tests/e2e/conftest.py and tests/live/test_two_servers.py
build their fixtures from it. Each server is a subprocess on a free port, with its own
data folder (SQLite) or a fresh PostgreSQL database made for the run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

# Migrations plus a cold Python start on a busy 2-core machine can be slow.
# A fresh data folder is migrated before the first answer: under a loaded machine that
# has taken over a minute. TEND_TEST_START_TIMEOUT overrides it.
START_TIMEOUT = float(os.environ.get("TEND_TEST_START_TIMEOUT", "180"))


@dataclass
class Server:
    url: str
    log_path: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(repr=False)

    @property
    def origin(self) -> str:
        return self.url

    def log_tail(self, lines: int = 200) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(cannot read {self.log_path}: {error})"
        return "\n".join(text.splitlines()[-lines:])


class ServerFailedToStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextlib.contextmanager
def fresh_database(base_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `base_url`; dropped afterwards."""
    import psycopg
    from psycopg import sql

    # A prefix of one's own (TEND_FRESH_DB_PREFIX) tells runs sharing a server apart.
    name = f"{os.environ.get('TEND_FRESH_DB_PREFIX', 'tend_e2e')}_{secrets.token_hex(6)}"
    maintenance = _with_dbname(base_url, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_dbname(base_url, name)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def server_env(data_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # The test run's own settings must not leak into the server; its collected
        # static files may (tests/conftest.py), so that no server collects them again.
        if key == "TEND_STATIC_ROOT"
        or (not key.startswith(("TEND_", "DJANGO_", "PYTEST_")) and key != "DATABASE_URL")
    }
    env["TEND_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> str | None:
    """None once /healthz answers 200; otherwise why not."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"the server exited with status {process.returncode}"
        try:
            response = httpx.get(f"{url}/healthz", timeout=2)
            if response.status_code == 200:
                return None
            last = f"/healthz answered {response.status_code}"
        except httpx.HTTPError as error:
            last = f"/healthz: {error!r}"
        time.sleep(0.2)
    return f"no healthy answer within {timeout:.0f}s ({last})"


def stop(server: Server) -> None:
    process = server.process
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextlib.contextmanager
def run_server(
    env: dict[str, str],
    log_path: Path,
    *,
    extra_args: tuple[str, ...] = (),
    timeout: float = START_TIMEOUT,
    attempts: int = 3,
) -> Iterator[Server]:
    """Starts `tend serve` and yields it once /healthz answers; stops it afterwards.

    A port taken between choosing and binding it is retried with another port.
    """
    server: Server | None = None
    problem = ""
    for _attempt in range(attempts):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with log_path.open("ab") as log:
            log.write(f"\n===== tend serve on {url}\n".encode())
            log.flush()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tend.cli",
                    "serve",
                    "--port",
                    str(port),
                    "--graceful-timeout",
                    "1",
                    *extra_args,
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        candidate = Server(url=url, log_path=log_path, process=process, env=env)
        why = _wait_healthy(url, process, timeout)
        if why is None:
            server = candidate
            break
        stop(candidate)
        problem = why
        if "address already in use" not in candidate.log_tail(40).lower():
            break
    if server is None:
        tail = Server(url="", log_path=log_path, process=process, env=env).log_tail()
        raise ServerFailedToStart(
            f"tend serve did not start: {problem}\n--- server log ---\n{tail}"
        )
    try:
        yield server
    finally:
        stop(server)
