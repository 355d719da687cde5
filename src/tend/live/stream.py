"""The Server-Sent Events stream of one relationship, for its current members, while
the session that opened it lasts.

One core for both ways a stream is served (`live.serve`, the ASGI app in front of
Django, and `live.views`, the same behind Django's handler): it yields the bytes of
the response body. An idle stream holds no thread and no database connection, and its
keep-alives read nothing. It touches the database only to replay from Last-Event-ID,
to catch up when it fell behind (`live.hub` hands it every other event), and to
re-check who may stream (`live.access`): when its session ends (the bus says so),
when its session would time out, and when the membership of its person changes.
"""

from collections.abc import AsyncIterator
from datetime import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from tend.live import access, bus, hub, limits
from tend.live.access import Pass
from tend.live.hub import Listener, Note
from tend.live.limits import Slot

# Events after which a stream re-checks that its person is still a member.
MEMBERSHIP_KINDS = frozenset({"member_joined", "member_left"})

# Tells the browser how soon to reconnect after a dropped connection.
RETRY = b"retry: 3000\n\n"
KEEP_ALIVE = b": keep-alive\n\n"
# tend.js reloads the page on "closed" (a former member then sees where they stand, a
# signed-out person the login page) but only stops on "replaced": reloading would open
# yet another stream and replace the next one, round and round.
CLOSED = b'data: {"kind": "closed"}\n\n'
REPLACED = b'data: {"kind": "closed", "reason": "replaced"}\n\n'


def _admit(session_key: str, relationship_id: int) -> Pass | None:
    close_old_connections()
    try:
        return access.admit(session_key, relationship_id)
    finally:
        connection.close()  # looked up here, in the thread that opened it


def _look(
    session_key: str, relationship_id: int, check: bool, since: int | None
) -> tuple[Pass | None, list[Note]]:
    """Re-checks who may stream (when asked), then reads the log after `since` (when
    given). In a worker thread, giving its connection back before returning."""
    close_old_connections()
    try:
        allowed = access.admit(session_key, relationship_id) if check else None
        if check and allowed is None:
            return None, []
        return allowed, [] if since is None else hub.notes_after(relationship_id, since)
    finally:
        connection.close()


admit = sync_to_async(_admit, thread_sensitive=False)
look = sync_to_async(_look, thread_sensitive=False)


def start(allowed: Pass, session_key: str, relationship_id: int, last_seq: int) -> "EventStream":
    """The stream of one admitted session. Raises `limits.Full` when the process holds
    as many streams as it may."""
    slot = limits.streams.take(allowed.user_id, session_key)
    return EventStream(slot, relationship_id, last_seq, allowed.until)


class SessionEnded:
    """What the bus sets when the stream's session ends: notes it, wakes the stream."""

    __slots__ = ("hit", "wake")

    def __init__(self, wake: bus.Wake) -> None:
        self.wake = wake
        self.hit = False

    def set(self) -> None:
        self.hit = True
        self.wake.set()


class EventStream:
    """The response body of one open stream, holding its place among the limits.

    Its server calls `close()` even when the client left before the first byte, when
    the generator below never started and so never ran its `finally`: the place is
    given back either way.
    """

    def __init__(self, slot: Slot, relationship_id: int, last_seq: int, until: datetime) -> None:
        self.slot = slot
        self.relationship_id = relationship_id
        self.last_seq = last_seq
        self.until = until

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._events()

    def close(self) -> None:
        limits.streams.give_back(self.slot)

    async def _events(self) -> AsyncIterator[bytes]:
        slot, position, until = self.slot, self.last_seq, self.until
        loop, wake = slot.entry
        listener = Listener(wake)  # stale: it replays from Last-Event-ID first
        ended = SessionEnded(wake)
        live = bus.get()
        check = False
        # Membership events up to here were committed before the last check.
        checked_through = position
        try:
            async with (
                live.subscription((loop, ended), bus.session_topic(slot.session_key)),
                hub.get().joined(self.relationship_id, listener),
            ):
                yield RETRY
                while not live.ending:  # the server is stopping: the browser reconnects
                    wake.clear()
                    if slot.replaced:
                        yield REPLACED
                        return
                    check = check or ended.hit or timezone.now() >= until
                    read: list[Note] = []
                    if check or listener.stale:
                        since = position if listener.stale else None
                        if check:
                            inbox = listener.inbox
                            checked_through = max((n.seq for n in inbox), default=position)
                        checking, check, ended.hit, listener.stale = check, False, False, False
                        allowed, read = await look(
                            slot.session_key, self.relationship_id, checking, since
                        )
                        if checking:
                            if allowed is None or allowed.user_id != slot.user_id:
                                # A former member or an ended session loses access at
                                # once. The browser's reload then meets a 404 or the login.
                                yield CLOSED
                                return
                            until = allowed.until
                        if since is not None:
                            listener.has_read(read[-1].seq if read else since)
                            # Stale again if its room sent it back to the log while it
                            # read (a change that committed after this read began), or
                            # for a long backlog.
                            listener.stale = listener.stale or len(read) == hub.LIMIT
                    notes = listener.take(position, read)
                    for i, note in enumerate(notes):
                        if note.seq != position + 1:
                            # A gap (what it read ends where its inbox overflowed):
                            # read the log itself from here; it holds what follows.
                            listener.stale = True
                            break
                        if self._concerns_membership(note) and note.seq > checked_through:
                            # Re-check before sending anything after it: a former
                            # member sees nothing more.
                            listener.inbox[:0] = notes[i:]
                            check = True
                            break
                        position = note.seq
                        yield note.text
                    if check or listener.stale or listener.inbox:
                        continue
                    # Also wake when the session would time out: it ends then unless the
                    # person does something meanwhile, which the re-check will see.
                    # (A moment after, as timers may fire a little early.)
                    left = (until - timezone.now()).total_seconds() + 0.1
                    timeout = max(0.0, min(settings.LIVE_KEEPALIVE_SECONDS, left))
                    if not await wake.wait(timeout) and timezone.now() < until:
                        yield KEEP_ALIVE  # reads nothing
        finally:
            self.close()

    def _concerns_membership(self, note: Note) -> bool:
        return note.kind in MEMBERSHIP_KINDS and note.subject_id in (None, self.slot.user_id)
