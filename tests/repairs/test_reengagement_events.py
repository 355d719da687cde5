"""The event contract of every step-5 action: which kinds it records, by whom, about
which repair, and only inside its own transaction (rolled back, it leaves no event).

Each move is made twice: first inside a transaction that is rolled back (no event, no
change), then for real (exactly the events named here). Clients re-read the screen on
any of these kinds, so a move that records none would leave the others' screens stale.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tend.live.models import Event
from tend.repairs import actions, reengagement
from tend.repairs.models import Participation, Proposal, ReconvenePlan, Repair, Turn
from tend.repairs.views.reengagement import MOVES
from tests.conftest import Cast
from tests.sealed import sealed

CHANGED = "together_changed"


class Undo(Exception):
    pass


def fresh(cast: Cast) -> Repair:
    return Repair.objects.get(pk=cast.repair.pk)


def part(cast: Cast, name: str) -> Participation:
    return Participation.objects.get(repair=cast.repair, user=getattr(cast, name))


def events_of(cast: Cast, move: Callable[[], object]) -> list[tuple[str, int | None, int | None]]:
    """The events `move` records, after checking that a rolled-back `move` records none."""
    last = Event.objects.filter(relationship=cast.us).order_by("-seq").first()
    after = last.seq if last else 0
    with pytest.raises(Undo), transaction.atomic():
        move()
        raise Undo
    assert not Event.objects.filter(relationship=cast.us, seq__gt=after).exists()
    move()
    recorded = list(Event.objects.filter(relationship=cast.us, seq__gt=after).order_by("seq"))
    # Step 5 names no subject: every screen re-reads the whole stage, each its own way.
    assert all(e.subject_id is None for e in recorded)
    return [(e.kind, e.actor_id, e.repair_id) for e in recorded]


@pytest.fixture
def step_five(cast: Cast) -> Cast:
    actions.join(cast.repair, part(cast, "ben"))
    for name in ("ada", "ben"):
        actions.mark_ready(fresh(cast), part(cast, name), True)
    assert fresh(cast).stage == Repair.Stage.TOGETHER
    return cast


def phase(cast: Cast) -> str:
    return fresh(cast).phase


def test_every_move_from_considering_to_rebonding_records_its_events(step_five: Cast) -> None:
    c = step_five
    ada, ben = c.ada.pk, c.ben.pk
    r = c.repair.pk

    made: set[str] = set()

    def move(name: str, fn: Callable[[], object]) -> list[tuple[str, int | None, int | None]]:
        made.add(name)
        return events_of(c, fn)

    # The private checklist: nobody's screen even ticks.
    assert (
        move(
            "consider",
            lambda: reengagement.consider(fresh(c), part(c, "ada"), sealed(), phase(c)),
        )
        == []
    )
    assert move(
        "done", lambda: reengagement.done_with_phase(fresh(c), part(c, "ada"), phase(c))
    ) == [(CHANGED, ada, r)]
    reengagement.done_with_phase(fresh(c), part(c, "ben"), phase(c))
    assert phase(c) == "space"
    assert move(
        "propose",
        lambda: reengagement.propose(
            fresh(c), part(c, "ada"), phase(c), text="here", choice="indoors"
        ),
    ) == [(CHANGED, ada, r)]
    proposal = Proposal.objects.get(repair=c.repair, status=Proposal.Status.PROPOSED)
    assert move(
        "accept", lambda: reengagement.accept(fresh(c), part(c, "ben"), proposal, phase(c))
    ) == [(CHANGED, ben, r)]
    reengagement.propose(fresh(c), part(c, "ben"), phase(c), text="Back to trust.")
    proposal = Proposal.objects.get(repair=c.repair, status=Proposal.Status.PROPOSED)
    reengagement.accept(fresh(c), part(c, "ada"), proposal, phase(c))
    assert phase(c) == "agreements"
    assert move(
        "agreement",
        lambda: reengagement.add_agreement(fresh(c), part(c, "ben"), "No phones.", phase(c)),
    ) == [(CHANGED, ben, r)]
    for _ in ("agreements", "tips"):
        for name in ("ada", "ben"):
            reengagement.done_with_phase(fresh(c), part(c, name), phase(c))
    assert phase(c) == "listening"
    assert move(
        "first-speaker",
        lambda: reengagement.choose_first_speaker(
            fresh(c), part(c, "ada"), part(c, "ada"), phase(c)
        ),
    ) == [(CHANGED, ada, r)]

    def turn() -> Turn:
        return (
            Turn.objects.filter(repair=c.repair, heard_at__isnull=True)
            .order_by("round", "position")
            .first()
        )

    # Apart: where they are (anyone who joined says it), then the speaker's typed words.
    assert move(
        "presence",
        lambda: reengagement.choose_presence(fresh(c), part(c, "ben"), "apart", phase(c)),
    ) == [("presence_changed", ben, r)]
    assert move(
        "share",
        lambda: reengagement.share_turn(fresh(c), part(c, "ada"), turn(), phase(c), "Alone."),
    ) == [("turn_shared", ada, r)]
    reengagement.choose_presence(fresh(c), part(c, "ada"), "together", phase(c))
    assert move(
        "reflect",
        lambda: reengagement.reflect_back(
            fresh(c), part(c, "ben"), turn(), phase(c), heard="Alone.", body="", said_aloud=False
        ),
    ) == [(CHANGED, ben, r)]
    assert move(
        "answer-reflection",
        lambda: reengagement.answer_reflection(
            fresh(c), part(c, "ada"), turn().reflections.last(), phase(c), heard=True
        ),
    ) == [(CHANGED, ada, r)]
    reengagement.reflect_back(
        fresh(c), part(c, "ada"), turn(), phase(c), heard="", body="", said_aloud=True
    )
    reengagement.answer_reflection(
        fresh(c), part(c, "ben"), turn().reflections.last(), phase(c), heard=True
    )
    assert phase(c) == "requests"
    soon = timezone.localdate() + timedelta(days=14)
    assert move(
        "request",
        lambda: reengagement.make_request(fresh(c), part(c, "ada"), "Say when.", soon, phase(c)),
    ) == [(CHANGED, ada, r)]
    asked = c.repair.requests.get()
    assert (
        move(
            "answer-request",
            lambda: reengagement.answer_request(
                fresh(c), part(c, "ben"), asked, phase(c), answer="yes"
            ),
        )
        == [(CHANGED, ben, r)]  # its commitment shows with the repair's own change
    )
    for name in ("ada", "ben"):
        reengagement.done_with_phase(fresh(c), part(c, name), phase(c))
    assert phase(c) == "clearing"
    assert move(
        "clear", lambda: reengagement.answer_clear(fresh(c), part(c, "ada"), True, phase(c))
    ) == [(CHANGED, ada, r)]
    reengagement.answer_clear(fresh(c), part(c, "ben"), False, phase(c))
    # "Not clear": choosing to pause is the other way on; here, one more round.
    assert move(
        "next", lambda: reengagement.choose_next(fresh(c), part(c, "ben"), True, phase(c))
    ) == [(CHANGED, ben, r)]
    assert phase(c) == "listening"
    reengagement.choose_first_speaker(fresh(c), part(c, "ben"), part(c, "ben"), phase(c))
    for speaker, listener in (("ben", "ada"), ("ada", "ben")):
        reengagement.reflect_back(
            fresh(c), part(c, listener), turn(), phase(c), heard="", body="", said_aloud=True
        )
        reengagement.answer_reflection(
            fresh(c), part(c, speaker), turn().reflections.last(), phase(c), heard=True
        )
    for name in ("ada", "ben"):
        reengagement.answer_clear(fresh(c), part(c, name), True, phase(c))
    assert phase(c) == "rebond"
    reengagement.propose(fresh(c), part(c, "ada"), phase(c), choice="words_of_affirmation")
    proposal = Proposal.objects.get(repair=c.repair, status=Proposal.Status.PROPOSED)
    reengagement.accept(fresh(c), part(c, "ben"), proposal, phase(c))
    assert move(
        "affirm", lambda: reengagement.affirm(fresh(c), part(c, "ben"), "Thank you.", phase(c))
    ) == [(CHANGED, ben, r)]
    assert move(
        "rebonded", lambda: reengagement.confirm_rebond(fresh(c), part(c, "ada"), phase(c))
    ) == [(CHANGED, ada, r)]
    # The last confirmation completes the repair: the change, then the completion.
    assert move(
        "rebonded-last", lambda: reengagement.confirm_rebond(fresh(c), part(c, "ben"), phase(c))
    ) == [
        (CHANGED, ben, r),
        ("repair_completed", ben, r),
    ]
    assert fresh(c).stage == Repair.Stage.COMPLETED
    # Every move but the two that open step 5 (below) was made here.
    assert made - {"rebonded-last"} == set(MOVES) - {"begin", "start-early"}


def test_starting_early_and_beginning_at_the_agreed_time(cast: Cast) -> None:
    c = cast
    r = c.repair.pk
    ReconvenePlan.objects.filter(pk=c.plan.pk).update(status=ReconvenePlan.Status.AGREED)
    Repair.objects.filter(pk=r).update(agreed_plan=c.plan)
    actions.join(fresh(c), part(c, "ben"))
    for name in ("ada", "ben"):
        actions.mark_ready(fresh(c), part(c, name), True)
    assert fresh(c).stage == Repair.Stage.PERSONAL  # the time has not come
    assert events_of(c, lambda: reengagement.start_early(fresh(c), part(c, "ada"))) == [
        (CHANGED, c.ada.pk, r)
    ]
    # The last to agree opens step 5 at once: their change, then the beginning.
    assert events_of(c, lambda: reengagement.start_early(fresh(c), part(c, "ben"))) == [
        (CHANGED, c.ben.pk, r),
        (CHANGED, c.ben.pk, r),
    ]


def test_begin_when_the_agreed_time_comes(cast: Cast) -> None:
    c = cast
    r = c.repair.pk
    ReconvenePlan.objects.filter(pk=c.plan.pk).update(
        status=ReconvenePlan.Status.AGREED, meet_at=timezone.now() + timedelta(hours=1)
    )
    Repair.objects.filter(pk=r).update(agreed_plan=c.plan)
    actions.join(fresh(c), part(c, "ben"))
    for name in ("ada", "ben"):
        actions.mark_ready(fresh(c), part(c, name), True)
    ReconvenePlan.objects.filter(pk=c.plan.pk).update(meet_at=timezone.now() - timedelta(minutes=1))
    assert events_of(c, lambda: reengagement.begin(fresh(c), part(c, "ben"))) == [
        (CHANGED, c.ben.pk, r)
    ]
    assert fresh(c).stage == Repair.Stage.TOGETHER
