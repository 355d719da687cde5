"""The Server-Sent Events stream of one relationship, for its current members, while
the session that opened it lasts."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from tend.accounts import sessions
from tend.gardens.access import is_member
from tend.live import bus, limits
from tend.live.events import after
from tend.live.limits import Slot
from tend.live.models import Event


def read_since(
    user_id: int, session_key: str, relationship_id: int, seq: int
) -> tuple[datetime | None, list[Event]]:
    """Until when the person's session and membership let the stream go on (None:
    they no longer do), and the events after `seq`.

    Runs in a worker thread and gives its connection back before returning, so a
    waiting stream holds no database connection.
    """
    from tend.accounts.models import User

    close_old_connections()
    try:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return None, []
        until = sessions.signed_in_until(session_key, user, timezone.now())
        if until is None or not is_member(user, relationship_id):
            return None, []
        return until, after(relationship_id, seq)
    finally:
        connection.close()


def format_event(event: Event) -> str:
    # No `event:` field: every kind arrives at the page's one onmessage handler.
    return f"id: {event.seq}\ndata: {json.dumps(event.as_data())}\n\n"


# tend.js reloads the page on "closed" (a former member then sees where they stand, a
# signed-out person the login page) but only stops on "replaced": reloading would open
# yet another stream and replace the next one, round and round.
CLOSED = 'data: {"kind": "closed"}\n\n'
REPLACED = 'data: {"kind": "closed", "reason": "replaced"}\n\n'


class EventStream:
    """The response body of one open stream, holding its place among the limits.

    Django closes a response body that has a `close()` even when the client left
    before the first byte, when the generator below never started and so never ran
    its `finally`: the place is given back either way.
    """

    def __init__(self, slot: Slot, relationship_id: int, last_seq: int) -> None:
        self.slot = slot
        self.relationship_id = relationship_id
        self.last_seq = last_seq

    def __aiter__(self) -> AsyncIterator[str]:
        return self._events()

    def close(self) -> None:
        limits.streams.give_back(self.slot)

    async def _events(self) -> AsyncIterator[str]:
        slot, last_seq = self.slot, self.last_seq
        read = sync_to_async(read_since, thread_sensitive=False)
        wake = slot.entry[1]
        live = bus.get()
        subscription = live.subscription(self.relationship_id, slot.session_key, slot.entry)
        try:
            async with subscription:
                # Tells the browser how soon to reconnect after a dropped connection.
                yield "retry: 3000\n\n"
                while not live.ending:  # the server is stopping: the browser reconnects
                    wake.clear()
                    if slot.replaced:
                        yield REPLACED
                        return
                    until, events = await read(
                        slot.user_id, slot.session_key, self.relationship_id, last_seq
                    )
                    if until is None:
                        # A former member or an ended session loses access at once: end
                        # the stream. The browser's reload then meets a 404 or the login.
                        yield CLOSED
                        return
                    for event in events:
                        last_seq = event.seq
                        yield format_event(event)
                    if len(events) == 200:  # a long backlog: keep reading before waiting
                        continue
                    # Also wake when the session would time out: it ends then unless
                    # the person does something meanwhile, which the re-read will see.
                    # (A moment after, as timers may fire a little early.)
                    left = (until - timezone.now()).total_seconds() + 0.1
                    timeout = max(0.0, min(settings.LIVE_KEEPALIVE_SECONDS, left))
                    try:
                        await asyncio.wait_for(wake.wait(), timeout=timeout)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
        finally:
            self.close()
