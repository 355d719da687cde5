"""The Server-Sent Events stream of one relationship, for its current members."""

import asyncio
import json
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from tend.gardens.access import is_member
from tend.live import bus
from tend.live.events import after
from tend.live.models import Event


def read_since(user_id: int, relationship_id: int, seq: int) -> tuple[bool, list[Event]]:
    """Whether the person is still a member, and the events after `seq`.

    Runs in a worker thread and gives its connection back before returning, so a
    waiting stream holds no database connection.
    """
    from tend.accounts.models import User

    close_old_connections()
    try:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or not is_member(user, relationship_id):
            return False, []
        return True, after(relationship_id, seq)
    finally:
        connection.close()


def format_event(event: Event) -> str:
    # No `event:` field: every kind arrives at the page's one onmessage handler.
    return f"id: {event.seq}\ndata: {json.dumps(event.as_data())}\n\n"


async def event_stream(user_id: int, relationship_id: int, last_seq: int) -> AsyncIterator[str]:
    read = sync_to_async(read_since, thread_sensitive=False)
    live = bus.get()
    async with live.subscription(relationship_id) as wake:
        # Tells the browser how soon to reconnect after a dropped connection.
        yield "retry: 3000\n\n"
        while not live.ending:
            wake.clear()
            still_member, events = await read(user_id, relationship_id, last_seq)
            if not still_member:
                # A former member loses access at once: end the stream. The browser's
                # reconnect then meets a 404 and stops.
                yield 'data: {"kind": "closed"}\n\n'
                return
            for event in events:
                last_seq = event.seq
                yield format_event(event)
            if len(events) == 200:  # a long backlog: keep reading before waiting
                continue
            try:
                await asyncio.wait_for(wake.wait(), timeout=settings.LIVE_KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
