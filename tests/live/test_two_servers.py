"""Two app instances on one PostgreSQL: a change made through one reaches a live
stream served by the other (DESIGN: "Scale"), and a stream resumed from
`Last-Event-ID` replays the log in order without gaps.

Real `tend serve` processes on a fresh database, driven over HTTP with httpx, the way
browsers on two phones would reach two instances behind a load balancer.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import queue
import re
import secrets
import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.servers import Server, fresh_database, run_server, server_env

PASSWORD = "a calm long walk"
# How long an event may take to cross from one instance to the other.
ARRIVAL_TIMEOUT = 10.0
# Longer than the test: an event that arrives in time came through LISTEN/NOTIFY, not
# through the stream's periodic re-read at keep-alive.
KEEPALIVE_SECONDS = "120"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        pytest.skip("runs in the PostgreSQL pass of make test")
    data_dir = tmp_path_factory.mktemp("tend-two-servers")
    with fresh_database(base_url) as database_url:
        env = server_env(
            data_dir,
            database_url,
            # One site behind a load balancer: both instances share the secret key.
            TEND_SECRET_KEY=secrets.token_urlsafe(50),
            TEND_KEEPALIVE_SECONDS=KEEPALIVE_SECONDS,
            TEND_LOG_LEVEL="WARNING",
        )
        # One after the other, so that only the first applies the migrations.
        with (
            run_server(env, data_dir / "one.log") as one,
            run_server(env, data_dir / "two.log") as two,
        ):
            yield one, two


@contextlib.contextmanager
def logs_on_failure(servers: tuple[Server, Server]) -> Iterator[None]:
    """Prints both servers' logs (shown with the failure) when the block fails."""
    try:
        yield
    except BaseException:
        for name, server in zip(("one", "two"), servers, strict=True):
            print(f"--- server {name} log ---\n{server.log_tail()}")
        raise


# HTTP, the way a browser fills in tend's forms.


def _csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submit(
    client: httpx.Client, path: str, data: dict[str, str], action: str | None = None
) -> httpx.Response:
    """GETs the form page, then POSTs the form with its CSRF token."""
    page = client.get(path)
    assert page.status_code == 200, f"GET {path}: {page.status_code}"
    return client.post(action or path, data={**data, "csrfmiddlewaretoken": _csrf_token(page.text)})


def sign_up(client: httpx.Client, name: str) -> str:
    email = f"{name.lower()}-{secrets.token_hex(4)}@example.test"
    response = submit(
        client, "/signup/", {"display_name": name, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, f"sign-up answered {response.status_code}"
    return email


def log_in(client: httpx.Client, email: str) -> None:
    response = submit(client, "/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, f"log-in answered {response.status_code}"


def start_relationship(client: httpx.Client, name: str) -> int:
    response = submit(client, "/r/new/", {"name": name, "kind": "friend"})
    assert response.status_code == 302
    match = re.fullmatch(r"/r/(\d+)/", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def make_invitation(client: httpx.Client, relationship_id: int) -> str:
    response = submit(client, f"/r/{relationship_id}/", {}, f"/r/{relationship_id}/invitations/")
    assert response.status_code == 200
    match = re.search(r'<input[^>]*id="invite-url"[^>]*value="([^"]+)"', response.text)
    assert match, "no invitation link on the page"
    return httpx.URL(html.unescape(match.group(1))).path


def last_seq(client: httpx.Client, relationship_id: int) -> int:
    page = client.get(f"/r/{relationship_id}/")
    assert page.status_code == 200
    match = re.search(r'data-live-last="(\d+)"', page.text)
    assert match, "the relationship page names no last event"
    return int(match.group(1))


# Server-Sent Events, read in a thread so that the test can never hang on a stream.


class EventStream:
    """Reads one SSE stream in a daemon thread; `next()` waits with a timeout."""

    def __init__(self, server: Server, cookies: httpx.Cookies, path: str, **headers: str) -> None:
        self._client = httpx.Client(
            base_url=server.url,
            cookies=cookies,
            timeout=httpx.Timeout(10.0, read=float(KEEPALIVE_SECONDS) + 30),
        )
        self._path = path
        self._headers = headers
        self._blocks: queue.Queue[dict[str, str] | BaseException] = queue.Queue()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            with self._client.stream("GET", self._path, headers=self._headers) as response:
                if response.status_code != 200:
                    raise AssertionError(f"GET {self._path}: {response.status_code}")
                fields: dict[str, str] = {}
                for line in response.iter_lines():
                    if line == "":
                        if fields:
                            self._blocks.put(fields)
                        fields = {}
                    elif not line.startswith(":"):  # a comment: keep-alive
                        name, _, value = line.partition(":")
                        value = value.removeprefix(" ")
                        fields[name] = f"{fields[name]}\n{value}" if name in fields else value
        except BaseException as error:  # handed to the test, which fails with it
            self._blocks.put(error)

    def next(self, timeout: float = ARRIVAL_TIMEOUT) -> dict[str, str]:
        try:
            block = self._blocks.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"nothing arrived on {self._path} within {timeout:.0f}s", pytrace=False)
        if isinstance(block, BaseException):
            raise block
        return block

    def wait_open(self) -> None:
        # The stream's first words, sent once it listens for changes.
        assert "retry" in self.next(), "the stream did not start with its retry advice"

    def next_event(self, timeout: float = ARRIVAL_TIMEOUT) -> tuple[int, dict[str, object]]:
        block = self.next(timeout)
        assert "id" in block and "data" in block, f"not an event: {block}"
        return int(block["id"]), json.loads(block["data"])

    def close(self) -> None:
        # The daemon thread ends when the server closes the connection at teardown.
        self._client.close()


@pytest.fixture
def streams() -> Iterator[list[EventStream]]:
    opened: list[EventStream] = []
    yield opened
    for stream in opened:
        stream.close()


def test_a_change_on_one_instance_reaches_a_stream_on_the_other(
    servers: tuple[Server, Server], streams: list[EventStream]
) -> None:
    one, two = servers
    with (
        logs_on_failure(servers),
        httpx.Client(base_url=one.url) as ada_on_one,
        httpx.Client(base_url=one.url) as ben_on_one,
        httpx.Client(base_url=two.url) as ada_on_two,
    ):
        ada = sign_up(ada_on_one, "Ada")
        relationship_id = start_relationship(ada_on_one, "Across instances")
        invitation = make_invitation(ada_on_one, relationship_id)
        sign_up(ben_on_one, "Ben")

        # Ada's other device reaches the second instance.
        log_in(ada_on_two, ada)
        seen = last_seq(ada_on_two, relationship_id)
        assert seen == 1  # her own arrival
        live = EventStream(
            two, ada_on_two.cookies, f"/r/{relationship_id}/events/?last_event_id={seen}"
        )
        streams.append(live)
        live.wait_open()

        # Ben joins through the first instance.
        response = submit(ben_on_one, invitation, {})
        assert response.status_code == 302
        assert response.headers["location"] == f"/r/{relationship_id}/"

        seq, data = live.next_event()
        assert (seq, data["kind"]) == (seen + 1, "member_joined")
        assert data["actor"] == data["subject"]

        # And leaves through it: the second instance sees that too. This one proves the
        # bus beyond doubt: the stream had already read the log and was waiting, and its
        # own re-read comes only at keep-alive, long after ARRIVAL_TIMEOUT.
        response = submit(ben_on_one, f"/r/{relationship_id}/leave/", {})
        assert response.status_code == 302
        seq, data = live.next_event()
        assert (seq, data["kind"]) == (seen + 2, "member_left")

        # A stream resumed from the start replays the whole log, in order, without gaps.
        replay = EventStream(
            two, ada_on_two.cookies, f"/r/{relationship_id}/events/", **{"Last-Event-ID": "0"}
        )
        streams.append(replay)
        replay.wait_open()
        events = [replay.next_event() for _ in range(3)]
        assert [seq for seq, _ in events] == [1, 2, 3]
        assert [data["kind"] for _, data in events] == [
            "member_joined",
            "member_joined",
            "member_left",
        ]
        # Only kinds and ids travel: never a name or anything anyone wrote.
        for _, data in events:
            assert set(data) <= {"kind", "seq", "actor", "subject", "repair"}
