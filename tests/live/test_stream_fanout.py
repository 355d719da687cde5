"""What an event costs the process, however many streams wait for it, and what the
stream served in front of Django's handler still carries.

Reads are counted as calls of `live.hub.notes_after` (every read of the log, by a
room or by a stream for itself) and of `live.access.admit` (every check of who may
stream), wherever they run.
"""

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

import tend.asgi
from tend.gardens import actions
from tend.live import access, bus, hub
from tend.live.events import emit
from tests.conftest import Cast, client_for
from tests.live import asgi
from tests.live.test_stream import Stream, in_thread, run_async
from tests.live.test_stream_sessions import CLOSED, KEEP_ALIVE, Device, device

pytestmark = pytest.mark.django_db(transaction=True)


class Calls:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def counting(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any) -> Any:
            with self._lock:
                self.count += 1
            return function(*args)

        return counted


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Calls:
    calls = Calls()
    monkeypatch.setattr(hub, "notes_after", calls.counting(hub.notes_after))
    return calls


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Calls:
    calls = Calls()
    monkeypatch.setattr(access, "_gate", calls.counting(access._gate))
    return calls


@contextlib.asynccontextmanager
async def many_streams(
    devices: list[Device], relationship_id: int, last_seq: int
) -> AsyncIterator[list[Stream]]:
    url = reverse("relationship_events", args=[relationship_id])
    async with contextlib.AsyncExitStack() as stack:
        streams = []
        for d in devices:
            response = await asgi.get(url, d.client.cookies, **{"Last-Event-ID": str(last_seq)})
            assert response.status_code == 200 and response.streaming
            stack.push_async_callback(response.aclose)
            streams.append(Stream(response))
            assert (await streams[-1].read()).startswith("retry: ")
        yield streams


async def settle(calls: Calls, count: int) -> None:
    """Waits until `count` calls were made (each stream's own first read)."""
    for _ in range(100):
        if calls.count >= count:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)


@pytest.fixture(autouse=True)
def slow_keepalive(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIVE_KEEPALIVE_SECONDS = 30


@run_async
async def test_an_event_is_read_once_however_many_streams_wait(
    cast: Cast, reads: Calls, checks: Calls
) -> None:
    devices = [await device(user) for user in (cast.ada, cast.ben) * 6]
    async with many_streams(devices, cast.us.pk, cast.us.last_seq) as streams:
        await settle(reads, len(streams))  # each replayed for itself (nothing: up to date)
        assert reads.count == len(streams)
        reads.count = checks.count = 0

        await in_thread(actions.accept_invitation, cast.dee, cast.invitation)

        for stream in streams:
            [event] = await stream.read_events(1)
            assert (event["kind"], event["subject"]) == ("member_joined", cast.dee.pk)
        # The bus carried the event itself, the next after what the room had read: it
        # was handed on without reading the log at all (fewer than the one read allowed).
        assert reads.count == 0
        # Someone else joined: nobody here needed a re-check.
        assert checks.count == 0


@run_async
async def test_a_wake_up_without_its_event_is_read_once_for_every_stream(
    cast: Cast, reads: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = bus.get()
    announce = live.publish
    # As from a process that announces no event (or whose announcement was not read).
    monkeypatch.setattr(
        live, "publish", lambda relationship_id, event=None: announce(relationship_id)
    )
    devices = [await device(user) for user in (cast.ada, cast.ben) * 3]
    async with many_streams(devices, cast.us.pk, cast.us.last_seq) as streams:
        await settle(reads, len(streams))
        reads.count = 0

        await in_thread(actions.accept_invitation, cast.dee, cast.invitation)

        for stream in streams:
            [event] = await stream.read_events(1)
            assert (event["kind"], event["subject"]) == ("member_joined", cast.dee.pk)
        assert reads.count == 1


@run_async
async def test_an_announcement_out_of_order_sends_the_room_to_the_log(
    cast: Cast, reads: Calls
) -> None:
    """The log is the truth: an announced event that is not the next after what the
    room has read (one was lost, or came later) is never handed on as it is."""
    phone = await device(cast.ada)
    last = cast.us.last_seq
    async with many_streams([phone], cast.us.pk, last) as [stream]:
        await settle(reads, 1)
        reads.count = 0
        [room] = hub.get().rooms.values()
        # The bus says seq last + 2 was written; last + 1 was never announced.
        room.hear({"kind": "not_in_the_log", "seq": last + 2})
        await in_thread(emit_twice, cast.us.pk)
        events = await stream.read_events(2)
    assert [(e["seq"], e["kind"]) for e in events] == [
        (last + 1, "member_joined"),
        (last + 2, "member_joined"),
    ]
    assert reads.count >= 1


def emit_twice(relationship_id: int) -> None:
    with transaction.atomic():
        emit(relationship_id, "member_joined")
        emit(relationship_id, "member_joined")


@run_async
async def test_keep_alives_read_nothing(cast: Cast, settings, reads: Calls, checks: Calls) -> None:  # type: ignore[no-untyped-def]
    settings.LIVE_KEEPALIVE_SECONDS = 1
    phone = await device(cast.ada)
    async with phone.stream(cast.us.pk) as stream:
        assert await stream.read() == KEEP_ALIVE
        reads.count = checks.count = 0

        for _ in range(3):
            assert await stream.read() == KEEP_ALIVE

    assert (reads.count, checks.count) == (0, 0)


@run_async
async def test_a_former_member_is_handed_nothing_after_leaving(cast: Cast) -> None:
    ben, ada = await device(cast.ben), await device(cast.ada)
    last = cast.us.last_seq

    def leave_then_more() -> None:
        with transaction.atomic():
            actions.leave_relationship(cast.ben, cast.us)
            emit(cast.us.pk, "member_joined")

    async with many_streams([ada, ben], cast.us.pk, last) as (on_ada, on_ben):
        await in_thread(leave_then_more)

        # At once: before the event of the change, and nothing after it.
        assert await on_ben.read() == CLOSED
        assert await on_ben.ends()
        events = await on_ada.read_events(2)
    assert [e["seq"] for e in events] == [last + 1, last + 2]


@run_async
async def test_a_stream_behind_its_room_reads_the_gap_itself(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "LIMIT", 3)  # a room hands at most 3 events at a time
    last = cast.us.last_seq

    def many() -> None:
        with transaction.atomic():
            for _ in range(7):
                emit(cast.us.pk, "member_joined")

    phone = await device(cast.ada)
    async with many_streams([phone], cast.us.pk, last) as [stream]:
        await in_thread(many)
        events = await stream.read_events(7)

    assert [e["seq"] for e in events] == list(range(last + 1, last + 8))


SECURITY_HEADERS = [
    "Permissions-Policy",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
]


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
@run_async
async def test_the_stream_served_outside_django_carries_every_header_a_page_does(
    cast: Cast,
    settings,
    monkeypatch: pytest.MonkeyPatch,
    secure: bool,  # type: ignore[no-untyped-def]
) -> None:
    settings.SECURE_HSTS_SECONDS = 3600

    async def not_django(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the stream went to Django's handler")

    page = await in_thread(lambda: client_for(cast.ada).get(f"/r/{cast.us.pk}/", secure=secure))
    monkeypatch.setattr(tend.asgi.application, "django", not_django)
    phone = await device(cast.ada)
    url = reverse("relationship_events", args=[cast.us.pk])
    response = await asgi.get(url, phone.client.cookies, secure=secure)
    try:
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        assert response["X-Accel-Buffering"] == "no"
        assert "no-store" in response["Cache-Control"]
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {d.strip() for d in page["Cache-Control"].split(",")}
        for name in SECURITY_HEADERS:
            assert response[name] == page[name], name
        assert ("Strict-Transport-Security" in response) is secure
        if secure:
            assert response["Strict-Transport-Security"] == page["Strict-Transport-Security"]
    finally:
        await response.aclose()


@run_async
async def test_what_the_stream_app_leaves_to_django_gets_djangos_answer(cast: Cast) -> None:
    url = reverse("relationship_events", args=[cast.us.pk])
    outsider = await device(cast.dee)

    not_found = await asgi.get(url, outsider.client.cookies)
    anonymous = await asgi.get(url)

    assert not_found.status_code == 404
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    for response in (not_found, anonymous):
        assert response["Permissions-Policy"]
        await response.aclose()
