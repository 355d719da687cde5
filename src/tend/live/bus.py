"""Wakes waiting event streams when a relationship's log grows.

The log in the database is the truth; the bus only shortens the wait. A lost
wake-up costs latency, not correctness, because each relationship's readers
(`live.hub`) also re-read its log now and then. It also tells a session's open
streams that the session has ended, so they re-check it at once and close. Two
backends, chosen by database:

- `LocalBus` (SQLite, one process): wakes streams in this process on commit.
- `PostgresBus`: NOTIFY inside the writing transaction (PostgreSQL delivers it
  only on commit) and one LISTEN connection per process, so a change made by
  any app instance wakes streams on every instance.
"""

import asyncio
import contextlib
import hashlib
import logging
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

CHANNEL = "tend_live"
# A payload is a relationship's id, or this prefix and a session's topic.
SESSION_PREFIX = "s:"

# What a stream waits on: a relationship's log ("r", id), or its session ("s", topic).
type Topic = tuple[str, int | str]


class Settable(Protocol):
    def set(self) -> None: ...


# What a wake-up sets: an asyncio.Event, or anything that notes why and sets one.
type Entry = tuple[asyncio.AbstractEventLoop, Settable]


def relationship_topic(relationship_id: int) -> Topic:
    return ("r", relationship_id)


def session_topic(session_key: str) -> Topic:
    # A digest, not the key: the key is a credential, and payloads can reach logs.
    return ("s", hashlib.sha256(session_key.encode()).hexdigest()[:32])


def new_entry() -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
    return (asyncio.get_running_loop(), asyncio.Event())


def set_entry(entry: Entry) -> None:
    loop, event = entry
    # Writers run in worker threads; the event belongs to the stream's loop.
    with contextlib.suppress(RuntimeError):  # that loop has closed
        loop.call_soon_threadsafe(event.set)


class Waiters:
    """The streams of this process waiting on each topic."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_topic: dict[Topic, set[Entry]] = defaultdict(set)

    def add(self, entry: Entry, *topics: Topic) -> None:
        with self._lock:
            for topic in topics:
                self._by_topic[topic].add(entry)

    def remove(self, entry: Entry, *topics: Topic) -> None:
        with self._lock:
            for topic in topics:
                entries = self._by_topic.get(topic)
                if entries is not None:
                    entries.discard(entry)
                    if not entries:
                        del self._by_topic[topic]

    def wake(self, topic: Topic) -> None:
        with self._lock:
            entries = list(self._by_topic.get(topic, ()))
        for entry in entries:
            set_entry(entry)

    def wake_all(self) -> None:
        with self._lock:
            topics = list(self._by_topic)
        for topic in topics:
            self.wake(topic)


class LocalBus:
    def __init__(self) -> None:
        self.waiters = Waiters()
        self.ending = False

    def end_streams(self) -> None:
        """The server is stopping: every stream of this process ends its response now
        (the browser reconnects, to the next server, from the last event it had)."""
        self.ending = True
        self.waiters.wake_all()

    def publish(self, relationship_id: int) -> None:
        topic = relationship_topic(relationship_id)
        transaction.on_commit(lambda: self.waiters.wake(topic))

    def session_ended(self, session_key: str) -> None:
        """Wakes that session's streams, once its end is committed, to re-check it."""
        topic = session_topic(session_key)
        transaction.on_commit(lambda: self.waiters.wake(topic))

    async def ensure_listening(self) -> None:
        return None

    @contextlib.asynccontextmanager
    async def subscription(self, entry: Entry, *topics: Topic) -> AsyncIterator[None]:
        """Sets the entry whenever one of the topics is published: a relationship's
        log grew (its hub reads it), a session ended (its streams re-check it)."""
        await self.ensure_listening()
        self.waiters.add(entry, *topics)
        try:
            yield
        finally:
            self.waiters.remove(entry, *topics)


class PostgresBus(LocalBus):
    def __init__(self) -> None:
        super().__init__()
        self._listener: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def publish(self, relationship_id: int) -> None:
        self._notify(str(relationship_id))

    def session_ended(self, session_key: str) -> None:
        self._notify(SESSION_PREFIX + str(session_topic(session_key)[1]))

    def _notify(self, payload: str) -> None:
        # Inside a transaction, PostgreSQL delivers it only once that commits.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])

    async def ensure_listening(self) -> None:
        loop = asyncio.get_running_loop()
        # One listener per process and loop (tests may run several loops in turn).
        if self._listener is None or self._listener.done() or self._loop is not loop:
            self._loop = loop
            self._ready = asyncio.Event()
            self._listener = loop.create_task(self._listen(self._ready))
        assert self._ready is not None
        # Subscribing before LISTEN is in place could miss a change made meanwhile;
        # the stream's first read happens after this, so waiting here closes that gap.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=5)

    async def _listen(self, ready: asyncio.Event) -> None:
        import psycopg

        db = settings.DATABASES["default"]
        params = {
            "dbname": db["NAME"],
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
        }
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(**params, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    ready.set()
                    delay = 0.5
                    # Anything written while we were disconnected: wake everyone to re-read.
                    self.waiters.wake_all()
                    async for note in conn.notifies():
                        self.waiters.wake(_topic_of(note.payload))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database went away; streams keep polling meanwhile
                log.warning("live bus: LISTEN connection lost; retrying in %.1fs", delay)
                ready.set()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)


def _topic_of(payload: str) -> Topic:
    if payload.startswith(SESSION_PREFIX):
        return ("s", payload.removeprefix(SESSION_PREFIX))
    try:
        return relationship_topic(int(payload))
    except ValueError:
        return ("", payload)  # nobody waits on it


_bus: LocalBus | None = None
_bus_lock = threading.Lock()


def get() -> LocalBus:
    global _bus
    with _bus_lock:
        if _bus is None:
            _bus = PostgresBus() if settings.DATABASE_IS_POSTGRES else LocalBus()
        return _bus
