"""Writing to a relationship's event log, and telling the apps above what was written.

Only action functions call `emit`, inside the transaction that makes the change it
records, so an event exists if and only if its change committed. `live` knows no
feature: each app declares its own kinds (a `Kind` enum in its `events.py`) and, from
its `AppConfig.ready`, may `subscribe` to hear of every event as it is recorded.
"""

import logging
from collections.abc import Callable, Iterable
from enum import StrEnum

from django.db import connection, transaction

from tend.live import bus
from tend.live.models import Event

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]
# Each subscriber with the kinds it hears (None: every kind).
_subscribers: list[tuple[Subscriber, frozenset[str] | None]] = []


class Kind(StrEnum):
    """The base of every app's event kinds: `class GardenEvent(Kind): MEMBER_JOINED = …`.
    A kind exists only as a member of one of these enums, so it is declared once."""


def declared() -> frozenset[str]:
    """Every kind some app declares (each app's events module is loaded by its ready())."""
    return frozenset(kind.value for enum in Kind.__subclasses__() for kind in enum)


def subscribe(subscriber: Subscriber, kinds: Iterable[str] | None = None) -> None:
    """Called from an app's `ready()`: `subscriber(event)` then runs for every event of
    these kinds (of every kind, without them), in the writing transaction, in a
    savepoint of its own (see `emit`). Naming the kinds spares the others a savepoint."""
    entry = (subscriber, None if kinds is None else frozenset(str(kind) for kind in kinds))
    if entry not in _subscribers:
        _subscribers.append(entry)


def emit(
    relationship_id: int,
    kind: str,
    *,
    actor_id: int | None = None,
    repair_id: int | None = None,
    subject_id: int | None = None,
) -> Event:
    if kind not in declared():
        raise ValueError(f"unknown event kind {kind!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("emit() must run inside the transaction that makes the change")
    # The counter is the log owner's row (`Relationship.last_seq`), reached through the
    # log's own foreign key so live imports nothing above it. The UPDATE takes that
    # row's lock until commit, so concurrent writers get consecutive numbers and commit
    # in number order: a stream that has read seq N can never later miss an N-1 that
    # committed after it.
    seq = _next_seq(relationship_id)
    event = Event.objects.create(
        relationship_id=relationship_id,
        seq=seq,
        kind=str(kind),
        actor_id=actor_id,
        repair_id=repair_id,
        subject_id=subject_id,
    )
    for subscriber, heard in _subscribers:
        if heard is None or event.kind in heard:
            _tell(subscriber, event)
    bus.get().publish(relationship_id, event.as_data())
    return event


def _next_seq(relationship_id: int) -> int:
    """Bumps the owner's counter and reads it back in one statement (`RETURNING`, on
    SQLite 3.35+ and PostgreSQL alike): one query fewer before every commit."""
    owner = Event._meta.get_field("relationship").related_model._meta
    table = connection.ops.quote_name(owner.db_table)
    column = connection.ops.quote_name(owner.get_field("last_seq").column)
    key = connection.ops.quote_name(owner.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the model's own metadata, quoted; the value is a parameter.
            f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s RETURNING {column}",  # noqa: S608
            [relationship_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Event._meta.get_field("relationship").related_model.DoesNotExist(relationship_id)
    return int(row[0])


def _tell(subscriber: Subscriber, event: Event) -> None:
    """One subscriber, in a savepoint: what it writes exists if and only if the event
    does, and should it fail, the change itself still commits (and it is logged)."""
    try:
        with transaction.atomic():
            subscriber(event)
    except Exception as error:
        # Only the kind of failure and ids: never anything that could hold text.
        log.error(
            "live: fan-out of event %s (%s) to %s failed: %s",
            event.pk,
            event.kind,
            getattr(subscriber, "__module__", "?"),
            type(error).__name__,
        )


def after(relationship_id: int, seq: int, limit: int = 200) -> list[Event]:
    return list(
        Event.objects.filter(relationship_id=relationship_id, seq__gt=seq).order_by("seq")[:limit]
    )
