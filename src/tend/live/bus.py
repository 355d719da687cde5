"""Wakes waiting event streams when a relationship's log grows.

The log in the database is the truth; the bus only shortens the wait. A lost
wake-up costs latency, not correctness, because each relationship's readers
(`live.hub`) also re-read its log now and then. A wake-up about a relationship
carries the event it announces (its kind, seq and ids: what the log row holds, never
text), so a room that has read up to the seq before hands it on without reading
the log; any other room reads the log, which stays the only truth. It also tells a session's open
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
import json
import logging
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

CHANNEL = "tend_live"
# A payload is a relationship's id (and, after a space, the event as JSON), or this
# prefix and a session's topic.
SESSION_PREFIX = "s:"

# What a stream waits on: a relationship's log ("r", id), or its session ("s", topic).
type Topic = tuple[str, int | str]


class Settable(Protocol):
    def set(self) -> None: ...


# An event as streams send it (`Event.as_data()`): kind, seq and ids.
type Data = dict[str, object]


# What a wake-up sets: an asyncio.Event, or anything that notes why and sets one.
type Entry = tuple[asyncio.AbstractEventLoop, Settable]


def relationship_topic(relationship_id: int) -> Topic:
    return ("r", relationship_id)


def session_topic(session_key: str) -> Topic:
    # A digest, not the key: the key is a credential, and payloads can reach logs.
    return ("s", hashlib.sha256(session_key.encode()).hexdigest()[:32])


class Wake:
    """An `asyncio.Event` for one waiter (a stream), lighter: every idle stream holds
    one, and an Event's deque of waiters alone is ~600 bytes. `wait` takes its own
    timeout, sparing a `wait_for` and its timeout object at every wait."""

    __slots__ = ("_set", "_waiter")

    def __init__(self) -> None:
        self._set = False
        self._waiter: asyncio.Future[None] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self, timeout: float | None = None) -> bool:
        """True once set; False when `timeout` seconds passed first."""
        if self._set:
            return True
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = None if timeout is None else loop.call_later(timeout, _expire, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()
        return self._set


def _expire(waiter: "asyncio.Future[None]") -> None:
    if not waiter.done():
        waiter.set_result(None)


def new_entry() -> tuple[asyncio.AbstractEventLoop, Wake]:
    return (asyncio.get_running_loop(), Wake())


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

    def wake(self, topic: Topic, event: Data | None = None) -> None:
        with self._lock:
            entries = list(self._by_topic.get(topic, ()))
        for entry in entries:
            loop, waiter = entry
            # A hub's room takes the event itself (`hear`, on its loop); a stream is woken.
            hear = getattr(waiter, "hear", None) if event is not None else None
            if hear is None:
                set_entry(entry)
            else:
                with contextlib.suppress(RuntimeError):  # that loop has closed
                    loop.call_soon_threadsafe(hear, event)

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

    def publish(self, relationship_id: int, event: Data | None = None) -> None:
        """Announces, on commit, that the relationship's log grew (by this event)."""
        topic = relationship_topic(relationship_id)
        transaction.on_commit(lambda: self.waiters.wake(topic, event))

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

    def publish(self, relationship_id: int, event: Data | None = None) -> None:
        # "<relationship id> <event as JSON>": ids and a kind only, as the log row.
        payload = str(relationship_id)
        if event is not None:
            payload += " " + json.dumps(event, separators=(",", ":"))
        self._notify(payload)

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
                        self.waiters.wake(*_heard(note.payload))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database went away; streams keep polling meanwhile
                log.warning("live bus: LISTEN connection lost; retrying in %.1fs", delay)
                ready.set()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)


def _heard(payload: str) -> tuple[Topic, Data | None]:
    """The topic of a NOTIFY payload, and the event it carries (None: only a wake-up,
    as from a process that announces no event, or one that could not be read)."""
    if payload.startswith(SESSION_PREFIX):
        return ("s", payload.removeprefix(SESSION_PREFIX)), None
    head, _, rest = payload.partition(" ")
    try:
        topic = relationship_topic(int(head))
    except ValueError:
        return ("", payload), None  # nobody waits on it
    try:
        event = json.loads(rest) if rest else None
    except ValueError:
        event = None
    return topic, event if isinstance(event, dict) else None


_bus: LocalBus | None = None
_bus_lock = threading.Lock()


def get() -> LocalBus:
    global _bus
    with _bus_lock:
        if _bus is None:
            _bus = PostgresBus() if settings.DATABASE_IS_POSTGRES else LocalBus()
        return _bus
