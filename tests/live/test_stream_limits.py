"""How many event streams may be open: per session, per account, in the process.

Past a session's or an account's limit the oldest stream closes with a `closed` event
saying it was replaced (tend.js then stops rather than reloading into yet another
stream); past the process's limit a new stream is answered 503 with Retry-After.
"""

import contextlib
from collections.abc import AsyncIterator

import pytest
from django.urls import reverse

from tend.live import limits
from tests.conftest import Cast
from tests.live import asgi
from tests.live.test_stream import Stream, run_async
from tests.live.test_stream_sessions import KEEP_ALIVE, Device, device, stays_open

pytestmark = pytest.mark.django_db(transaction=True)

REPLACED = 'data: {"kind": "closed", "reason": "replaced"}\n\n'


@pytest.fixture(autouse=True)
def small_limits(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIVE_KEEPALIVE_SECONDS = 30
    settings.LIVE_MAX_STREAMS_PER_SESSION = 3
    settings.LIVE_MAX_STREAMS_PER_ACCOUNT = 5
    settings.LIVE_MAX_STREAMS = 8


async def is_replaced(stream: Stream) -> bool:
    while (chunk := await stream.read(timeout=10)) == KEEP_ALIVE:
        pass
    return chunk == REPLACED and await stream.ends()


@contextlib.asynccontextmanager
async def streams(owner: Device, relationship_id: int, count: int) -> AsyncIterator[list[Stream]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(owner.stream(relationship_id)) for _ in range(count)]


@run_async
async def test_past_a_sessions_limit_its_oldest_stream_is_replaced(cast: Cast) -> None:
    phone = await device(cast.ada)
    async with streams(phone, cast.us.pk, 3) as tabs, phone.stream(cast.us.pk) as newest:
        assert await is_replaced(tabs[0])
        assert limits.streams.count() == 3
        assert await stays_open(tabs[1])
        assert await stays_open(newest)


@run_async
async def test_past_an_accounts_limit_its_oldest_stream_is_replaced(cast: Cast) -> None:
    phone, laptop = await device(cast.ada), await device(cast.ada)
    other_person = await device(cast.ben)
    async with (
        streams(phone, cast.us.pk, 3) as on_phone,
        streams(laptop, cast.us.pk, 2) as on_laptop,
        streams(other_person, cast.us.pk, 2) as bens,
    ):
        assert limits.streams.count() == 7
        # A sixth stream of Ada's, in a third browser: her oldest (on the phone) goes.
        async with (await device(cast.ada)).stream(cast.us.pk):
            assert await is_replaced(on_phone[0])
            assert await stays_open(on_laptop[0])
            assert await stays_open(bens[0])


@run_async
async def test_a_full_process_answers_503_with_retry_after(cast: Cast) -> None:
    people = [await device(user) for user in (cast.ada, cast.ben, cast.ada, cast.ben)]
    url = reverse("relationship_events", args=[cast.us.pk])
    async with contextlib.AsyncExitStack() as stack:
        for person in people:
            await stack.enter_async_context(streams(person, cast.us.pk, 2))
        assert limits.streams.count() == 8

        busy = await asgi.get(url, people[0].client.cookies, Accept="text/event-stream")

        assert busy.status_code == 503
        assert int(busy["Retry-After"]) > 0
        assert "busy" in (await busy.content()).decode()
    # Every place is given back as the streams close.
    assert limits.streams.count() == 0


@run_async
async def test_a_stream_never_read_gives_its_place_back_when_closed(cast: Cast) -> None:
    phone = await device(cast.ada)
    url = reverse("relationship_events", args=[cast.us.pk])
    response = await asgi.get(url, phone.client.cookies, Accept="text/event-stream")
    assert response.status_code == 200
    assert limits.streams.count() == 1

    # The client left before reading a byte: the stream still gives its place back.
    await response.aclose()

    assert limits.streams.count() == 0
