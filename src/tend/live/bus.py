"""Wakes waiting event streams when a relationship's log grows.

The log in the database is the truth; the bus only shortens the wait. A lost
wake-up costs latency, not correctness, because streams also re-read at every
keep-alive. Two backends, chosen by database:

- `LocalBus` (SQLite, one process): wakes streams in this process on commit.
- `PostgresBus`: NOTIFY inside the writing transaction (PostgreSQL delivers it
  only on commit) and one LISTEN connection per process, so a change made by
  any app instance wakes streams on every instance.
"""

import asyncio
import contextlib
import logging
import threading
from collections import defaultdict
from collections.abc import AsyncIterator

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

CHANNEL = "tend_live"


class Waiters:
    """The streams of this process waiting on each relationship."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_relationship: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = (
            defaultdict(set)
        )

    def add(self, relationship_id: int) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._by_relationship[relationship_id].add(entry)
        return entry

    def remove(
        self, relationship_id: int, entry: tuple[asyncio.AbstractEventLoop, asyncio.Event]
    ) -> None:
        with self._lock:
            entries = self._by_relationship.get(relationship_id)
            if entries is not None:
                entries.discard(entry)
                if not entries:
                    del self._by_relationship[relationship_id]

    def wake(self, relationship_id: int) -> None:
        with self._lock:
            entries = list(self._by_relationship.get(relationship_id, ()))
        for loop, event in entries:
            # Writers run in worker threads; the event belongs to the stream's loop.
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(event.set)

    def wake_all(self) -> None:
        with self._lock:
            relationship_ids = list(self._by_relationship)
        for relationship_id in relationship_ids:
            self.wake(relationship_id)

    def count(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._by_relationship.values())


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
        transaction.on_commit(lambda: self.waiters.wake(relationship_id))

    async def ensure_listening(self) -> None:
        return None

    @contextlib.asynccontextmanager
    async def subscription(self, relationship_id: int) -> AsyncIterator[asyncio.Event]:
        await self.ensure_listening()
        entry = self.waiters.add(relationship_id)
        try:
            yield entry[1]
        finally:
            self.waiters.remove(relationship_id, entry)


class PostgresBus(LocalBus):
    def __init__(self) -> None:
        super().__init__()
        self._listener: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def publish(self, relationship_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(relationship_id)])

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
                        with contextlib.suppress(ValueError):
                            self.waiters.wake(int(note.payload))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database went away; streams keep polling meanwhile
                log.warning("live bus: LISTEN connection lost; retrying in %.1fs", delay)
                ready.set()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)


_bus: LocalBus | None = None
_bus_lock = threading.Lock()


def get() -> LocalBus:
    global _bus
    with _bus_lock:
        if _bus is None:
            _bus = PostgresBus() if settings.DATABASE_IS_POSTGRES else LocalBus()
        return _bus
