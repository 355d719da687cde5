"""What the stress suites share: real `tend serve` processes, people acting over HTTP,
the event-log check, the list of known failures, and the one-line result each suite prints.

Servers are started with the end-to-end tests' own pieces (tests/e2e/servers.py): a
subprocess on a free loopback port, SQLite in a temporary data folder or a fresh
PostgreSQL database made for the run and dropped afterwards. Every loop is bounded in
count and in time; nothing leaves the loopback interface.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.servers import (  # noqa: E402
    _wait_healthy,
    free_port,
    fresh_database,
    server_env,
)
from tests.sealed import sealed  # noqa: E402

from stress.known import known_finding  # noqa: E402

PASSWORD = "a calm long walk"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESULT_PREFIX = "STRESS-RESULT "


def env_int(name: str, default: int) -> int:
    """A count from the environment (the issue's numbers are the defaults)."""
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def postgres_base() -> str:
    """The PostgreSQL server to make fresh databases on (any database name in it)."""
    return os.environ.get("STRESS_POSTGRES_URL", DEFAULT_POSTGRES)


# --- Results -----------------------------------------------------------------------------


@dataclass
class Result:
    """What one suite on one database found: counts, and failures sorted into known
    (listed in stress/known.py, with the finding's name) and new."""

    suite: str
    database: str
    counts: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    known: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    def fail(self, signature: str, example: str = "") -> None:
        """Records one failure; `signature` is what stress/known.py matches against."""
        finding = known_finding(self.suite, signature)
        if finding:
            self.known[finding] = self.known.get(finding, 0) + 1
            self.examples.setdefault(finding, signature + (f"\n{example}" if example else ""))
            return
        if signature not in self.failures:
            self.failures.append(signature)
            if example:
                self.examples[signature] = example

    @property
    def ok(self) -> bool:
        return not self.failures

    def emit(self) -> None:
        """Prints the result for humans, then as one JSON line for stress/run.py."""
        print(f"\n== {self.suite} on {self.database}")
        for name, value in self.counts.items():
            print(f"   {name}: {value:g}" if isinstance(value, float) else f"   {name}: {value}")
        for finding, times in sorted(self.known.items()):
            print(f"   KNOWN {finding}: {times} time(s); e.g. {self.examples[finding][:300]}")
        for signature in self.failures:
            print(f"   FAILED {signature}")
            if signature in self.examples:
                print("      " + self.examples[signature][:1500].replace("\n", "\n      "))
        print(RESULT_PREFIX + json.dumps(self.__dict__), flush=True)


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


# --- Servers -----------------------------------------------------------------------------


class TendServer:
    """One `tend serve` on a port that stays the same across restarts, so that clients
    (and their session cookies, which live in the database) carry on after a kill -9.

    With `forked`, each start after the first is a fork of stress/zygote.py, which has
    imported everything once: a restart takes a fraction of a second."""

    def __init__(
        self, data_dir: Path, database_url: str | None, *, forked: bool = False, **env: str
    ) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.env = server_env(
            data_dir,
            database_url,
            TEND_LOG_LEVEL=env.pop("TEND_LOG_LEVEL", "WARNING"),
            TEND_SERVER_LOG_LEVEL=env.pop("TEND_SERVER_LOG_LEVEL", "warning"),
            **env,
        )
        self.log_path = data_dir / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.forked = forked
        self.process: subprocess.Popen[bytes] | None = None
        self.zygote: subprocess.Popen[str] | None = None
        self.zygote_ready = False
        self.child = 0
        self.starts = 0
        self.in_flight_after_kill = 0  # kills after which PostgreSQL was still at work

    def _args(self) -> list[str]:
        args = ["serve", "--port", str(self.port), "--graceful-timeout", "1"]
        return [*args, "--no-migrate"] if self.starts else args

    def start(self, timeout: float = 240.0) -> float:
        """Starts the server (migrating only the first time); returns seconds to healthy.

        A first start imports everything and migrates a fresh database: 84 s at a load
        average of 15 on this 2-core machine (1 December 2026), past the 90 s allowed
        before at the next busier moment. Only the harness's patience; no limit of tend."""
        began = time.monotonic()
        with self.log_path.open("ab") as log:
            log.write(f"\n===== tend serve start {self.starts + 1} on {self.url}\n".encode())
        if self.forked and self.starts:
            why = self._fork(timeout)
        else:
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "tend.cli", *self._args()],
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            why = _wait_healthy(self.url, self.process, timeout)
            if why is None and self.forked:
                # It imports while the first server works; only now, once the first
                # server has made the data folder's keys, which the fork server reads.
                self._spawn_zygote()
        if why is not None:
            self.stop()
            raise RuntimeError(f"tend serve did not start: {why}\n{self.log_tail()}")
        self.starts += 1
        return time.monotonic() - began

    def _spawn_zygote(self) -> None:
        self.zygote = subprocess.Popen(
            [sys.executable, str(ROOT / "stress" / "zygote.py"), str(self.log_path)],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.zygote_ready = False

    def _fork(self, timeout: float) -> str | None:
        if self.zygote is None:
            self._spawn_zygote()
        assert self.zygote is not None and self.zygote.stdout is not None
        if not self.zygote_ready:
            if self.zygote.stdout.readline().strip() != "ready":
                return "the fork server did not start"
            self.zygote_ready = True
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write(" ".join(self._args()) + "\n")
        self.zygote.stdin.flush()
        self.child = int(self.zygote.stdout.readline())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._alive(self.child):
                return "the forked server exited"
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return None
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        return f"no healthy answer within {timeout:.0f}s"

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"

    def kill9(self) -> None:
        if self.child:
            os.kill(self.child, signal.SIGKILL)
            while self._alive(self.child):
                time.sleep(0.01)
            self.child = 0
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def settle(self, timeout: float = 30.0) -> str | None:
        """Waits, after a kill, until the database has nothing of the dead server left in
        flight; None once settled, otherwise what is still there.

        A killed process takes its SQLite writes with it, but PostgreSQL goes on with
        whatever its backend had already received: a COMMIT sent a moment before the
        kill lands a moment after it. Read too early, a check sees that write appear
        between two of its own queries (one more row than the rows it listed: what
        once looked like a write recorded twice). So: no backend on this database in a
        transaction or a statement (an idle one, such as the checker's own pooled
        connection, holds nothing)."""
        if not self.database_url:
            return None
        import psycopg

        query = (
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state <> 'idle'"
        )
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            for attempt in itertools.count():
                row = conn.execute(query).fetchone()
                left = row[0] if row else 0
                if not left:
                    return None
                if attempt == 0:
                    self.in_flight_after_kill += 1
                if time.monotonic() > deadline:
                    return f"{left} backend(s) of the killed server still busy after {timeout:.0f}s"
                time.sleep(0.05)
        return None

    def stop(self) -> None:
        if self.child and self._alive(self.child):
            os.kill(self.child, signal.SIGTERM)
            deadline = time.monotonic() + 15
            while self._alive(self.child) and time.monotonic() < deadline:
                time.sleep(0.05)
            if self._alive(self.child):
                os.kill(self.child, signal.SIGKILL)
        self.child = 0
        if self.zygote is not None:
            assert self.zygote.stdin is not None
            self.zygote.stdin.close()
            try:
                self.zygote.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.zygote.kill()
                self.zygote.wait(timeout=5)
            self.zygote = None
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    @property
    def pid(self) -> int:
        if self.child:
            return self.child
        assert self.process is not None
        return self.process.pid

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def tracebacks(self) -> list[str]:
        """Each traceback or ERROR block the server logged: none is expected."""
        text = self.log_text()
        blocks = []
        for match in re.finditer(r"(?m)^(?:Traceback|ERROR|.*\bERROR\b).*$", text):
            blocks.append(text[match.start() : match.start() + 2500])
        return blocks


@contextlib.contextmanager
def data_folder(database: str) -> Iterator[tuple[Path, str | None]]:
    """A temporary data folder, and a fresh PostgreSQL database when `database` asks."""
    with tempfile.TemporaryDirectory(prefix="tend-stress-") as folder:
        if database == "postgres":
            with fresh_database(postgres_base()) as url:
                yield Path(folder), url
        else:
            yield Path(folder), None


@contextlib.contextmanager
def tend_server(database: str, **env: str) -> Iterator[TendServer]:
    with data_folder(database) as (folder, url):
        server = TendServer(folder, url, **env)
        server.start()
        try:
            yield server
        finally:
            server.stop()


# --- The event log, read straight from the database -------------------------------------


def event_log(server: TendServer) -> dict[int, list[tuple[int, str, int | None, int | None]]]:
    """Every relationship's events as (seq, kind, actor, subject), in seq order."""
    query = (
        "SELECT relationship_id, seq, kind, actor_id, subject_id FROM live_event "
        "ORDER BY relationship_id, seq"
    )
    rows: list[tuple[int, int, str, int | None, int | None]]
    if server.database_url:
        import psycopg

        with psycopg.connect(server.database_url) as conn:
            rows = conn.execute(query).fetchall()
    else:
        import sqlite3

        conn = sqlite3.connect(server.data_dir / "tend.sqlite3", timeout=30)
        try:
            rows = conn.execute(query).fetchall()
        finally:
            conn.close()
    log: dict[int, list[tuple[int, str, int | None, int | None]]] = {}
    for relationship, seq, kind, actor, subject in rows:
        log.setdefault(relationship, []).append((seq, kind, actor, subject))
    return log


def last_seqs(server: TendServer) -> dict[int, int]:
    query = "SELECT id, last_seq FROM gardens_relationship"
    if server.database_url:
        import psycopg

        with psycopg.connect(server.database_url) as conn:
            return dict(conn.execute(query).fetchall())
    import sqlite3

    conn = sqlite3.connect(server.data_dir / "tend.sqlite3", timeout=30)
    try:
        return dict(conn.execute(query).fetchall())
    finally:
        conn.close()


def gaps(server: TendServer) -> list[str]:
    """What is wrong with the log: each relationship's seqs must be 1..N, N = last_seq."""
    problems = []
    counters = last_seqs(server)
    log = event_log(server)
    for relationship, last in counters.items():
        seqs = [event[0] for event in log.get(relationship, [])]
        if seqs != list(range(1, last + 1)):
            missing = sorted(set(range(1, last + 1)) - set(seqs))[:10]
            problems.append(
                f"relationship {relationship}: last_seq {last}, {len(seqs)} events, "
                f"missing {missing}"
            )
    return problems


# --- People over HTTP --------------------------------------------------------------------

# A 503 with Retry-After (tend.core.busy: no turn to write in time, nothing saved) is
# sent again after that wait, at most this many times; one more 503 is a failure.
BUSY_RESENDS = 5
# tend serve's TEND_HEADER_TIMEOUT_SECONDS (its default, which the suites keep): a
# connection this client left unused longer may be closed by the server, rightly.
HEADER_TIMEOUT_SECONDS = 10
STALL_RESENDS = 3


class Refusal(RuntimeError):
    """An answer a script did not expect."""


def _tracer(moments: dict[str, float]) -> Callable[[str, object], Awaitable[None]]:
    """An httpcore trace hook that notes when each step of a request first happened."""

    async def trace(event: str, info: object) -> None:
        moments.setdefault(event, time.monotonic())

    return trace


def _connected_idle(moments: dict[str, float]) -> float:
    connected = moments.get("connection.connect_tcp.complete")
    sending = moments.get("http11.send_request_headers.started")
    return sending - connected if connected is not None and sending is not None else 0.0


class ConnectionTrouble(Exception):
    """A request whose connection failed, with when each part of it happened: whether
    the request ever went out, and how long its connection sat open, unused, first."""

    def __init__(
        self,
        method: str,
        path: str,
        error: httpx.TransportError,
        began: float,
        moments: dict[str, float],
    ) -> None:
        failed = time.monotonic()
        steps = ", ".join(f"{event} +{at - began:.1f}s" for event, at in moments.items())
        super().__init__(
            f"{method} {path}: {error!r} after {failed - began:.1f}s; connection open "
            f"{_connected_idle(moments):.1f}s before the request went out; {steps}"
        )
        self.idle = _connected_idle(moments)


class AsyncPerson:
    """One person's browser over httpx (asyncio): a cookie jar and a CSRF token.

    Every request is timed (`latencies`) and every answer of 500 or more is recorded
    (`server_errors`), whatever the caller then does with it."""

    def __init__(self, base_url: str, name: str, *, timeout: float = 60.0) -> None:
        self.name = name
        self.email = f"{name.lower()}-{secrets.token_hex(4)}@stress.test"
        # No keep-alive: a request can go out on a connection the server is closing that
        # very moment ("Server disconnected without sending a response", or a reset),
        # which a browser retries by itself and httpx does not. Dropping idle connections
        # after 1 s was not enough: at a load average of 30-40 this client and the server
        # see each answer seconds late, past uvicorn's 5 s keep-alive (a SQLite load run
        # lost most couples to it, with no error on the server's side).
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self.csrf = ""
        self.latencies: list[float] = []
        self.server_errors: list[str] = []
        self.busy = 0  # 503 "busy, send again after Retry-After" answers, each resent
        # Per request: seconds between this client's connection being open and the
        # request's first byte going out on it (the client's own lag, not the server's).
        self.connected_idle: list[float] = []
        # Requests sent again because this client sat on their connection past the
        # server's header timeout (see _send): the client's fault, counted, not hidden.
        self.stalled = 0

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _send(self, method: str, path: str, kwargs: dict[str, object]) -> httpx.Response:
        for attempt in range(STALL_RESENDS + 1):
            began = time.monotonic()
            moments: dict[str, float] = {}
            try:
                response = await self.client.request(
                    method,
                    path,
                    extensions={"trace": _tracer(moments)},
                    **kwargs,  # type: ignore[arg-type]
                )
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
                trouble = ConnectionTrouble(method, path, error, began, moments)
                if trouble.idle < HEADER_TIMEOUT_SECONDS or attempt == STALL_RESENDS:
                    raise trouble from error
                # This client (its process starved of CPU) left the connection unused
                # past the server's header timeout, which closed it, as it may: the
                # request never reached tend. A browser sends the same again when a
                # connection it opened ahead is closed unused; so does this client.
                self.stalled += 1
                continue
            except httpx.TransportError as error:
                raise ConnectionTrouble(method, path, error, began, moments) from error
            self.connected_idle.append(_connected_idle(moments))
            return response
        raise AssertionError("unreachable")

    async def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        for resend in range(BUSY_RESENDS + 1):
            began = time.monotonic()
            response = await self._send(method, path, kwargs)
            self.latencies.append(time.monotonic() - began)
            wait = response.headers.get("Retry-After", "")
            if response.status_code != 503 or not wait.isdigit() or resend == BUSY_RESENDS:
                break
            # Too busy to write just now; nothing was saved. As the page asks the
            # person: wait as long as it says, then send the same again.
            self.busy += 1
            await asyncio.sleep(int(wait))
        if response.status_code >= 500:
            self.server_errors.append(f"{method} {path} -> {response.status_code}")
        match = (
            _CSRF.search(response.text)
            if "text/html" in response.headers.get("content-type", "")
            else None
        )
        if match:
            self.csrf = match.group(1)
        return response

    async def get(self, path: str, *, htmx: bool = False) -> httpx.Response:
        headers = {"HX-Request": "true"} if htmx else {}
        return await self.request("GET", path, headers=headers)

    async def post(
        self, path: str, data: dict[str, object] | None = None, *, htmx: bool = False
    ) -> httpx.Response:
        headers = {"X-CSRFToken": self.csrf}
        if htmx:
            headers["HX-Request"] = "true"
        return await self.request(
            "POST", path, data={**(data or {}), "csrfmiddlewaretoken": self.csrf}, headers=headers
        )

    async def expect(self, response: httpx.Response, *statuses: int) -> httpx.Response:
        if response.status_code not in statuses:
            raise Refusal(
                f"{self.name}: {response.request.method} {response.request.url.path} answered "
                f"{response.status_code}, not {statuses}: {response.text[:300]!r}"
            )
        return response

    async def sign_up(self) -> None:
        await self.get("/signup/")
        response = await self.post(
            "/signup/", {"display_name": self.name, "email": self.email, "password": PASSWORD}
        )
        await self.expect(response, 302)
        await self.get("/home/")  # signing in rotates the CSRF secret

    async def create_relationship(self, name: str) -> int:
        response = await self.expect(
            await self.post("/r/new/", {"name": name, "kind": "friend"}), 302
        )
        match = re.fullmatch(r"/r/(\d+)/", response.headers.get("location", ""))
        if not match:
            raise Refusal(f"creating a relationship led to {response.headers.get('location')}")
        return int(match.group(1))

    async def invitation_path(self, relationship_id: int) -> str:
        response = await self.expect(await self.post(f"/r/{relationship_id}/invitations/"), 200)
        match = re.search(r'<input[^>]*id="invite-url"[^>]*value="([^"]+)"', response.text)
        if not match:
            raise Refusal("the invitation page names no link")
        return httpx.URL(html.unescape(match.group(1))).path

    async def accept(self, invitation_path: str) -> None:
        await self.expect(await self.post(invitation_path), 302)

    async def open_repair(self, relationship_id: int) -> int:
        response = await self.post(f"/r/{relationship_id}/repairs/open/", {"opening": "hurt"})
        await self.expect(response, 302)
        match = re.match(rf"/r/{relationship_id}/repairs/(\d+)/", response.headers["location"])
        if not match:
            raise Refusal(f"opening a repair led to {response.headers['location']}")
        return int(match.group(1))

    async def feel_safe(self, relationship_id: int) -> None:
        """Answers the safety question "yes", as the page's script posts it: the answer
        sealed on the device, and `proceed` because that answer goes on."""
        answer = {"sealed": sealed(), "proceed": "on"}
        await self.expect(await self.post(f"/r/{relationship_id}/safety/", answer), 302)


async def couple(base_url: str, tag: str) -> tuple[AsyncPerson, AsyncPerson, int]:
    """Two people who signed up; the first made a relationship the second joined."""
    first = AsyncPerson(base_url, f"A{tag}")
    second = AsyncPerson(base_url, f"B{tag}")
    await first.sign_up()
    await second.sign_up()
    relationship = await first.create_relationship(f"Garden {tag}")
    await second.accept(await first.invitation_path(relationship))
    return first, second, relationship


async def ready_repair(
    first: AsyncPerson, second: AsyncPerson, relationship: int
) -> tuple[int, str]:
    """A repair both joined, with both safe and ready: step 5 has begun. Returns the
    repair id and its path."""
    repair = await first.open_repair(relationship)
    path = f"/r/{relationship}/repairs/{repair}/"
    await second.expect(await second.post(path + "join/"), 302)
    for person in (first, second):
        await person.feel_safe(relationship)
        await person.expect(await person.post(path + "ready/", {"ready": "yes"}), 302)
    return repair, path


def form_value(page: str, name: str) -> str:
    """The value of the first input called `name` on a page (a proposal, a turn…)."""
    match = re.search(rf'name="{name}" value="(\d+)"', page)
    if not match:
        raise Refusal(f"no {name} on the page")
    return match.group(1)


def speakers(page: str) -> dict[str, str]:
    """The first-speaker choices on the stage: display name -> participation id."""
    return {
        name.strip(): pk
        for pk, name in re.findall(r'name="speaker" value="(\d+)"[^>]*>\s*([^<]+)</label>', page)
    }


def phase_of(page: str) -> str:
    match = re.search(r'name="phase" value="([a-z_]*)"', page)
    return match.group(1) if match else ""


def sql(server: TendServer, query: str, params: Sequence[object] = ()) -> list[tuple]:
    """Rows of one query on the server's database (write %s for parameters)."""
    if server.database_url:
        import psycopg

        with psycopg.connect(server.database_url) as conn:
            return conn.execute(query, params).fetchall()  # type: ignore[arg-type]
    import sqlite3

    conn = sqlite3.connect(server.data_dir / "tend.sqlite3", timeout=30)
    try:
        return conn.execute(query.replace("%s", "?"), params).fetchall()
    finally:
        conn.close()
