"""The event log: numbered per relationship, gapless under concurrent writers, ids only."""

import threading

import pytest
from django.db import connection, transaction

from tend.accounts.models import User
from tend.gardens import actions
from tend.gardens.events import GardenEvent
from tend.gardens.models import Relationship
from tend.history.events import HistoryEvent
from tend.live import events
from tend.live.events import emit
from tend.live.models import Event
from tend.plans.events import PlanEvent
from tend.repairs.events import RepairEvent
from tests.conftest import Cast, make_user

ALLOWED_KEYS = {"kind", "seq", "actor", "repair", "subject"}


@pytest.mark.django_db(transaction=True)
def test_emit_refuses_to_run_outside_a_transaction() -> None:
    ada = make_user("ada")
    relationship = actions.create_relationship(ada, name="Us", kind="partner")

    with pytest.raises(RuntimeError, match="inside the transaction"):
        emit(relationship.pk, "member_joined", actor_id=ada.pk)

    assert Event.objects.filter(relationship=relationship).count() == 1
    relationship.refresh_from_db()
    assert relationship.last_seq == 1


def test_emit_refuses_unknown_kinds(cast: Cast) -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="unknown event kind"):
        emit(cast.us.pk, "diary_entry_written", actor_id=cast.ada.pk)

    cast.us.refresh_from_db()
    assert Event.objects.filter(relationship=cast.us).count() == cast.us.last_seq


def test_the_kinds_are_the_members_of_each_apps_enum(cast: Cast) -> None:
    assert events.declared() == {*GardenEvent, *PlanEvent, *RepairEvent, *HistoryEvent}

    with transaction.atomic():
        event = emit(cast.us.pk, GardenEvent.MEMBER_LEFT, actor_id=cast.ada.pk)

    event.refresh_from_db()
    assert event.kind == "member_left"


def test_a_subscriber_runs_inside_the_writing_transaction(cast: Cast, monkeypatch) -> None:
    heard: list[tuple[str, bool, bool]] = []

    def subscriber(event: Event) -> None:
        seen = Event.objects.filter(pk=event.pk).exists()
        heard.append((event.kind, connection.in_atomic_block, seen))
        Relationship.objects.filter(pk=event.relationship_id).update(name="renamed")

    monkeypatch.setattr(events, "_subscribers", [*events._subscribers, (subscriber, None)])
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        emit(cast.us.pk, GardenEvent.MEMBER_JOINED, actor_id=cast.dee.pk)
        1 / 0  # noqa: B018

    assert heard == [("member_joined", True, True)]
    cast.us.refresh_from_db()
    assert cast.us.name != "renamed"  # its write went with the change it heard of

    with transaction.atomic():
        emit(cast.us.pk, GardenEvent.MEMBER_JOINED, actor_id=cast.dee.pk)
    cast.us.refresh_from_db()
    assert cast.us.name == "renamed"


def test_a_failing_subscriber_never_stops_the_change_nor_the_others(
    cast: Cast, monkeypatch, caplog
) -> None:
    heard: list[int] = []

    def broken(event: Event) -> None:
        Relationship.objects.filter(pk=event.relationship_id).update(name="half-done")
        raise RuntimeError("SECRET-IN-ERROR")

    monkeypatch.setattr(
        events, "_subscribers", [(broken, None), (lambda event: heard.append(event.seq), None)]
    )
    with transaction.atomic():
        event = emit(cast.us.pk, GardenEvent.MEMBER_JOINED, actor_id=cast.dee.pk)

    assert heard == [event.seq]
    assert Event.objects.filter(pk=event.pk).exists()
    cast.us.refresh_from_db()
    assert cast.us.name != "half-done"  # its savepoint was rolled back
    assert "fan-out of event" in caplog.text
    assert "SECRET-IN-ERROR" not in caplog.text


@pytest.mark.django_db
def test_seq_is_counted_per_relationship() -> None:
    ada, ben = make_user("ada"), make_user("ben")

    first = actions.create_relationship(ada, name="One", kind="friend")
    second = actions.create_relationship(ben, name="Two", kind="friend")
    actions.accept_invitation(ben, actions.create_invitation(ada, first))
    third = actions.create_relationship(ada, name="Three", kind="family")

    def seqs(relationship: Relationship) -> list[int]:
        return list(
            Event.objects.filter(relationship=relationship)
            .order_by("seq")
            .values_list("seq", flat=True)
        )

    assert seqs(first) == [1, 2]
    assert seqs(second) == [1]
    assert seqs(third) == [1]
    first.refresh_from_db()
    assert first.last_seq == 2


def test_an_event_rolled_back_with_its_change_leaves_no_gap(cast: Cast) -> None:
    before = cast.us.last_seq

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        emit(cast.us.pk, "member_joined", actor_id=cast.dee.pk)
        1 / 0  # noqa: B018

    with transaction.atomic():
        event = emit(cast.us.pk, "member_joined", actor_id=cast.dee.pk)
    assert event.seq == before + 1


@pytest.mark.django_db(transaction=True)
def test_seq_is_gapless_under_concurrent_writers() -> None:
    threads_count, per_thread = 8, 10
    ada = make_user("ada")
    relationship = actions.create_relationship(ada, name="Busy", kind="family")
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait(timeout=10)
            for _ in range(per_thread):
                with transaction.atomic():
                    emit(relationship.pk, "member_joined", actor_id=ada.pk)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=write) for _ in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert not any(worker.is_alive() for worker in workers), "a writer hung"
    assert errors == []
    total = 1 + threads_count * per_thread  # the creator's member_joined comes first
    seqs = list(
        Event.objects.filter(relationship=relationship)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, total + 1))
    relationship.refresh_from_db()
    assert relationship.last_seq == total


@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_through_actions_number_their_events_in_order() -> None:
    ada = make_user("ada")
    relationship = actions.create_relationship(ada, name="Open house", kind="housemate")
    people = [make_user(f"guest{i}") for i in range(6)]
    links = [actions.create_invitation(ada, relationship) for _ in people]
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def join(user: User, index: int) -> None:
        try:
            start.wait(timeout=10)
            actions.accept_invitation(user, links[index])
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=join, args=(p, i)) for i, p in enumerate(people)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    joined = Event.objects.filter(relationship=relationship).order_by("seq")
    assert [e.seq for e in joined] == list(range(1, len(people) + 2))
    assert {e.subject_id for e in joined} == {ada.pk, *(p.pk for p in people)}


def test_events_carry_kinds_and_ids_never_text(cast: Cast) -> None:
    with transaction.atomic():
        full = emit(cast.us.pk, "member_joined", actor_id=cast.ada.pk, repair_id=7, subject_id=3)

    for event in [*Event.objects.filter(relationship=cast.us), full]:
        data = event.as_data()
        assert set(data) <= ALLOWED_KEYS
        assert all(isinstance(value, int) for key, value in data.items() if key != "kind")
        assert data["kind"] in events.declared()
    assert full.as_data() == {
        "kind": "member_joined",
        "seq": full.seq,
        "actor": cast.ada.pk,
        "repair": 7,
        "subject": 3,
    }


def test_after_returns_events_past_a_seq_in_order(cast: Cast) -> None:
    with transaction.atomic():
        for _ in range(3):
            emit(cast.us.pk, "member_joined")
    cast.us.refresh_from_db()

    later = events.after(cast.us.pk, cast.us.last_seq - 2)

    assert [e.seq for e in later] == [cast.us.last_seq - 1, cast.us.last_seq]
    assert events.after(cast.us.pk, cast.us.last_seq) == []
    assert len(events.after(cast.us.pk, 0, limit=2)) == 2


def test_a_subscriber_hears_only_the_kinds_it_names(cast: Cast, monkeypatch) -> None:
    heard: list[str] = []
    monkeypatch.setattr(events, "_subscribers", [])
    events.subscribe(lambda event: heard.append(event.kind), [GardenEvent.MEMBER_LEFT])

    with transaction.atomic():
        emit(cast.us.pk, GardenEvent.MEMBER_JOINED, actor_id=cast.dee.pk)
        emit(cast.us.pk, GardenEvent.MEMBER_LEFT, actor_id=cast.dee.pk)

    assert heard == ["member_left"]
