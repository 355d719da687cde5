"""Writing to a relationship's event log.

Only action functions call `emit`, inside the transaction that makes the change it
records, so an event exists if and only if its change committed.
"""

from django.db import connection
from django.db.models import F

from tend.gardens.models import Relationship
from tend.live import bus
from tend.live.models import Event
from tend.notify import fanout

KINDS = frozenset({"member_joined", "member_left"})


def emit(
    relationship_id: int,
    kind: str,
    *,
    actor_id: int | None = None,
    repair_id: int | None = None,
    subject_id: int | None = None,
) -> Event:
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("emit() must run inside the transaction that makes the change")
    # The UPDATE takes the relationship's row lock until commit, so concurrent writers
    # get consecutive numbers and commit in number order: a stream that has read seq N
    # can never later miss an N-1 that committed after it.
    Relationship.objects.filter(pk=relationship_id).update(last_seq=F("last_seq") + 1)
    seq = Relationship.objects.filter(pk=relationship_id).values_list("last_seq", flat=True).get()
    event = Event.objects.create(
        relationship_id=relationship_id,
        seq=seq,
        kind=kind,
        actor_id=actor_id,
        repair_id=repair_id,
        subject_id=subject_id,
    )
    fanout.event_recorded(event)  # notifications and reminders, in this same transaction
    bus.get().publish(relationship_id)
    return event


def register(*kinds: str) -> None:
    """Lets another app declare the event kinds its actions emit."""
    global KINDS
    KINDS = KINDS | frozenset(kinds)


def after(relationship_id: int, seq: int, limit: int = 200) -> list[Event]:
    return list(
        Event.objects.filter(relationship_id=relationship_id, seq__gt=seq).order_by("seq")[:limit]
    )
