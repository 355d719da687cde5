"""The Server-Sent Events stream of a relationship.

Every read is bounded by `asyncio.wait_for`, so a broken stream fails a test instead
of hanging the suite. The tests are transactional: the stream reads the log from
worker threads, on their own database connections. Streams are asked of tend's ASGI
application (`tests.live.asgi`), which serves them outside Django's request handler
as in production.
"""

import asyncio
import contextlib
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, transaction
from django.test import AsyncClient
from django.urls import reverse

from tend.accounts.models import User
from tend.gardens import actions
from tend.live import stream as stream_module
from tend.live.events import emit
from tend.live.models import Event
from tests.conftest import Cast
from tests.live import asgi

pytestmark = pytest.mark.django_db(transaction=True)

READ_TIMEOUT = 5.0


def run_async(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Runs an async test on its own loop (pytest-asyncio is not a dependency)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        async_to_sync(test)(*args, **kwargs)

    return wrapper


def in_thread(function: Callable[..., Any], *args: Any) -> Awaitable[Any]:
    """Runs a write as another request would: in a worker thread, on its own connection."""

    def run() -> Any:
        try:
            return function(*args)
        finally:
            connection.close()

    return sync_to_async(run, thread_sensitive=False)()


async def log_of(relationship_id: int) -> list[dict[str, Any]]:
    def read() -> list[dict[str, Any]]:
        return [e.as_data() for e in Event.objects.filter(relationship_id=relationship_id)]

    return await in_thread(read)


class Stream:
    def __init__(self, response: asgi.Response) -> None:
        self.response = response
        self.chunks: AsyncIterator[bytes] = response.streaming_content

    async def read(self, timeout: float = READ_TIMEOUT) -> str:
        return (await asyncio.wait_for(anext(self.chunks), timeout)).decode()

    async def read_events(self, count: int) -> list[dict[str, Any]]:
        """The next `count` messages, each checked to carry its seq as the SSE id."""
        found = []
        for _ in range(count):
            chunk = await self.read()
            lines = chunk.rstrip("\n").split("\n")
            assert lines[0].startswith("id: "), chunk
            assert lines[1].startswith("data: "), chunk
            data = json.loads(lines[1].removeprefix("data: "))
            assert int(lines[0].removeprefix("id: ")) == data["seq"]
            found.append(data)
        return found

    async def ends(self) -> bool:
        try:
            await self.read()
        except StopAsyncIteration:
            return True
        return False

    async def close(self) -> None:
        await self.response.aclose()  # the client leaves; the stream leaves the bus


@contextlib.asynccontextmanager
async def open_stream(
    user: User, relationship_id: int, query: str = "", **headers: str
) -> AsyncIterator[Stream]:
    client = AsyncClient()
    await client.aforce_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("relationship_events", args=[relationship_id]) + query
    response = await asgi.get(url, client.cookies, **headers)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/event-stream"
    stream = Stream(response)
    try:
        yield stream
    finally:
        await stream.close()


async def get_status(user: User, url: str, **headers: str) -> int:
    client = AsyncClient()
    await client.aforce_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = await asgi.get(url, client.cookies, **headers)
    assert not response.streaming
    await response.aclose()
    return response.status_code


@pytest.fixture
def slow_keepalive(settings) -> None:
    # Longer than any read's timeout: what arrives came through the bus, not a poll.
    settings.LIVE_KEEPALIVE_SECONDS = 30


@pytest.fixture
def quick_keepalive(settings) -> None:
    settings.LIVE_KEEPALIVE_SECONDS = 1


@run_async
async def test_the_stream_opens_with_a_retry_hint(cast: Cast, slow_keepalive) -> None:
    async with open_stream(cast.ada, cast.us.pk) as stream:
        first = await stream.read()

    assert first.startswith("retry: ")
    assert first.endswith("\n\n")


@run_async
async def test_a_fresh_stream_replays_the_whole_log(cast: Cast, quick_keepalive) -> None:
    log = await log_of(cast.us.pk)
    async with open_stream(cast.ada, cast.us.pk) as stream:
        await stream.read()
        events = await stream.read_events(len(log))
        after = await stream.read()

    assert events == log
    assert [e["seq"] for e in events] == list(range(1, cast.us.last_seq + 1))
    assert after == ": keep-alive\n\n"


@run_async
async def test_last_event_id_header_replays_only_what_came_after(
    cast: Cast, quick_keepalive
) -> None:
    log = await log_of(cast.us.pk)
    since = len(log) - 2

    async with open_stream(cast.ben, cast.us.pk, **{"Last-Event-ID": str(since)}) as stream:
        await stream.read()
        events = await stream.read_events(2)
        after = await stream.read()

    assert events == log[since:]
    assert [e["seq"] for e in events] == [since + 1, since + 2]
    assert after == ": keep-alive\n\n"


@run_async
async def test_last_event_id_query_parameter_replays_the_same(cast: Cast, quick_keepalive) -> None:
    log = await log_of(cast.us.pk)
    since = len(log) - 1

    async with open_stream(cast.ben, cast.us.pk, f"?last_event_id={since}") as stream:
        await stream.read()
        events = await stream.read_events(1)
        after = await stream.read()

    assert events == log[since:]
    assert after == ": keep-alive\n\n"


@run_async
async def test_the_header_wins_over_the_query_parameter(cast: Cast, quick_keepalive) -> None:
    # A browser reconnecting by itself resends the header with the page's original URL.
    last = cast.us.last_seq
    header = {"Last-Event-ID": str(last - 1)}
    async with open_stream(cast.ben, cast.us.pk, "?last_event_id=1", **header) as stream:
        await stream.read()
        events = await stream.read_events(1)

    assert [e["seq"] for e in events] == [last]


@run_async
async def test_a_stream_already_up_to_date_sends_only_keep_alives(
    cast: Cast, quick_keepalive
) -> None:
    async with open_stream(cast.ada, cast.us.pk, **{"Last-Event-ID": str(cast.us.last_seq)}) as s:
        await s.read()
        assert await s.read() == ": keep-alive\n\n"
        assert await s.read() == ": keep-alive\n\n"


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "3; drop", "0x10"])
@run_async
async def test_a_bad_last_event_id_is_refused(cast: Cast, bad: str) -> None:
    url = reverse("relationship_events", args=[cast.us.pk])

    assert await get_status(cast.ada, url, **{"Last-Event-ID": bad}) == 400
    assert await get_status(cast.ada, f"{url}?last_event_id={bad}") == 400


@run_async
async def test_a_last_event_id_beyond_any_number_is_refused_or_empty(
    cast: Cast, quick_keepalive
) -> None:
    huge = str(10**30)
    url = reverse("relationship_events", args=[cast.us.pk])
    client = AsyncClient()
    await client.aforce_login(cast.ada, backend="django.contrib.auth.backends.ModelBackend")

    response = await asgi.get(url, client.cookies, **{"Last-Event-ID": huge})

    if response.streaming:
        stream = Stream(response)
        try:
            assert (await stream.read()).startswith("retry: ")
            assert await stream.read() == ": keep-alive\n\n"
        finally:
            await stream.close()
    else:
        assert response.status_code == 400
        await response.aclose()


@run_async
async def test_a_new_event_arrives_without_waiting_for_a_poll(cast: Cast, slow_keepalive) -> None:
    last = cast.us.last_seq
    async with open_stream(cast.ada, cast.us.pk, **{"Last-Event-ID": str(last)}) as stream:
        await stream.read()

        await in_thread(actions.accept_invitation, cast.dee, cast.invitation)
        events = await stream.read_events(1)

    assert events == [
        {"kind": "member_joined", "seq": last + 1, "actor": cast.dee.pk, "subject": cast.dee.pk}
    ]


@run_async
async def test_an_event_committed_while_the_stream_reads_the_log_still_arrives(
    cast: Cast, slow_keepalive, monkeypatch
) -> None:
    """The change commits just after the stream's own first read of the log, and its
    announcement reaches the room before that read returns (the room has not read
    yet, so it sends its streams back to the log): the stream must read again, not
    wait for the next event."""
    last = cast.us.last_seq
    look = stream_module.look

    async def look_then_a_change(*args: Any) -> Any:
        seen = await look(*args)
        if not changed:
            changed.append(await in_thread(actions.accept_invitation, cast.dee, cast.invitation))
            await asyncio.sleep(0.2)  # the room hears it and sends its streams back
        return seen

    changed: list[Any] = []
    monkeypatch.setattr(stream_module, "look", look_then_a_change)
    async with open_stream(cast.ada, cast.us.pk, **{"Last-Event-ID": str(last)}) as stream:
        await stream.read()
        events = await stream.read_events(1)

    assert changed
    assert [(e["seq"], e["kind"]) for e in events] == [(last + 1, "member_joined")]


@run_async
async def test_events_arrive_in_order_across_several_changes(cast: Cast, slow_keepalive) -> None:
    last = cast.us.last_seq

    def three_changes() -> None:
        actions.accept_invitation(cast.dee, cast.invitation)
        actions.leave_relationship(cast.dee, cast.us)
        actions.accept_invitation(cast.cy, actions.create_invitation(cast.ada, cast.us))

    async with open_stream(cast.ben, cast.us.pk, **{"Last-Event-ID": str(last)}) as stream:
        await stream.read()
        await in_thread(three_changes)
        events = await stream.read_events(3)

    assert [(e["seq"], e["kind"], e["subject"]) for e in events] == [
        (last + 1, "member_joined", cast.dee.pk),
        (last + 2, "member_left", cast.dee.pk),
        (last + 3, "member_joined", cast.cy.pk),
    ]


@run_async
async def test_a_long_backlog_is_sent_in_full_without_pausing(cast: Cast, slow_keepalive) -> None:
    def many() -> None:
        with transaction.atomic():
            for _ in range(250):
                emit(cast.us.pk, "member_joined")

    await in_thread(many)
    async with open_stream(cast.ada, cast.us.pk) as stream:
        await stream.read()
        events = await stream.read_events(cast.us.last_seq + 250)

    assert [e["seq"] for e in events] == list(range(1, cast.us.last_seq + 251))


@run_async
async def test_keep_alive_comments_arrive_when_idle(cast: Cast, quick_keepalive) -> None:
    async with open_stream(cast.ada, cast.us.pk, **{"Last-Event-ID": str(cast.us.last_seq)}) as s:
        await s.read()
        chunk = await s.read(timeout=3)

    assert chunk == ": keep-alive\n\n"


@run_async
async def test_a_member_who_leaves_has_their_stream_closed(cast: Cast, slow_keepalive) -> None:
    async with open_stream(cast.ben, cast.us.pk, **{"Last-Event-ID": str(cast.us.last_seq)}) as s:
        await s.read()

        await in_thread(actions.leave_relationship, cast.ben, cast.us)

        assert await s.read() == 'data: {"kind": "closed"}\n\n'
        assert await s.ends()


@run_async
async def test_a_member_who_is_deleted_has_their_stream_closed(cast: Cast, slow_keepalive) -> None:
    from tend.accounts.actions import delete_account

    async with open_stream(cast.ben, cast.us.pk, **{"Last-Event-ID": str(cast.us.last_seq)}) as s:
        await s.read()

        await in_thread(delete_account, cast.ben)

        assert await s.read() == 'data: {"kind": "closed"}\n\n'
        assert await s.ends()


@run_async
async def test_others_streams_stay_open_when_someone_leaves(cast: Cast, slow_keepalive) -> None:
    last = cast.us.last_seq
    async with open_stream(cast.ada, cast.us.pk, **{"Last-Event-ID": str(last)}) as stream:
        await stream.read()

        await in_thread(actions.leave_relationship, cast.ben, cast.us)

        events = await stream.read_events(1)
    assert events == [
        {"kind": "member_left", "seq": last + 1, "actor": cast.ben.pk, "subject": cast.ben.pk}
    ]


@run_async
async def test_stream_data_never_names_a_relationship_or_a_person(
    cast: Cast, slow_keepalive
) -> None:
    secret_names = ["Zanzibar Orchard", "Quillon Mareth", "Vesper Holloway", "Ottoline Brack"]

    def rename() -> None:
        cast.us.name = secret_names[0]
        cast.us.save()
        for user, name in zip((cast.ada, cast.ben, cast.dee), secret_names[1:], strict=True):
            user.display_name = name
            user.save()

    await in_thread(rename)
    received = []
    async with open_stream(cast.ada, cast.us.pk) as stream:
        received.append(await stream.read())
        for _ in range(cast.us.last_seq):
            received.append(await stream.read())
        await in_thread(actions.accept_invitation, cast.dee, cast.invitation)
        received.append(await stream.read())
        await in_thread(actions.leave_relationship, cast.ben, cast.us)
        received.append(await stream.read())

    text = "".join(received)
    assert text.count("id: ") == cast.us.last_seq + 2
    for name in secret_names:
        assert name not in text
        for part in name.split():
            assert part not in text
    for line in text.splitlines():
        if line.startswith("data: "):
            assert set(json.loads(line.removeprefix("data: "))) <= {
                "kind",
                "seq",
                "actor",
                "repair",
                "subject",
            }
