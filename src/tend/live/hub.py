"""At most one read of a relationship's log per wake-up per process, handed to all its
streams.

Each relationship with open streams in this process has a room: it hears the events
the bus announces as they commit and hands each, formatted once, to every stream of
that relationship here, without reading anything when the event is the next after
what it has read. Otherwise (a wake-up without its event, a gap, a room whose streams
are still replaying) its task reads the new events once (one query, in a worker
thread, its connection closed after) and hands them on. A stream reads the log itself
only when it opens (its replay from Last-Event-ID) and when it finds a gap in what it
was handed: it fell behind, or joined while the room was reading.

The log stays the only truth: a wake-up that never comes costs latency, not an event,
because every room also re-reads its log at least every `SAFETY_READ_SECONDS`. That
is rare on purpose: the bus loses a wake-up only when PostgreSQL's LISTEN connection
drops, and the bus then wakes everything once it is back; the re-read is a
last resort whose cost (one query per relationship, not per stream) stays small with
thousands of idle streams.
"""

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

from tend.live import bus
from tend.live.events import after
from tend.live.models import Event

log = logging.getLogger(__name__)

# Events read at once; a stream more than this behind reads the log itself.
LIMIT = 200
SAFETY_READ_SECONDS = 300.0


@dataclass(frozen=True)
class Note:
    """One event as every stream sends it, formatted once."""

    seq: int
    kind: str
    subject_id: int | None
    text: bytes


def note_of(event: Event) -> Note:
    return note_of_data(event.as_data())


def note_of_data(data: bus.Data) -> Note:
    """From `Event.as_data()`, as read from the log or carried by the bus."""
    seq, kind, subject = data["seq"], data["kind"], data.get("subject")
    if not (isinstance(seq, int) and isinstance(kind, str)):
        raise ValueError("not an event")
    if not (subject is None or isinstance(subject, int)):
        raise ValueError("not an event")
    # No `event:` field: every kind arrives at the page's one onmessage handler.
    text = f"id: {seq}\ndata: {json.dumps(data)}\n\n"
    return Note(seq, kind, subject, text.encode())


def notes_after(relationship_id: int, seq: int) -> list[Note]:
    return [note_of(event) for event in after(relationship_id, seq, LIMIT)]


def _read(relationship_id: int, seq: int) -> list[Note]:
    close_old_connections()
    try:
        return notes_after(relationship_id, seq)
    finally:
        connection.close()  # a waiting room holds no connection


read = sync_to_async(_read, thread_sensitive=False)


class Listener:
    """One stream's place in its room: what it was handed and not yet sent."""

    __slots__ = ("inbox", "room", "stale", "wake")

    def __init__(self, wake: bus.Wake) -> None:
        self.wake = wake
        self.inbox: list[Note] = []
        # Must read the log itself: it opened, fell behind, or its room could not tell.
        self.stale = True
        self.room: Room | None = None

    def hand(self, notes: list[Note]) -> None:
        if len(self.inbox) + len(notes) > LIMIT:
            self.inbox.clear()  # too far behind: it reads the log itself instead
            self.stale = True
        else:
            self.inbox.extend(notes)
        self.wake.set()

    def take(self, after_seq: int, also: Iterable[Note] = ()) -> list[Note]:
        """What is left to send after `after_seq`, in order, each once."""
        notes = {note.seq: note for note in (*also, *self.inbox) if note.seq > after_seq}
        self.inbox.clear()
        return [notes[seq] for seq in sorted(notes)]

    def has_read(self, seq: int) -> None:
        """The stream read the log itself up to `seq`: the room reads on from there."""
        if self.room is not None and self.room.cursor is None:
            self.room.cursor = seq


class Room:
    def __init__(self, relationship_id: int) -> None:
        self.relationship_id = relationship_id
        self.listeners: set[Listener] = set()
        # The last seq the room has read; None until one of its streams has read.
        self.cursor: int | None = None
        self.wake = asyncio.Event()
        self.ready = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        entry = (asyncio.get_running_loop(), self)
        async with bus.get().subscription(entry, bus.relationship_topic(self.relationship_id)):
            self.ready.set()
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), SAFETY_READ_SECONDS)
                self.wake.clear()
                try:
                    await self._read()
                except Exception:  # the database is away: try again shortly
                    log.warning("live hub: reading relationship %s failed", self.relationship_id)
                    await asyncio.sleep(1)
                    self.wake.set()

    def set(self) -> None:
        """A wake-up without its event: read the log."""
        self.wake.set()

    def hear(self, data: bus.Data) -> None:
        """The bus announces an event as it commits. The next after what the room has
        read is handed on as it is; anything else (a gap: an announcement lost or
        out of order, or no stream here has read yet) sends the room to the log."""
        try:
            note = note_of_data(data)
        except (KeyError, ValueError):
            note = None
        if note is None or self.cursor is None or note.seq != self.cursor + 1:
            if note is None or self.cursor is None or note.seq > self.cursor:
                self.wake.set()
            return
        self.cursor = note.seq
        notes = [note]
        for listener in list(self.listeners):
            listener.hand(notes)

    async def _read(self) -> None:
        if self.cursor is None:
            # Every stream here is still reading for itself, perhaps from before this
            # change committed: each reads again.
            for listener in self.listeners:
                listener.stale = True
                listener.wake.set()
            return
        notes = await read(self.relationship_id, self.cursor)
        # Announced events may have been handed on while it read.
        notes = [note for note in notes if note.seq > self.cursor]
        if not notes:
            return
        self.cursor = notes[-1].seq
        for listener in list(self.listeners):
            listener.hand(notes)
        if len(notes) == LIMIT:
            self.wake.set()  # more to read


class Hub:
    """The rooms of one event loop."""

    def __init__(self) -> None:
        self.rooms: dict[int, Room] = {}

    @contextlib.asynccontextmanager
    async def joined(self, relationship_id: int, listener: Listener) -> AsyncIterator[None]:
        room = self.rooms.get(relationship_id)
        if room is None:
            room = self.rooms[relationship_id] = Room(relationship_id)
        room.listeners.add(listener)
        listener.room = room
        try:
            # Listening before the stream's own first read, so no change falls between.
            await room.ready.wait()
            yield
        finally:
            room.listeners.discard(listener)
            listener.room = None
            if not room.listeners and self.rooms.get(relationship_id) is room:
                del self.rooms[relationship_id]
                room.task.cancel()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get() -> Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub()
    return hub
