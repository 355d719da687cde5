"""The rules of step 5 in `tend.repairs.machine.reengagement`, one rule and one refusal at
a time, as steps 1-4 have theirs in `test_machine.py`.

Every case is built from unsaved model instances: the rules are plain functions of a
`Scene` and need no database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from tend.repairs import machine
from tend.repairs.machine import Action, Refused, Scene
from tend.repairs.machine import reengagement as rules
from tend.repairs.models import (
    Participation,
    Proposal,
    ReconvenePlan,
    Reflection,
    Repair,
    Request,
    RequestAnswer,
    Turn,
)

Phase = Repair.Phase
Stage = Repair.Stage
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ADA, BEN, CY = 1, 2, 3


def person(pk: int, **fields: object) -> Participation:
    values: dict[str, object] = {
        "status": Participation.Status.JOINED,
        "ready": True,
        "user_id": pk,
    }
    return Participation(pk=pk, **(values | fields))


def make_scene(
    phase: str = "",
    *,
    stage: str = Stage.TOGETHER,
    people: list[Participation] | None = None,
    meet_in: timedelta | None = None,
    **parts: object,
) -> Scene:
    repair = Repair(pk=10, stage=stage, phase=phase, opening=Repair.Opening.HURT)
    if meet_in is not None:
        repair.agreed_plan = ReconvenePlan(pk=5, meet_at=NOW + meet_in)
    if people is None:
        people = [person(ADA), person(BEN)]
    return Scene(repair=repair, participants=people, now=NOW, **parts)  # type: ignore[arg-type]


def who(scene: Scene, pk: int) -> Participation:
    return next(p for p in scene.participants if p.pk == pk)


def turn(pk: int, speaker: int, listener: int, heard: bool = False) -> Turn:
    return Turn(pk=pk, speaker_id=speaker, listener_id=listener, heard_at=NOW if heard else None)


def proposal(pk: int, by: int, status: str = Proposal.Status.PROPOSED, **f: object) -> Proposal:
    return Proposal(pk=pk, proposed_by_id=by, status=status, **f)


def request(pk: int, by: int, answered_by: tuple[int, ...] = ()) -> Request:
    asked = Request(pk=pk, requester_id=by)
    asked.answers_list = [RequestAnswer(request_id=pk, responder_id=r) for r in answered_by]
    return asked


# --- Scenes, by name ------------------------------------------------------------------------


def listening(stage: str = "reflect") -> Scene:
    """ada speaks, ben listens; "reflect": ben's move, "confirm": ada's."""
    reflections = [Reflection(pk=7, turn_id=1)] if stage == "confirm" else []
    return make_scene(
        Phase.LISTENING,
        people=[person(ADA), person(BEN), person(CY)],
        turns=[turn(1, ADA, BEN), turn(2, BEN, CY), turn(3, CY, ADA)],
        reflections=reflections,
    )


def space(accepted: set[int] | None = None, agreed: bool = False) -> Scene:
    status = Proposal.Status.AGREED if agreed else Proposal.Status.PROPOSED
    return make_scene(
        Phase.SPACE, proposals=[proposal(4, ADA, status)], accepted={4: accepted or set()}
    )


def rebond(choice: str = "long_hug", agreed: bool = True, **ben: object) -> Scene:
    status = Proposal.Status.AGREED if agreed else Proposal.Status.PROPOSED
    return make_scene(
        Phase.REBOND,
        people=[person(ADA), person(BEN, **ben)],
        proposals=[proposal(4, ADA, status, choice=choice)],
    )


def apart(scene: Scene) -> Scene:
    """The same scene, with the people saying they are in different places."""
    scene.repair.presence = Repair.Presence.APART
    return scene


@dataclass(frozen=True)
class Case:
    """One attempt: in scene `scene()`, participation `actor` tries `action` (on the
    target `target(scene)`); `refused` is the start of the refusal (None: allowed)."""

    name: str
    action: Action
    scene: Callable[[], Scene]
    refused: str | None = None
    actor: int = BEN
    target: Callable[[Scene], object] = field(default=lambda s: None)
    at_phase: str | None = None

    def __str__(self) -> str:
        return self.name


def open_proposal(s: Scene) -> object:
    return s.proposals[0]


def the_turn(s: Scene) -> object:
    return s.turn


def first_request(s: Scene) -> object:
    return s.requests[0]


LATER = timedelta(hours=1)
CASES: list[Case] = [
    # The gate: starting early, beginning.
    Case(
        "start-early", Action.START_EARLY, lambda: make_scene(stage=Stage.PERSONAL, meet_in=LATER)
    ),
    Case(
        "start-early-not-ready",
        Action.START_EARLY,
        lambda: make_scene(
            stage=Stage.PERSONAL, meet_in=LATER, people=[person(ADA), person(BEN, ready=False)]
        ),
        "Say you are ready first",
    ),
    Case(
        "start-early-twice",
        Action.START_EARLY,
        lambda: make_scene(
            stage=Stage.PERSONAL, meet_in=LATER, people=[person(ADA), person(BEN, start_early=True)]
        ),
        "You have already said so.",
    ),
    Case(
        "start-early-no-time",
        Action.START_EARLY,
        lambda: make_scene(stage=Stage.PERSONAL),
        "There is no agreed time to wait for.",
    ),
    Case(
        "start-early-time-has-come",
        Action.START_EARLY,
        lambda: make_scene(stage=Stage.PERSONAL, meet_in=-LATER),
        "There is no agreed time to wait for.",
    ),
    Case(
        "start-early-begun",
        Action.START_EARLY,
        lambda: make_scene(Phase.CONSIDERATIONS),
        "Coming back together has already begun.",
    ),
    Case("begin-no-time", Action.BEGIN, lambda: make_scene(stage=Stage.PERSONAL)),
    Case("begin-time-came", Action.BEGIN, lambda: make_scene(stage=Stage.PERSONAL, meet_in=-LATER)),
    Case(
        "begin-all-early",
        Action.BEGIN,
        lambda: make_scene(
            stage=Stage.PERSONAL,
            meet_in=LATER,
            people=[person(ADA, start_early=True), person(BEN, start_early=True)],
        ),
    ),
    Case(
        "begin-before-the-time",
        Action.BEGIN,
        lambda: make_scene(
            stage=Stage.PERSONAL, meet_in=LATER, people=[person(ADA, start_early=True), person(BEN)]
        ),
        "The agreed time has not come yet",
    ),
    Case(
        "begin-not-all-ready",
        Action.BEGIN,
        lambda: make_scene(stage=Stage.PERSONAL, people=[person(ADA), person(BEN, ready=False)]),
        "Not everyone is ready yet.",
    ),
    Case(
        "begin-alone",
        Action.BEGIN,
        lambda: make_scene(stage=Stage.PERSONAL, people=[person(ADA), person(BEN, status="asked")]),
        "Join the repair first",
    ),
    Case(
        "begin-begun",
        Action.BEGIN,
        lambda: make_scene(Phase.CONSIDERATIONS),
        "Coming back together has already begun.",
    ),
    # Anything of step 5 before it began, during a pause, from an old screen, out of phase.
    Case(
        "consider-before",
        Action.CONSIDER,
        lambda: make_scene(stage=Stage.PERSONAL),
        "Coming back together has not begun yet.",
    ),
    Case(
        "consider-paused",
        Action.CONSIDER,
        lambda: make_scene(Phase.CONSIDERATIONS, people=[person(ADA, paused=True), person(BEN)]),
        "Someone needs a pause.",
    ),
    Case(
        "consider-stale",
        Action.CONSIDER,
        lambda: make_scene(Phase.SPACE),
        "Things have moved on",
        at_phase=Phase.CONSIDERATIONS,
    ),
    Case(
        "consider-other-phase",
        Action.CONSIDER,
        lambda: make_scene(Phase.SPACE),
        "That belongs to another part",
    ),
    Case(
        "consider-not-joined",
        Action.CONSIDER,
        lambda: make_scene(Phase.CONSIDERATIONS, people=[person(ADA), person(BEN, status="asked")]),
        "Join the repair first",
    ),
    Case("consider", Action.CONSIDER, lambda: make_scene(Phase.CONSIDERATIONS)),
    # Saying "done".
    Case("done", Action.DONE_PHASE, lambda: make_scene(Phase.TIPS)),
    Case(
        "done-twice",
        Action.DONE_PHASE,
        lambda: make_scene(Phase.TIPS, people=[person(ADA), person(BEN, phase_done=Phase.TIPS)]),
        "You have already said so.",
    ),
    Case(
        "done-in-a-proposal-phase",
        Action.DONE_PHASE,
        lambda: make_scene(Phase.SPACE),
        "This part ends when everyone agrees.",
    ),
    # Proposals: the space, the intention, the way to rebond.
    Case("propose", Action.PROPOSE, lambda: make_scene(Phase.INTENTION)),
    Case("propose-again", Action.PROPOSE, lambda: space()),  # a counter-proposal
    Case(
        "propose-nothing-to",
        Action.PROPOSE,
        lambda: make_scene(Phase.AGREEMENTS),
        "There is nothing to propose in this part.",
    ),
    Case(
        "propose-agreed",
        Action.PROPOSE,
        lambda: space(agreed=True),
        "You have already agreed on this together.",
    ),
    Case("accept", Action.ACCEPT_PROPOSAL, lambda: space(), target=open_proposal),
    Case(
        "accept-own",
        Action.ACCEPT_PROPOSAL,
        lambda: space(),
        "You proposed it; the others answer.",
        actor=ADA,
        target=open_proposal,
    ),
    Case(
        "accept-twice",
        Action.ACCEPT_PROPOSAL,
        lambda: space(accepted={BEN}),
        "You have already agreed.",
        target=open_proposal,
    ),
    Case(
        "accept-agreed",
        Action.ACCEPT_PROPOSAL,
        lambda: space(agreed=True),
        "That proposal is no longer open.",
        target=open_proposal,
    ),
    Case(
        "accept-not-in-scene",
        Action.ACCEPT_PROPOSAL,
        lambda: make_scene(Phase.SPACE),
        "That proposal is no longer open.",
        target=lambda s: proposal(99, ADA),
    ),
    Case("add-agreement", Action.ADD_AGREEMENT, lambda: make_scene(Phase.AGREEMENTS)),
    Case(
        "add-agreement-elsewhere",
        Action.ADD_AGREEMENT,
        lambda: make_scene(Phase.TIPS),
        "That belongs to another part",
    ),
    # Listening.
    Case("choose-speaker", Action.CHOOSE_SPEAKER, lambda: make_scene(Phase.LISTENING)),
    Case(
        "choose-speaker-chosen",
        Action.CHOOSE_SPEAKER,
        listening,
        "The order of speaking is already chosen.",
    ),
    Case("reflect", Action.REFLECT_BACK, listening, target=the_turn),
    Case(
        "reflect-speaker",
        Action.REFLECT_BACK,
        listening,
        "You are the one speaking",
        actor=ADA,
        target=the_turn,
    ),
    Case(
        "reflect-not-the-listener",
        Action.REFLECT_BACK,
        listening,
        "Another person is reflecting this turn.",
        actor=CY,
        target=the_turn,
    ),
    Case(
        "reflect-waiting",
        Action.REFLECT_BACK,
        lambda: listening("confirm"),
        "Your reflection is with the speaker.",
        target=the_turn,
    ),
    Case(
        "reflect-nobody-speaking",
        Action.REFLECT_BACK,
        lambda: make_scene(Phase.LISTENING),
        "Nobody is speaking right now.",
    ),
    Case(
        "answer-reflection",
        Action.ANSWER_REFLECTION,
        lambda: listening("confirm"),
        actor=ADA,
        target=lambda s: s.last_reflection,
    ),
    Case(
        "answer-reflection-listener",
        Action.ANSWER_REFLECTION,
        lambda: listening("confirm"),
        "Only the one who spoke",
        target=lambda s: s.last_reflection,
    ),
    Case(
        "answer-reflection-none",
        Action.ANSWER_REFLECTION,
        listening,
        "There is no reflection waiting for an answer.",
        actor=ADA,
    ),
    # Requests.
    Case("request", Action.MAKE_REQUEST, lambda: make_scene(Phase.REQUESTS)),
    Case(
        "request-elsewhere",
        Action.MAKE_REQUEST,
        lambda: make_scene(Phase.CLEARING),
        "That belongs to another part",
    ),
    Case(
        "answer-request",
        Action.ANSWER_REQUEST,
        lambda: make_scene(Phase.REQUESTS, requests=[request(8, ADA)]),
        target=first_request,
    ),
    Case(
        "answer-own-request",
        Action.ANSWER_REQUEST,
        lambda: make_scene(Phase.REQUESTS, requests=[request(8, ADA)]),
        "This is your own request",
        actor=ADA,
        target=first_request,
    ),
    Case(
        "answer-request-twice",
        Action.ANSWER_REQUEST,
        lambda: make_scene(Phase.REQUESTS, requests=[request(8, ADA, (BEN,))]),
        "You have already answered this request.",
        target=first_request,
    ),
    # Clearing.
    Case("clear", Action.ANSWER_CLEAR, lambda: make_scene(Phase.CLEARING)),
    Case(
        "clear-twice",
        Action.ANSWER_CLEAR,
        lambda: make_scene(Phase.CLEARING, people=[person(ADA), person(BEN, clear=True)]),
        "You have already answered.",
    ),
    Case(
        "next",
        Action.CHOOSE_NEXT,
        lambda: make_scene(
            Phase.CLEARING, people=[person(ADA, clear=True), person(BEN, clear=False)]
        ),
    ),
    Case(
        "next-waiting",
        Action.CHOOSE_NEXT,
        lambda: make_scene(Phase.CLEARING, people=[person(ADA, clear=True), person(BEN)]),
        "That choice comes once everyone has answered",
    ),
    Case(
        "next-all-clear",
        Action.CHOOSE_NEXT,
        lambda: make_scene(
            Phase.CLEARING, people=[person(ADA, clear=True), person(BEN, clear=True)]
        ),
        "That choice comes once everyone has answered",
    ),
    # Rebonding.
    Case("affirm", Action.AFFIRM, lambda: rebond("words_of_affirmation")),
    Case(
        "affirm-other-way",
        Action.AFFIRM,
        lambda: rebond("long_hug"),
        "Words of affirmation are for when you chose them",
    ),
    Case(
        "affirm-not-agreed",
        Action.AFFIRM,
        lambda: rebond("words_of_affirmation", agreed=False),
        "Words of affirmation are for when you chose them",
    ),
    Case("rebonded", Action.CONFIRM_REBOND, lambda: rebond()),
    Case(
        "rebonded-not-agreed",
        Action.CONFIRM_REBOND,
        lambda: rebond(agreed=False),
        "First agree together on a way to reconnect.",
    ),
    Case(
        "rebonded-twice",
        Action.CONFIRM_REBOND,
        lambda: rebond(rebonded=True),
        "You have already confirmed.",
    ),
    # Together or apart: anyone who joined says it, at any part of step 5, and may change it.
    Case(
        "presence",
        Action.CHOOSE_PRESENCE,
        lambda: make_scene(Phase.CONSIDERATIONS),
        target=lambda s: "apart",
    ),
    Case(
        "presence-changed-later",
        Action.CHOOSE_PRESENCE,
        lambda: apart(make_scene(Phase.REQUESTS)),
        target=lambda s: "together",
    ),
    Case(
        "presence-same",
        Action.CHOOSE_PRESENCE,
        lambda: apart(make_scene(Phase.SPACE)),
        "That is already the choice.",
        target=lambda s: "apart",
    ),
    Case(
        "presence-made-up",
        Action.CHOOSE_PRESENCE,
        lambda: make_scene(Phase.SPACE),
        "Please choose together or apart.",
        target=lambda s: "on_the_moon",
    ),
    Case(
        "presence-before",
        Action.CHOOSE_PRESENCE,
        lambda: make_scene(stage=Stage.PERSONAL),
        "Coming back together has not begun yet.",
    ),
    Case(
        "presence-not-joined",
        Action.CHOOSE_PRESENCE,
        lambda: make_scene(Phase.CONSIDERATIONS, people=[person(ADA), person(BEN, status="asked")]),
        "Join the repair first",
    ),
    # Apart, the speaker types what they share.
    Case("share", Action.SHARE_TURN, lambda: apart(listening()), actor=ADA),
    Case(
        "share-together",
        Action.SHARE_TURN,
        listening,
        "Typing what you share is for when you are apart.",
        actor=ADA,
    ),
    Case(
        "share-listener",
        Action.SHARE_TURN,
        lambda: apart(listening()),
        "Only the one speaking types",
    ),
    Case(
        "share-after-the-reflection",
        Action.SHARE_TURN,
        lambda: apart(listening("confirm")),
        "Your listener has reflected back.",
        actor=ADA,
    ),
    Case(
        "share-nobody-speaking",
        Action.SHARE_TURN,
        lambda: apart(make_scene(Phase.LISTENING)),
        "Nobody is speaking right now.",
        actor=ADA,
    ),
    Case(
        "share-elsewhere",
        Action.SHARE_TURN,
        lambda: apart(make_scene(Phase.REQUESTS)),
        "That belongs to another part",
        actor=ADA,
    ),
    Case("affirm-kind-message", Action.AFFIRM, lambda: apart(rebond("kind_message"))),
    Case(
        "affirm-plan-to-meet",
        Action.AFFIRM,
        lambda: apart(rebond("plan_to_meet")),
        "Words of affirmation are for when you chose them",
    ),
]


def attempt(case: Case) -> str | None:
    scene = case.scene()
    return rules.together_refusal(
        scene,
        who(scene, case.actor),
        case.action,
        target=case.target(scene),
        at_phase=case.at_phase,
    )


@pytest.mark.parametrize("case", [c for c in CASES if c.refused is None], ids=str)
def test_allowed(case: Case) -> None:
    assert attempt(case) is None


@pytest.mark.parametrize("case", [c for c in CASES if c.refused is not None], ids=str)
def test_refused(case: Case) -> None:
    reason = attempt(case)
    assert reason is not None and reason.startswith(case.refused or ""), reason


def test_every_step_five_action_has_a_case_allowed_and_one_refused() -> None:
    allowed = {c.action for c in CASES if c.refused is None}
    refused = {c.action for c in CASES if c.refused is not None}
    assert allowed == refused == machine.TOGETHER


def test_case_names_are_unique() -> None:
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_check_together_raises_the_same_refusal(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machine.safety, "asked", lambda *a: True)
    scene = case.scene()
    actor = who(scene, case.actor)
    target = case.target(scene)
    if case.refused is None:
        machine.check_together(scene, actor, case.action, target=target, at_phase=case.at_phase)
    else:
        with pytest.raises(Refused) as refused:
            machine.check_together(scene, actor, case.action, target=target, at_phase=case.at_phase)
        assert refused.value.message.startswith(case.refused)


def test_check_together_on_an_ended_repair_says_it_ended() -> None:
    scene = make_scene(Phase.TIPS, stage=Stage.COMPLETED)
    with pytest.raises(Refused, match=r"This repair has ended\."):
        machine.check_together(scene, who(scene, BEN), Action.DONE_PHASE)
    with pytest.raises(Refused, match=r"You are not part of this repair\."):
        machine.check_together(make_scene(Phase.TIPS), None, Action.DONE_PHASE)


def test_check_together_waits_for_the_actors_own_safety_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(machine.safety, "asked", lambda *a: False)
    scene = make_scene(Phase.TIPS)
    with pytest.raises(machine.SafetyFirst):
        machine.check_together(scene, who(scene, BEN), Action.DONE_PHASE)


# --- The rules themselves -------------------------------------------------------------------


def test_can_begin_and_is_together() -> None:
    assert rules.can_begin(make_scene(stage=Stage.PERSONAL))
    assert not rules.can_begin(make_scene(stage=Stage.PERSONAL, meet_in=LATER))
    assert not rules.can_begin(make_scene(Phase.TIPS))
    assert rules.is_together(make_scene(Phase.TIPS))
    assert not rules.is_together(make_scene(stage=Stage.PERSONAL))
    paused = make_scene(Phase.TIPS, people=[person(ADA), person(BEN, ready=False)])
    assert not rules.is_together(paused)


def test_rotation_goes_round_the_circle_from_the_first_speaker() -> None:
    a, b, c = person(ADA), person(BEN), person(CY)
    assert [(s.pk, h.pk) for s, h in rules.rotation([a, b, c], b)] == [
        (BEN, CY),
        (CY, ADA),
        (ADA, BEN),
    ]
    assert [(s.pk, h.pk) for s, h in rules.rotation([a, b], a)] == [(ADA, BEN), (BEN, ADA)]


def test_turn_stage() -> None:
    assert rules.turn_stage(make_scene(Phase.LISTENING)) == "choose"
    assert rules.turn_stage(listening()) == "reflect"
    assert rules.turn_stage(listening("confirm")) == "confirm"
    answered = listening("confirm")
    answered.reflections[0].answer = Reflection.Answer.PARTLY
    assert rules.turn_stage(answered) == "reflect"
    done = make_scene(Phase.LISTENING, turns=[turn(1, ADA, BEN, heard=True)])
    assert rules.turn_stage(done) == "done"


def test_next_phase_in_order_and_a_second_listening_round_returns_to_clearing() -> None:
    phases = list(Phase.values)
    for before, after in pairwise(phases):
        assert rules.next_phase(before) == after
    assert rules.next_phase(phases[-1]) is None
    assert rules.next_phase(Phase.LISTENING, listening_round=2) == Phase.CLEARING


def test_requests_are_settled_when_every_other_joined_person_answered() -> None:
    people = [person(ADA), person(BEN), person(CY, status="asked")]
    assert rules.requests_settled(make_scene(Phase.REQUESTS, people=people))
    waiting = make_scene(Phase.REQUESTS, people=people, requests=[request(8, ADA)])
    assert not rules.requests_settled(waiting)
    answered = make_scene(Phase.REQUESTS, people=people, requests=[request(8, ADA, (BEN,))])
    assert rules.requests_settled(answered)


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ((None, None), "waiting"),
        ((True, None), "waiting"),
        ((True, True), "clear"),
        ((True, False), "not_clear"),
    ],
)
def test_clearing_outcome(answers: tuple[bool | None, bool | None], outcome: str) -> None:
    people = [person(ADA, clear=answers[0]), person(BEN, clear=answers[1])]
    assert rules.clearing_outcome(make_scene(Phase.CLEARING, people=people)) == outcome


def test_phase_complete_for_each_kind_of_part() -> None:
    assert rules.phase_complete(space(agreed=True))
    assert not rules.phase_complete(space())
    done_tips = [person(ADA, phase_done=Phase.TIPS), person(BEN, phase_done=Phase.TIPS)]
    assert rules.phase_complete(make_scene(Phase.TIPS, people=done_tips))
    half = [person(ADA, phase_done=Phase.TIPS), person(BEN)]
    assert not rules.phase_complete(make_scene(Phase.TIPS, people=half))
    done = [person(ADA, phase_done=Phase.REQUESTS), person(BEN, phase_done=Phase.REQUESTS)]
    unanswered = make_scene(Phase.REQUESTS, people=done, requests=[request(8, ADA)])
    assert not rules.phase_complete(unanswered)
    heard = make_scene(Phase.LISTENING, turns=[turn(1, ADA, BEN, heard=True)])
    assert rules.phase_complete(heard)
    assert not rules.phase_complete(listening())
    clear = [person(ADA, clear=True), person(BEN, clear=True)]
    assert rules.phase_complete(make_scene(Phase.CLEARING, people=clear))
    assert not rules.phase_complete(rebond(rebonded=True))  # ada has not confirmed
    both = make_scene(
        Phase.REBOND,
        people=[person(ADA, rebonded=True), person(BEN, rebonded=True)],
        proposals=[proposal(4, ADA, Proposal.Status.AGREED)],
    )
    assert rules.phase_complete(both)


def test_a_proposal_is_agreed_when_every_other_joined_person_accepted() -> None:
    three = [person(ADA), person(BEN), person(CY)]
    scene = make_scene(Phase.SPACE, people=three, proposals=[proposal(4, ADA)])
    scene.accepted = {4: {BEN}}
    assert not rules.proposal_is_agreed(scene, scene.proposals[0])
    scene.accepted = {4: {BEN, CY}}
    assert rules.proposal_is_agreed(scene, scene.proposals[0])


def test_waiting_for_names_who_has_not_said_done_in_a_done_part() -> None:
    people = [person(ADA, phase_done=Phase.TIPS), person(BEN), person(CY, status="asked")]
    assert [p.pk for p in rules.waiting_for(make_scene(Phase.TIPS, people=people))] == [BEN]
    assert rules.waiting_for(make_scene(Phase.REQUESTS, people=people)) == []
    assert rules.waiting_for(make_scene(Phase.SPACE, people=people)) == []


def test_seconds_to_meeting_only_while_waiting_for_the_agreed_time() -> None:
    assert rules.seconds_to_meeting(make_scene(stage=Stage.PERSONAL, meet_in=LATER)) == 3601
    assert rules.seconds_to_meeting(make_scene(stage=Stage.PERSONAL, meet_in=-LATER)) is None
    assert rules.seconds_to_meeting(make_scene(stage=Stage.PERSONAL)) is None
    assert rules.seconds_to_meeting(make_scene(Phase.TIPS, meet_in=LATER)) is None


def test_screen_offers_name_who_on_a_screen_may_make_each_move() -> None:
    scene = listening()
    ada, ben, cy = (who(scene, pk) for pk in (ADA, BEN, CY))
    may = machine.screen_offers(scene, [ada, ben, cy])
    assert may.who(Action.REFLECT_BACK, 1) == [ben]
    assert may.anyone(Action.REFLECT_BACK, 1)
    assert not may.anyone(Action.ANSWER_REFLECTION, 7)
    assert machine.screen_offers(scene, [ada, cy]).who(Action.REFLECT_BACK, 1) == []
    accepting = space()
    both = [who(accepting, ADA), who(accepting, BEN)]
    assert machine.screen_offers(accepting, both).who(Action.ACCEPT_PROPOSAL, 4) == [both[1]]


# --- Together or apart: what is offered ------------------------------------------------------


def test_together_is_the_default_and_offers_the_in_person_options() -> None:
    scene = make_scene(Phase.SPACE)
    assert not machine.is_apart(scene)
    assert machine.space_settings(scene) == rules.content.SETTINGS
    assert machine.space_postures(scene) == rules.content.POSTURES
    assert machine.rebond_ways(scene) == rules.content.REBOND_WAYS


def test_apart_offers_a_call_messages_and_ways_that_work_at_a_distance() -> None:
    scene = apart(make_scene(Phase.SPACE))
    assert machine.is_apart(scene)
    settings = [o.key for o in machine.space_settings(scene)]
    assert {"voice_call", "video_call", "messages"} <= set(settings)
    assert "indoors" not in settings
    ways = [w.key for w in machine.rebond_ways(scene)]
    assert {"stay_on_call", "kind_message", "plan_to_meet", "other"} <= set(ways)
    # Nothing that needs a body in the room.
    assert not {"long_hug", "holding_hands_eye_contact", "affection"} & set(ways)


def test_together_offers_no_distance_options() -> None:
    scene = make_scene(Phase.REBOND)
    ways = {w.key for w in machine.rebond_ways(scene)}
    assert not {"stay_on_call", "kind_message", "plan_to_meet"} & ways
    assert "voice_call" not in {o.key for o in machine.space_settings(scene)}


def test_sharing_is_offered_only_to_the_speaker_apart() -> None:
    scene = apart(listening())
    ada, ben, cy = (who(scene, pk) for pk in (ADA, BEN, CY))
    assert machine.offers(scene, ada).allows(Action.SHARE_TURN, 1)
    assert not machine.offers(scene, ben).allows(Action.SHARE_TURN, 1)
    assert not machine.offers(scene, cy).allows(Action.SHARE_TURN, 1)
    together = listening()
    assert not machine.offers(together, who(together, ADA)).allows(Action.SHARE_TURN, 1)


def test_the_choice_of_place_is_offered_to_everyone_who_joined() -> None:
    people = [person(ADA), person(BEN, status="asked"), person(CY)]
    scene = make_scene(Phase.CONSIDERATIONS, people=people)
    assert machine.offers(scene, who(scene, ADA)).allows(Action.CHOOSE_PRESENCE)
    assert machine.offers(scene, who(scene, CY)).allows(Action.CHOOSE_PRESENCE)
    assert not machine.offers(scene, who(scene, BEN)).allows(Action.CHOOSE_PRESENCE)
