"""`tend serve` under load: what one client can hold open, and what it leaves behind.

A real server (SQLite) driven over sockets: a request that never finishes its headers
is closed at the header timeout, a full server answers 503 with Retry-After, and the
SQLite file handles of a burst of streams, and of pages read meanwhile, are all given
back once they close.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import Server, run_server, server_env
from tests.live.test_two_servers import sign_up, start_relationship

HEADER_TIMEOUT = 1
IDLE_TIMEOUT = 2
MAX_STREAMS = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("tend-server-limits")
    env = server_env(
        data_dir,
        None,
        TEND_HEADER_TIMEOUT_SECONDS=str(HEADER_TIMEOUT),
        TEND_IDLE_CONNECTION_SECONDS=str(IDLE_TIMEOUT),
        TEND_MAX_STREAMS=str(MAX_STREAMS),
        TEND_STREAMS_PER_SESSION=str(MAX_STREAMS),
        TEND_STREAMS_PER_ACCOUNT=str(MAX_STREAMS),
        TEND_LOG_LEVEL="WARNING",
    )
    with run_server(env, data_dir / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def member(server: Server) -> Iterator[tuple[httpx.Client, int]]:
    with httpx.Client(base_url=server.url) as client:
        sign_up(client, "Ada")
        yield client, start_relationship(client, "Under load")


def _connect(server: Server) -> socket.socket:
    host, port = httpx.URL(server.url).host, httpx.URL(server.url).port
    sock = socket.create_connection((host, port), timeout=HEADER_TIMEOUT + 5)
    return sock


def _closed_within(sock: socket.socket) -> float:
    """Seconds until the server closes the connection (the test fails if it never does)."""
    started = time.monotonic()
    while sock.recv(4096):  # a timeout raises: the server held the connection
        pass
    return time.monotonic() - started


def test_a_half_sent_request_is_closed_at_the_header_timeout(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
        assert _closed_within(sock) < HEADER_TIMEOUT + 2
    # The client sees only a connection closed without an answer; the log says why.
    assert "header timeout: closed a connection" in server.log_tail()


def test_a_connection_that_sends_nothing_is_closed_too(server: Server) -> None:
    with _connect(server) as sock:
        assert _closed_within(sock) < HEADER_TIMEOUT + 2


def test_a_trickle_of_header_bytes_does_not_extend_the_deadline(server: Server) -> None:
    with _connect(server) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        with pytest.raises(OSError):  # broken pipe or reset, once the server has closed
            for _ in range(10 * HEADER_TIMEOUT + 20):
                sock.sendall(b"X-Slow: 1\r\n")
                time.sleep(0.1)
            assert sock.recv(4096) == b""
            raise BrokenPipeError
        assert time.monotonic() - started < HEADER_TIMEOUT + 2


def test_headers_past_the_size_limit_are_refused(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 70_000)
        reply = b""
        with pytest.raises(OSError):
            while chunk := sock.recv(4096):
                reply += chunk
            raise ConnectionResetError
        assert reply.startswith(b"HTTP/1.1 400")


def test_a_whole_request_is_answered_as_ever(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")


def test_a_websocket_upgrade_is_answered_as_the_plain_request_it_also_is(
    server: Server,
) -> None:
    # tend serves no WebSocket: uvicorn loads no WebSocket library (a tenth of a second
    # of every start) and neither fails the request nor tells the log to install one.
    with _connect(server) as sock:
        sock.sendall(
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
            b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        )
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    log = server.log_tail()
    assert "WebSocket" not in log
    assert "Traceback" not in log


@contextlib.contextmanager
def _server_stalled(server: Server) -> Iterator[None]:
    """The server's process stopped (SIGSTOP) for the block, then let go: a machine so
    busy that the server's own event loop runs seconds late, as at a load average of
    30-40, made certain. The kernel still takes what clients send meanwhile."""
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


def test_a_request_sent_in_time_is_answered_however_late_the_server_reads_it(
    server: Server,
) -> None:
    """The header deadline is the client's: headers that arrived in time count, even
    when the server's loop wakes past the deadline with them still unread (uvloop runs
    its due timers before it reads the sockets)."""
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)  # accepted, its deadline running
        with _server_stalled(server):
            sock.sendall(b"Connection: close\r\n\r\n")
            time.sleep(HEADER_TIMEOUT + 1.5)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")


def test_a_kept_alive_connection_s_next_request_is_answered_however_late(
    server: Server,
) -> None:
    """The same for the idle limit between two requests: a request sent before it ran
    out is answered, not lost with the connection (nginx does not send a form again)."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with _connect(server) as sock:
        sock.sendall(request)
        first = b""
        while not first.endswith(b"}"):  # the JSON body, after its headers
            first += sock.recv(4096)
        assert first.startswith(b"HTTP/1.1 200")
        with _server_stalled(server):
            sock.sendall(request)
            time.sleep(IDLE_TIMEOUT + 1.5)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")


class OpenStreams:
    """Streams opened at once from many threads, like a crowd of pages."""

    def __init__(self, server: Server, cookies: httpx.Cookies, path: str, count: int) -> None:
        self.open: list[tuple[httpx.Client, httpx.Response, Iterator[bytes]]] = []
        self.statuses: list[int] = []
        self.retry_after: list[str] = []
        self._lock = threading.Lock()
        barrier = threading.Barrier(count)

        def open_one() -> None:
            client = httpx.Client(base_url=server.url, cookies=cookies, timeout=30)
            barrier.wait()
            request = client.build_request("GET", path, headers={"Accept": "text/event-stream"})
            response = client.send(request, stream=True)
            chunks = response.iter_raw()
            if response.status_code == 200:
                next(chunks)  # its first words: it is open
            with self._lock:
                # Held, or the garbage collector closes the stream.
                self.open.append((client, response, chunks))
                self.statuses.append(response.status_code)
                if "Retry-After" in response.headers:
                    self.retry_after.append(response.headers["Retry-After"])

        threads = [threading.Thread(target=open_one) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    def close(self) -> None:
        for client, response, _chunks in self.open:
            response.close()
            client.close()


def test_a_full_server_answers_503_with_retry_after(
    server: Server, member: tuple[httpx.Client, int]
) -> None:
    client, relationship_id = member
    crowd = OpenStreams(server, client.cookies, f"/r/{relationship_id}/events/", MAX_STREAMS + 5)
    try:
        assert sorted(crowd.statuses) == [200] * MAX_STREAMS + [503] * 5
        assert all(int(seconds) > 0 for seconds in crowd.retry_after)
    finally:
        crowd.close()
    # Once they close there is room again.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with client.stream("GET", f"/r/{relationship_id}/events/") as response:
            if response.status_code == 200:
                break
        time.sleep(0.2)
    else:
        pytest.fail("no room for a stream after the others closed")


def _sqlite_handles(pid: int) -> int:
    fds = Path(f"/proc/{pid}/fd")
    count = 0
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        count += ".sqlite3" in target
    return count


def _sqlite_handles_at_rest(server: Server) -> int:
    """The SQLite handles the server still holds once it has given them back (or 15 s on)."""
    deadline = time.monotonic() + 15
    while (held := _sqlite_handles(server.process.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return held


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc (Linux)")
def test_a_burst_of_streams_gives_back_every_sqlite_handle(
    server: Server, member: tuple[httpx.Client, int]
) -> None:
    client, relationship_id = member
    crowd = OpenStreams(server, client.cookies, f"/r/{relationship_id}/events/", 30)
    assert crowd.statuses == [200] * 30
    crowd.close()

    # Between requests no connection stays open, so SQLite can close every handle.
    assert _sqlite_handles_at_rest(server) == 0


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc (Linux)")
def test_a_burst_of_pages_and_streams_gives_back_every_sqlite_handle(
    server: Server, member: tuple[httpx.Client, int]
) -> None:
    # Page threads keep their connections while others wait (tend.core.handler):
    # once no page is being answered, those must be closed too.
    client, relationship_id = member
    crowd = OpenStreams(server, client.cookies, f"/r/{relationship_id}/events/", 10)
    statuses: list[int] = []
    barrier = threading.Barrier(20)

    def read_pages() -> None:
        with httpx.Client(base_url=server.url, cookies=client.cookies, timeout=30) as reader:
            barrier.wait()
            for _ in range(10):
                statuses.append(reader.get(f"/r/{relationship_id}/").status_code)

    readers = [threading.Thread(target=read_pages) for _ in range(20)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=60)
    crowd.close()
    assert statuses == [200] * 200

    assert _sqlite_handles_at_rest(server) == 0
