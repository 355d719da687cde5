"""An open event stream lasts no longer than the session that opened it.

However the session ends (signing out, "sign out other devices", a new password or
email, deleting the account, or its idle or absolute timeout) each of its open streams
sends `closed` within a second or so and ends, without waiting for a keep-alive (30s
here). Other sessions' streams carry on. (SQLite in this pass; tests/live/
test_two_servers.py shows the same across two PostgreSQL instances.)
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as PlainStore
from django.test import AsyncClient, Client
from django.urls import reverse
from django.utils import timezone

from tend.accounts import sessions
from tend.accounts.actions import change_email, delete_account
from tend.accounts.models import User
from tests.conftest import PASSWORD, Cast
from tests.live import asgi
from tests.live.test_stream import Stream, in_thread, run_async

pytestmark = pytest.mark.django_db(transaction=True)

# Within a second of the end, with room for a busy test machine.
PROMPTLY = 2.5
CLOSED = 'data: {"kind": "closed"}\n\n'
KEEP_ALIVE = ": keep-alive\n\n"


@pytest.fixture(autouse=True)
def slow_keepalive(settings) -> None:  # type: ignore[no-untyped-def]
    # Far longer than PROMPTLY: a stream that closes in time was told, not polling.
    settings.LIVE_KEEPALIVE_SECONDS = 30


class Device:
    """One browser of a person: its session, and streams opened in it."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.client = AsyncClient()

    async def log_in(self) -> "Device":
        await self.client.aforce_login(
            self.user, backend="django.contrib.auth.backends.ModelBackend"
        )
        return self

    @property
    def key(self) -> str:
        return self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def sync_client(self) -> Client:
        """The same browser, for a form posted from a worker thread."""
        client = Client()
        client.cookies = self.client.cookies
        return client

    @contextlib.asynccontextmanager
    async def stream(self, relationship_id: int) -> AsyncIterator[Stream]:
        url = reverse("relationship_events", args=[relationship_id])
        # As a browser asks: a stream is not the person doing something.
        headers = {"Last-Event-ID": "1000", "Accept": "text/event-stream"}
        response = await asgi.get(url, self.client.cookies, **headers)
        assert response.status_code == 200 and response.streaming
        stream = Stream(response)
        try:
            assert (await stream.read()).startswith("retry: ")
            yield stream
        finally:
            await stream.close()


async def device(user: User) -> Device:
    return await Device(user).log_in()


async def closes_promptly(stream: Stream, timeout: float = PROMPTLY) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (chunk := await stream.read(deadline - loop.time())) == KEEP_ALIVE:
        pass  # a stream waking at its session's deadline says so on the way
    return chunk == CLOSED and await stream.ends()


async def stays_open(stream: Stream, seconds: float = 1.0) -> bool:
    """Nothing arrives for a while but keep-alives: no `closed`, no end. (Reading no
    more after: the read that times out also ends the stream's generator.)"""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    with contextlib.suppress(TimeoutError):
        while await stream.read(timeout=deadline - loop.time()) == KEEP_ALIVE:
            pass
        return False
    return True


def post(client: Client, name: str, data: dict[str, str] | None = None) -> int:
    return client.post(reverse(name), data or {}).status_code


@run_async
async def test_signing_out_closes_that_sessions_streams_only(cast: Cast) -> None:
    phone, laptop = await device(cast.ada), await device(cast.ada)
    async with phone.stream(cast.us.pk) as on_phone, laptop.stream(cast.us.pk) as on_laptop:
        assert await in_thread(post, phone.sync_client(), "logout") == 302

        assert await closes_promptly(on_phone)
        assert await stays_open(on_laptop)


@run_async
async def test_signing_out_other_devices_closes_their_streams(cast: Cast) -> None:
    phone, laptop = await device(cast.ada), await device(cast.ada)
    async with (
        phone.stream(cast.us.pk) as on_phone,
        phone.stream(cast.us.pk) as second_tab,
        laptop.stream(cast.us.pk) as on_laptop,
    ):
        status = await in_thread(post, laptop.sync_client(), "account_sessions_end_others")
        assert status == 302

        assert await closes_promptly(on_phone)
        assert await closes_promptly(second_tab)
        assert await stays_open(on_laptop)


@run_async
async def test_signing_out_one_other_device_closes_its_streams(cast: Cast) -> None:
    phone, laptop = await device(cast.ada), await device(cast.ada)
    async with phone.stream(cast.us.pk) as on_phone:

        def end_the_phone() -> None:
            row = sessions.DeviceSession.objects.get(session_key=phone.key)
            response = laptop.sync_client().post(reverse("account_session_end", args=[row.pk]))
            assert response.status_code == 302

        await in_thread(end_the_phone)
        assert await closes_promptly(on_phone)


@run_async
async def test_a_new_password_closes_the_other_sessions_streams(cast: Cast) -> None:
    phone, laptop = await device(cast.ada), await device(cast.ada)
    async with phone.stream(cast.us.pk) as on_phone:
        data = {"old_password": PASSWORD, "new_password1": "a new calm walk", "new_password2": ""}
        data["new_password2"] = data["new_password1"]
        assert await in_thread(post, laptop.sync_client(), "password_change", data) == 302

        assert await closes_promptly(on_phone)


@run_async
async def test_a_new_email_that_signs_out_the_rest_closes_their_streams(cast: Cast) -> None:
    phone, laptop = await device(cast.ada), await device(cast.ada)
    async with phone.stream(cast.us.pk) as on_phone, laptop.stream(cast.us.pk) as on_laptop:
        await in_thread(
            lambda: change_email(
                cast.ada, "ada.new@example.test", current_session=laptop.key, sign_out_others=True
            )
        )

        assert await closes_promptly(on_phone)
        assert await stays_open(on_laptop)


@run_async
async def test_deleting_the_account_closes_every_stream_of_it(cast: Cast) -> None:
    # Ada opened the garden alone in one relationship: her streams there close even
    # though no member is left to see a departure event.
    phone = await device(cast.ada)
    async with phone.stream(cast.us.pk) as on_phone:
        await in_thread(delete_account, cast.ada)

        assert await closes_promptly(on_phone)


def _age(key: str, **moments: timedelta) -> None:
    """Moves the session's clocks back, as if it had signed in or acted that long ago."""
    store = PlainStore(key)
    store.load()
    now = timezone.now()
    for name, ago in moments.items():
        store[name] = int((now - ago).timestamp())
    store.save()


@pytest.mark.parametrize(
    "clock, almost_over",
    [
        # Three seconds before each limit: the stream must close about then by itself.
        (sessions.SEEN_AT, lambda: settings.SESSION_IDLE_TIMEOUT + sessions.TOUCH_EVERY),
        (sessions.AUTH_AT, lambda: settings.SESSION_ABSOLUTE_TIMEOUT),
    ],
    ids=["idle", "absolute"],
)
@run_async
async def test_a_session_that_times_out_closes_its_streams_then(
    cast: Cast, clock: str, almost_over: Callable[[], Any]
) -> None:
    phone = await device(cast.ada)
    await in_thread(lambda: _age(phone.key, **{clock: almost_over() - timedelta(seconds=3)}))
    async with phone.stream(cast.us.pk) as on_phone:
        assert await closes_promptly(on_phone, timeout=PROMPTLY + 3)


@run_async
async def test_activity_elsewhere_keeps_the_stream_open_past_the_old_deadline(
    cast: Cast,
) -> None:
    phone = await device(cast.ada)
    idle = settings.SESSION_IDLE_TIMEOUT + sessions.TOUCH_EVERY
    await in_thread(lambda: _age(phone.key, **{sessions.SEEN_AT: idle - timedelta(seconds=3)}))
    async with phone.stream(cast.us.pk) as on_phone:
        # The person does something in another tab of the same browser.
        await in_thread(lambda: _age(phone.key, **{sessions.SEEN_AT: timedelta(0)}))

        assert await stays_open(on_phone, seconds=6)  # well past the old deadline
