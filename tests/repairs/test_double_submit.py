"""A double tap is one move: the same person's same move sent twice at the same
instant records one change and one event, for every move of a repair.

Real threads on a real database, as in test_races.py; each move is raced over several
fresh rooms, because a lost race shows only some of the time. The second press is
either a quiet no-op or refused kindly (the process's "you have already said so"),
never applied twice.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from tend.gardens import actions as gardens
from tend.gardens.models import Relationship
from tend.live.models import Event
from tend.repairs import actions, content, reengagement
from tend.repairs.machine import Refused
from tend.repairs.models import (
    Affirmation,
    AgreementItem,
    NeedRequest,
    Participation,
    Proposal,
    ReconvenePlan,
    Reflection,
    Repair,
    Request,
    RequestAnswer,
    Turn,
    VoiceMessage,
)
from tests.conftest import feel_safe, make_user
from tests.sealed import sealed

ROUNDS = 10
SOON = datetime(2030, 5, 1, 18, 0, tzinfo=UTC)
CONSIDERED = sealed()  # the considerations checklist, sealed on the device

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Room:
    repair: Repair
    ana: Participation
    bo: Participation

    def fresh(self, who: Participation) -> Participation:
        """The participation as a view would have read it: before the action's lock."""
        return Participation.objects.get(pk=who.pk)

    def reload(self) -> Repair:
        self.repair.refresh_from_db()
        return self.repair


_rooms = 0


def new_room(*, join_bo: bool = True) -> Room:
    global _rooms
    _rooms += 1
    ana, bo = (make_user(f"{name}{_rooms}") for name in ("ana", "bo"))
    relationship = gardens.create_relationship(ana, name="Us", kind="friend")
    gardens.accept_invitation(bo, gardens.create_invitation(ana, relationship))
    feel_safe(relationship, ana, bo)
    repair = actions.open_repair(ana, relationship, "hurt")
    parts = [actions.participation_of(repair, person) for person in (ana, bo)]
    if join_bo:
        actions.join(repair, parts[1])
    return Room(repair, *parts)


def together_room(*, at: str = "considerations") -> Room:
    """Two people in step 5, moved on to the phase `at` the way they would be."""
    room = new_room()
    for part in (room.ana, room.bo):
        actions.mark_ready(room.repair, room.fresh(part), True)
    order = [
        "considerations",
        "space",
        "intention",
        "agreements",
        "tips",
        "listening",
        "requests",
        "clearing",
        "rebond",
    ]
    for phase in order[: order.index(at)]:
        _finish(room, phase)
    assert room.reload().phase == at
    return room


def _finish(room: Room, phase: str) -> None:
    repair = room.reload()
    if phase in {"considerations", "agreements", "tips", "requests"}:
        for part in (room.ana, room.bo):
            reengagement.done_with_phase(repair, room.fresh(part), phase)
    elif phase in {"space", "intention"}:
        proposal = reengagement.propose(repair, room.fresh(room.ana), phase, text="here", choice="")
        reengagement.accept(repair, room.fresh(room.bo), proposal, phase)
    elif phase == "listening":
        reengagement.choose_first_speaker(repair, room.fresh(room.ana), room.fresh(room.ana), phase)
        for listener, speaker in ((room.bo, room.ana), (room.ana, room.bo)):
            turn = Turn.objects.filter(repair=repair, heard_at__isnull=True).earliest("position")
            reflection = reengagement.reflect_back(
                repair,
                room.fresh(listener),
                turn,
                phase,
                heard="I heard you",
                body="",
                said_aloud=False,
            )
            reengagement.answer_reflection(
                repair, room.fresh(speaker), reflection, phase, heard=True
            )
    elif phase == "clearing":
        for part in (room.ana, room.bo):
            reengagement.answer_clear(repair, room.fresh(part), True, phase)


def twice_at_once(move: Callable[[], object]) -> list[BaseException]:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            move()
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def last_seq(repair: Repair) -> int:
    return Relationship.objects.values_list("last_seq", flat=True).get(pk=repair.relationship_id)


def kinds_after(repair: Repair, seq: int) -> list[str]:
    return list(
        Event.objects.filter(relationship_id=repair.relationship_id, seq__gt=seq)
        .order_by("seq")
        .values_list("kind", flat=True)
    )


@dataclass
class Case:
    """A room ready for the move, the move itself (given the room), the events one press
    records, and how many of the thing it makes or changes there are afterwards."""

    make_room: Callable[[], Room]
    move: Callable[[Room], Callable[[], object]]
    kinds: list[str]
    count: Callable[[Room], int]


def _count_participations(status: str, besides: int = 0) -> Callable[[Room], int]:
    return lambda room: (
        Participation.objects.filter(repair=room.repair, status=status).count() - besides
    )


def _plan_room() -> Room:
    room = new_room()
    actions.propose_plan(room.repair, room.fresh(room.ana), SOON, "the park")
    return room


def _agreed_plan_room() -> Room:
    room = _plan_room()
    plan = ReconvenePlan.objects.get(repair=room.repair)
    actions.accept_plan(room.repair, room.fresh(room.bo), plan)
    return room


def _ready_room() -> Room:
    room = new_room()
    actions.mark_ready(room.repair, room.fresh(room.ana), True)
    return room


def _paused_room() -> Room:
    room = new_room()
    actions.set_paused(room.repair, room.fresh(room.ana), True)
    return room


def _need_room() -> Room:
    room = new_room()
    actions.ask_need(room.repair, room.fresh(room.ana), "space", "")
    return room


def _agreed_time_room() -> Room:
    """Both ready, an agreed time in the future: only starting early opens step 5."""
    room = new_room()
    plan = actions.propose_plan(room.repair, room.fresh(room.ana), SOON, "the park")
    actions.accept_plan(room.repair, room.fresh(room.bo), plan)
    for part in (room.ana, room.bo):
        actions.mark_ready(room.repair, room.fresh(part), True)
    reengagement.start_early(room.repair, room.fresh(room.bo))
    return room


def _all_ready_room_waiting_for_time() -> Room:
    room = _agreed_time_room()
    # The agreed time comes: anyone may now begin.
    ReconvenePlan.objects.filter(repair=room.repair).update(meet_at=SOON.replace(year=2020))
    return room


def _proposal(room: Room) -> Proposal:
    return Proposal.objects.filter(repair=room.repair, status="proposed").get()


def _listening_turn_room(stage: str) -> Room:
    room = together_room(at="listening")
    reengagement.choose_first_speaker(
        room.repair, room.fresh(room.ana), room.fresh(room.ana), "listening"
    )
    if stage == "answer":
        turn = Turn.objects.filter(repair=room.repair).earliest("position")
        reengagement.reflect_back(
            room.repair,
            room.fresh(room.bo),
            turn,
            "listening",
            heard="alone",
            body="",
            said_aloud=False,
        )
    return room


def _request_room() -> Room:
    room = together_room(at="requests")
    reengagement.make_request(
        room.repair,
        room.fresh(room.ana),
        "Tell me first.",
        date.today() + timedelta(days=7),
        "requests",
    )
    return room


def _not_clear_room() -> Room:
    room = together_room(at="clearing")
    reengagement.answer_clear(room.repair, room.fresh(room.ana), True, "clearing")
    reengagement.answer_clear(room.repair, room.fresh(room.bo), False, "clearing")
    return room


def _rebond_agreed_room(way: str = "long_hug") -> Room:
    room = together_room(at="rebond")
    proposal = reengagement.propose(room.repair, room.fresh(room.ana), "rebond", choice=way)
    reengagement.accept(room.repair, room.fresh(room.bo), proposal, "rebond")
    return room


def _apart_listening_room() -> Room:
    """Apart, at listening, ana speaking first and bo her listener."""
    room = together_room(at="listening")
    reengagement.choose_presence(room.repair, room.fresh(room.ana), "apart", "listening")
    reengagement.choose_first_speaker(
        room.repair, room.fresh(room.ana), room.fresh(room.ana), "listening"
    )
    return room


def _soon_date() -> date:
    return date.today() + timedelta(days=7)


CASES: dict[str, Case] = {
    # The personal and shared moves before coming back reengagement.
    "join": Case(
        lambda: new_room(join_bo=False),
        lambda room: lambda: actions.join(room.repair, room.fresh(room.bo)),
        ["participant_joined"],
        _count_participations("joined", besides=1),  # ana opened it
    ),
    "not yet": Case(
        lambda: new_room(join_bo=False),
        lambda room: lambda: actions.not_yet(room.repair, room.fresh(room.bo)),
        ["participant_not_yet"],
        _count_participations("not_yet"),
    ),
    "ready": Case(
        new_room,
        lambda room: lambda: actions.mark_ready(room.repair, room.fresh(room.ana), True),
        ["ready_changed"],
        lambda room: Participation.objects.filter(repair=room.repair, ready=True).count(),
    ),
    "take back ready": Case(
        _ready_room,
        lambda room: lambda: actions.mark_ready(room.repair, room.fresh(room.ana), False),
        ["ready_changed"],
        lambda room: Participation.objects.filter(repair=room.repair, ready=False).count() - 1,
    ),
    "pause": Case(
        new_room,
        lambda room: lambda: actions.set_paused(room.repair, room.fresh(room.ana), True),
        ["pause_changed"],
        lambda room: Participation.objects.filter(repair=room.repair, paused=True).count(),
    ),
    "resume": Case(
        _paused_room,
        lambda room: lambda: actions.set_paused(room.repair, room.fresh(room.ana), False),
        ["pause_changed"],
        lambda room: 2 - Participation.objects.filter(repair=room.repair, paused=True).count() - 1,
    ),
    "voice message": Case(
        new_room,
        lambda room: lambda: actions.send_message(room.repair, room.fresh(room.ana), "I am here."),
        ["message_sent"],
        lambda room: VoiceMessage.objects.filter(repair=room.repair).count(),
    ),
    "need ask": Case(
        new_room,
        lambda room: lambda: actions.ask_need(room.repair, room.fresh(room.ana), "space", "a walk"),
        ["need_asked"],
        lambda room: NeedRequest.objects.filter(repair=room.repair).count(),
    ),
    "need acknowledge": Case(
        _need_room,
        lambda room: (
            lambda: actions.acknowledge_need(
                room.repair, room.fresh(room.bo), NeedRequest.objects.get(repair=room.repair)
            )
        ),
        ["need_acknowledged"],
        lambda room: NeedRequest.acknowledged_by.through.objects.filter(
            needrequest__repair=room.repair
        ).count(),
    ),
    "plan propose": Case(
        new_room,
        lambda room: (
            lambda: actions.propose_plan(room.repair, room.fresh(room.ana), SOON, "the park")
        ),
        ["plan_proposed"],
        lambda room: ReconvenePlan.objects.filter(repair=room.repair).count(),
    ),
    "need longer": Case(
        _agreed_plan_room,
        lambda room: (
            lambda: actions.propose_plan(
                room.repair, room.fresh(room.ana), SOON + timedelta(days=1), "the park", longer=True
            )
        ),
        ["plan_proposed"],
        lambda room: ReconvenePlan.objects.filter(repair=room.repair).count() - 1,
    ),
    "plan accept": Case(
        _plan_room,
        lambda room: (
            lambda: actions.accept_plan(
                room.repair, room.fresh(room.bo), ReconvenePlan.objects.get(repair=room.repair)
            )
        ),
        ["plan_agreed"],
        lambda room: ReconvenePlan.objects.filter(repair=room.repair, status="agreed").count(),
    ),
    "close": Case(
        new_room,
        lambda room: lambda: actions.close_repair(room.repair, room.fresh(room.ana)),
        ["repair_closed"],
        lambda room: Repair.objects.filter(pk=room.repair.pk, stage="closed").count(),
    ),
    "add guest": Case(
        new_room,
        lambda room: lambda: actions.add_guest(room.repair, room.fresh(room.ana), "Gus"),
        ["participant_joined"],
        lambda room: Participation.objects.filter(repair=room.repair, user__isnull=True).count(),
    ),
    "start early": Case(
        lambda: _agreed_time_room(),
        lambda room: lambda: reengagement.start_early(room.repair, room.fresh(room.ana)),
        ["together_changed", "together_changed"],  # the yes, and step 5 opening with it
        lambda room: Repair.objects.filter(pk=room.repair.pk, stage="together").count(),
    ),
    "begin": Case(
        _all_ready_room_waiting_for_time,
        lambda room: lambda: reengagement.begin(room.repair, room.fresh(room.ana)),
        ["together_changed"],
        lambda room: (
            Repair.objects.filter(pk=room.repair.pk, stage="together").count()
            * AgreementItem.objects.filter(repair=room.repair).count()
            // len(content.DEFAULT_AGREEMENTS)
        ),
    ),
    # The sixteen moves of step 5 ("begin" and "start early" above are two of them).
    "consider": Case(
        together_room,
        lambda room: (
            lambda: reengagement.consider(
                room.repair, room.fresh(room.ana), CONSIDERED, "considerations"
            )
        ),
        [],  # private: no event
        lambda room: int(room.fresh(room.ana).considerations == CONSIDERED),
    ),
    "done with phase": Case(
        together_room,
        lambda room: (
            lambda: reengagement.done_with_phase(
                room.repair, room.fresh(room.ana), "considerations"
            )
        ),
        ["together_changed"],
        lambda room: Participation.objects.filter(
            repair=room.repair, phase_done="considerations"
        ).count(),
    ),
    "propose": Case(
        lambda: together_room(at="space"),
        lambda room: (
            lambda: reengagement.propose(
                room.repair, room.fresh(room.ana), "space", text="the kitchen", choice="indoors"
            )
        ),
        ["together_changed"],
        lambda room: Proposal.objects.filter(repair=room.repair, kind="space").count(),
    ),
    "accept": Case(
        lambda: _with(together_room(at="space"), "space proposal"),
        lambda room: (
            lambda: reengagement.accept(room.repair, room.fresh(room.bo), _proposal(room), "space")
        ),
        ["together_changed"],
        lambda room: Proposal.accepted_by.through.objects.filter(
            proposal__repair=room.repair
        ).count(),
    ),
    "add agreement": Case(
        lambda: together_room(at="agreements"),
        lambda room: (
            lambda: reengagement.add_agreement(
                room.repair, room.fresh(room.ana), "No phones.", "agreements"
            )
        ),
        ["together_changed"],
        lambda room: AgreementItem.objects.filter(repair=room.repair, key="").count(),
    ),
    "choose first speaker": Case(
        lambda: together_room(at="listening"),
        lambda room: (
            lambda: reengagement.choose_first_speaker(
                room.repair, room.fresh(room.ana), room.fresh(room.bo), "listening"
            )
        ),
        ["together_changed"],
        lambda room: Turn.objects.filter(repair=room.repair).count() // 2,
    ),
    "reflect back": Case(
        lambda: _listening_turn_room("reflect"),
        lambda room: (
            lambda: reengagement.reflect_back(
                room.repair,
                room.fresh(room.bo),
                Turn.objects.filter(repair=room.repair).earliest("position"),
                "listening",
                heard="You felt alone.",
                body="",
                said_aloud=False,
            )
        ),
        ["together_changed"],
        lambda room: Reflection.objects.filter(turn__repair=room.repair).count(),
    ),
    "answer reflection": Case(
        lambda: _listening_turn_room("answer"),
        lambda room: (
            lambda: reengagement.answer_reflection(
                room.repair,
                room.fresh(room.ana),
                Reflection.objects.get(turn__repair=room.repair),
                "listening",
                heard=True,
            )
        ),
        ["together_changed"],
        lambda room: Turn.objects.filter(repair=room.repair, heard_at__isnull=False).count(),
    ),
    "make request": Case(
        lambda: together_room(at="requests"),
        lambda room: (
            lambda: reengagement.make_request(
                room.repair, room.fresh(room.ana), "Tell me first.", _soon_date(), "requests"
            )
        ),
        ["together_changed"],
        lambda room: Request.objects.filter(repair=room.repair).count(),
    ),
    "answer request": Case(
        _request_room,
        lambda room: (
            lambda: reengagement.answer_request(
                room.repair,
                room.fresh(room.bo),
                Request.objects.get(repair=room.repair),
                "requests",
                answer="yes",
            )
        ),
        ["together_changed"],
        lambda room: RequestAnswer.objects.filter(request__repair=room.repair).count(),
    ),
    "answer clear": Case(
        lambda: together_room(at="clearing"),
        lambda room: (
            lambda: reengagement.answer_clear(room.repair, room.fresh(room.ana), True, "clearing")
        ),
        ["together_changed"],
        lambda room: Participation.objects.filter(repair=room.repair, clear=True).count(),
    ),
    "choose next: apart": Case(
        _not_clear_room,
        lambda room: (
            lambda: reengagement.choose_next(room.repair, room.fresh(room.bo), False, "clearing")
        ),
        ["together_changed"],
        lambda room: Participation.objects.filter(repair=room.repair, ready=False).count() // 2,
    ),
    "choose next: listen again": Case(
        _not_clear_room,
        lambda room: (
            lambda: reengagement.choose_next(room.repair, room.fresh(room.bo), True, "clearing")
        ),
        ["together_changed"],
        lambda room: room.reload().listening_round - 1,
    ),
    "affirm": Case(
        # Words of affirmation are written once they are the way agreed on.
        lambda: _rebond_agreed_room("words_of_affirmation"),
        lambda room: (
            lambda: reengagement.affirm(
                room.repair, room.fresh(room.ana), "Thank you for listening.", "rebond"
            )
        ),
        ["together_changed"],
        lambda room: Affirmation.objects.filter(repair=room.repair).count(),
    ),
    "confirm rebond": Case(
        _rebond_agreed_room,
        lambda room: (
            lambda: reengagement.confirm_rebond(room.repair, room.fresh(room.ana), "rebond")
        ),
        ["together_changed"],
        lambda room: Participation.objects.filter(repair=room.repair, rebonded=True).count(),
    ),
}


# Step 5 apart: saying where you are, and the speaker's typed words.
CASES["choose presence"] = Case(
    together_room,
    lambda room: (
        lambda: reengagement.choose_presence(
            room.repair, room.fresh(room.ana), "apart", "considerations"
        )
    ),
    ["presence_changed"],
    lambda room: int(room.reload().presence == "apart"),
)
CASES["share turn"] = Case(
    _apart_listening_room,
    lambda room: (
        lambda: reengagement.share_turn(
            room.repair,
            room.fresh(room.ana),
            Turn.objects.get(repair=room.repair, position=0),
            "listening",
            "I felt alone.",
        )
    ),
    ["turn_shared"],
    # Encrypted at rest: compared as read, not in the database.
    lambda room: sum(t.shared == "I felt alone." for t in Turn.objects.filter(repair=room.repair)),
)
CASES["affirm apart: a kind message"] = Case(
    lambda: _apart_rebond_room("kind_message"),
    lambda room: (
        lambda: reengagement.affirm(room.repair, room.fresh(room.ana), "You matter.", "rebond")
    ),
    ["together_changed"],
    lambda room: Affirmation.objects.filter(repair=room.repair).count(),
)


def _apart_rebond_room(way: str) -> Room:
    room = together_room(at="rebond")
    reengagement.choose_presence(room.repair, room.fresh(room.ana), "apart", "rebond")
    proposal = reengagement.propose(room.repair, room.fresh(room.ana), "rebond", choice=way)
    reengagement.accept(room.repair, room.fresh(room.bo), proposal, "rebond")
    return room


def _with(room: Room, what: str) -> Room:
    assert what == "space proposal"
    reengagement.propose(room.repair, room.fresh(room.ana), "space", text="the kitchen", choice="")
    return room


@pytest.mark.parametrize("name", list(CASES))
def test_the_same_move_twice_at_once_counts_once(name: str) -> None:
    case = CASES[name]
    for round_number in range(ROUNDS):
        room = case.make_room()
        before = last_seq(room.repair)
        errors = twice_at_once(case.move(room))
        # The second press may be refused kindly; nothing else may go wrong.
        assert all(isinstance(error, Refused) for error in errors), (round_number, errors)
        assert len(errors) <= 1, (round_number, errors)
        assert kinds_after(room.repair, before) == case.kinds, round_number
        assert case.count(room) == 1, round_number


def test_a_person_may_still_say_new_words_after_the_same_ones() -> None:
    """Only an exact repeat of one's own latest words is taken as a double tap."""
    room = new_room()
    ana = room.fresh(room.ana)
    actions.send_message(room.repair, ana, "I am here.")
    actions.send_message(room.repair, room.fresh(room.ana), "And I am listening.")
    actions.send_message(room.repair, room.fresh(room.bo), "I am here.")  # another person
    assert VoiceMessage.objects.filter(repair=room.repair).count() == 3
