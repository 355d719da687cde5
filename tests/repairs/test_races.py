"""Two people pressing at the same instant: no update lost, no phase skipped or advanced
twice. Real threads on a real database (SQLite in IMMEDIATE mode, or PostgreSQL)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from tend.gardens import actions as gardens
from tend.repairs import actions, reengagement
from tend.repairs.machine import Refused
from tend.repairs.models import Participation, Repair
from tests.conftest import feel_safe, make_user


def at_once(*moves: Callable[[], None]) -> list[BaseException]:
    barrier = threading.Barrier(len(moves))
    errors: list[BaseException] = []

    def run(move: Callable[[], None]) -> None:
        try:
            barrier.wait()
            move()
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(move,)) for move in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def room(transactional_db: None) -> tuple[Repair, list[Participation]]:
    people = [make_user(name) for name in ("ana", "bo", "cas")]
    relationship = gardens.create_relationship(people[0], name="Us", kind="family")
    for person in people[1:]:
        gardens.accept_invitation(person, gardens.create_invitation(people[0], relationship))
    feel_safe(relationship, *people)
    repair = actions.open_repair(people[0], relationship, "hurt")
    parts = []
    for person in people:
        part = actions.participation_of(repair, person)
        if not part.joined:
            actions.join(repair, part)
        parts.append(part)
    for part in parts:
        actions.mark_ready(repair, part, True)
    repair.refresh_from_db()
    assert repair.phase == "considerations"
    return repair, parts


def test_everyone_done_at_once_advances_exactly_one_phase(room) -> None:  # type: ignore[no-untyped-def]
    repair, parts = room
    errors = at_once(
        *(lambda p=p: reengagement.done_with_phase(repair, p, "considerations") for p in parts)
    )
    assert errors == []
    repair.refresh_from_db()
    assert repair.phase == "space"
    assert set(
        Participation.objects.filter(repair=repair).values_list("phase_done", flat=True)
    ) == {"considerations"}


def test_two_accepting_at_once_both_count_and_agree_once(room) -> None:  # type: ignore[no-untyped-def]
    repair, parts = room
    for part in parts:
        reengagement.done_with_phase(repair, part, "considerations")
    proposal = reengagement.propose(repair, parts[0], "space", text="the garden")
    errors = at_once(
        *(lambda p=p: reengagement.accept(repair, p, proposal, "space") for p in parts[1:])
    )
    assert errors == []
    proposal.refresh_from_db()
    assert proposal.status == "agreed"
    assert proposal.accepted_by.count() == 2
    repair.refresh_from_db()
    assert repair.phase == "intention"


def test_the_same_confirmation_twice_at_once_counts_once(room) -> None:  # type: ignore[no-untyped-def]
    repair, parts = room
    errors = at_once(
        lambda: reengagement.done_with_phase(repair, parts[0], "considerations"),
        lambda: reengagement.done_with_phase(repair, parts[0], "considerations"),
    )
    # One of the two is refused kindly ("you have already said so"), never both applied.
    assert len(errors) == 1 and isinstance(errors[0], Refused)
    repair.refresh_from_db()
    assert repair.phase == "considerations"


def test_many_opening_at_once_after_a_completed_repair_meet_in_one(  # type: ignore[no-untyped-def]
    room,
) -> None:
    """Once a repair is completed, everyone pressing "open" at once ends in one new repair
    (it used to fail a third of them: the fallback still counted the completed one)."""
    repair, parts = room
    Repair.objects.filter(pk=repair.pk).update(stage=Repair.Stage.COMPLETED)
    relationship = repair.relationship
    people = [part.user for part in parts]
    # Bounded by the PostgreSQL pass's connection pool, with room for the test's own.
    presses = 36
    pressers = [(people[i % len(people)], "triggered" if i % 2 else "hurt") for i in range(presses)]
    errors = at_once(
        *(
            lambda person=person, opening=opening: actions.open_repair(
                person, relationship, opening
            )
            for person, opening in pressers
        )
    )
    assert errors == []
    opened = Repair.objects.open().filter(relationship=relationship)
    assert opened.count() == 1
    new = opened.get()
    assert new.pk != repair.pk
    assert all(p.joined for p in Participation.objects.filter(repair=new))
