"""The process rules in `tend.repairs.machine`, one transition and one refusal at a time.

Most cases use unsaved model instances: the rules are plain functions of the repair,
the person's participation and the thing acted on, and need no database.
"""

from dataclasses import dataclass, replace

import pytest

from tend.repairs import actions, machine
from tend.repairs.machine import Action, Refused
from tend.repairs.models import NeedRequest, Participation, ReconvenePlan, Repair
from tests.conftest import Cast
from tests.sealed import sealed

Status = Participation.Status
Step = Participation.Step
ASKED, NOT_YET, JOINED = Status.ASKED, Status.NOT_YET, Status.JOINED

ME, OTHER, THIRD = 1, 2, 3

# The actions of steps 1-4 as the process groups them, written out here (not read from
# the machine) so that a regrouping in the machine shows up as a failing test.
ANSWERS = [Action.JOIN, Action.NOT_YET]
PERSONAL_ACTIONS = [
    Action.NOTICE,
    Action.SKIP_VOICE,
    Action.PRACTICE,
    Action.WRITE,
    Action.MARK,
    Action.GO_TO_STEP,
    Action.MARK_READY,
    Action.TAKE_BACK_READY,
    Action.PAUSE,
    Action.RESUME,
]
# For those who joined (adding a guest: someone without an account, on one's own screen).
SHARED_ACTIONS = [Action.VOICE, Action.ASK_NEED, Action.CLOSE, Action.ADD_GUEST]
RESPONSE_ACTIONS = [  # open to everyone asked, joined or not
    Action.ACKNOWLEDGE_NEED,
    Action.PROPOSE_PLAN,
    Action.ACCEPT_PLAN,
    Action.NEED_LONGER,
]

# Step 5's actions have rules of their own (`machine.reengagement`): test_machine_reengagement.py.
STEP_FIVE: frozenset[Action] = machine.TOGETHER
STEPS_ONE_TO_FOUR = set(Action) - STEP_FIVE

ENDED = "This repair has ended."
NOT_PART = "You are not part of this repair."
JOIN_FIRST = "Join the repair first"


@dataclass(frozen=True)
class Case:
    """One attempt: who tries what, in which situation, and the refusal expected (None:
    allowed). `target` names a thing acted on (see `_target`) or is a step."""

    action: Action
    status: str = JOINED
    ready: bool = False
    paused: bool = False
    target: str | None = None
    agreed: bool = False  # the repair already has an agreed plan
    refused: str | None = None

    def __str__(self) -> str:
        parts = [self.action.value, self.status]
        parts += [name for name in ("ready", "paused", "agreed") if getattr(self, name)]
        if self.target is not None:
            parts.append(f"target={self.target or '(empty)'}")
        return "-".join(parts)


# What each action needs to be possible at all (for someone allowed to do it).
POSSIBLE: dict[Action, dict[str, object]] = {
    Action.GO_TO_STEP: {"target": Step.HONOR},
    Action.TAKE_BACK_READY: {"ready": True},
    Action.RESUME: {"paused": True},
    Action.ACKNOWLEDGE_NEED: {"target": "others_need"},
    Action.ACCEPT_PLAN: {"target": "others_plan"},
    Action.NEED_LONGER: {"agreed": True},
}


def possible(action: Action, status: str = JOINED, **changes: object) -> Case:
    return replace(Case(action, status, **POSSIBLE.get(action, {})), **changes)  # type: ignore[arg-type]


ALLOWED: list[Case] = [
    Case(Action.JOIN, ASKED),
    Case(Action.JOIN, NOT_YET),
    Case(Action.NOT_YET, ASKED),
    *(possible(action, JOINED) for action in PERSONAL_ACTIONS + SHARED_ACTIONS),
    *(possible(action, s) for action in RESPONSE_ACTIONS for s in (ASKED, NOT_YET, JOINED)),
    *(Case(Action.GO_TO_STEP, target=s) for s in Step.values if s != Step.HONOR),  # and honor
    Case(Action.PAUSE, ready=True),  # pausing does not take "ready" back
    Case(Action.TAKE_BACK_READY, ready=True, paused=True),
    Case(Action.PROPOSE_PLAN, agreed=True),  # another time may be suggested at any point
]

REFUSED: list[Case] = [
    Case(Action.JOIN, JOINED, refused="You have already joined."),
    Case(Action.NOT_YET, NOT_YET, refused="You have already answered."),
    Case(Action.NOT_YET, JOINED, refused="You have already answered."),
    *(
        possible(action, s, refused=JOIN_FIRST)
        for action in PERSONAL_ACTIONS + SHARED_ACTIONS
        for s in (ASKED, NOT_YET)
    ),
    *(
        Case(Action.GO_TO_STEP, target=step, refused="There is no such step.")
        for step in ("together", "STABILIZE", "", None)
    ),
    Case(Action.MARK_READY, paused=True, refused="You are paused."),
    Case(Action.MARK_READY, ready=True, refused="You are already marked ready."),
    Case(Action.TAKE_BACK_READY, refused="You are not marked ready."),
    Case(Action.PAUSE, paused=True, refused="You are already paused."),
    Case(Action.RESUME, refused="You are not paused."),
    *(
        Case(Action.ACKNOWLEDGE_NEED, s, target="own_need", refused="This is your own request.")
        for s in (ASKED, NOT_YET, JOINED)
    ),
    *(
        Case(Action.ACCEPT_PLAN, s, target="own_plan", refused="You proposed this time")
        for s in (ASKED, NOT_YET, JOINED)
    ),
    Case(Action.ACCEPT_PLAN, target="replaced_plan", refused="This time is no longer open"),
    Case(Action.ACCEPT_PLAN, target="agreed_plan", refused="This time is no longer open"),
    Case(Action.ACCEPT_PLAN, ASKED, target="agreed_plan", refused="This time is no longer open"),
    *(
        Case(Action.NEED_LONGER, s, refused="There is no agreed time yet.")
        for s in (ASKED, NOT_YET, JOINED)
    ),
]


def _target(name: str | None) -> NeedRequest | ReconvenePlan | str | None:
    match name:
        case "others_need":
            return NeedRequest(author_id=OTHER, need="space")
        case "own_need":
            return NeedRequest(author_id=ME, need="space")
        case "others_plan":
            return ReconvenePlan(proposed_by_id=OTHER, status=ReconvenePlan.Status.PROPOSED)
        case "own_plan":
            return ReconvenePlan(proposed_by_id=ME, status=ReconvenePlan.Status.PROPOSED)
        case "replaced_plan":
            return ReconvenePlan(proposed_by_id=OTHER, status=ReconvenePlan.Status.REPLACED)
        case "agreed_plan":
            return ReconvenePlan(proposed_by_id=OTHER, status=ReconvenePlan.Status.AGREED)
    return name  # a step, or nothing


def situation(case: Case, *, closed: bool = False) -> tuple[Repair, Participation]:
    repair = Repair(pk=10, opening=Repair.Opening.HURT)
    if closed:
        repair.stage = Repair.Stage.CLOSED
    if case.agreed:
        repair.agreed_plan_id = 99
    participation = Participation(
        repair=repair, user_id=ME, status=case.status, ready=case.ready, paused=case.paused
    )
    return repair, participation


def attempt(case: Case, *, closed: bool = False) -> str | None:
    repair, participation = situation(case, closed=closed)
    return machine.refusal(repair, participation, case.action, target=_target(case.target))


# --- Which actions are which ----------------------------------------------------------------


def test_the_groups_of_actions_cover_every_action_of_steps_one_to_four_exactly_once() -> None:
    groups = [ANSWERS, PERSONAL_ACTIONS, SHARED_ACTIONS, RESPONSE_ACTIONS]
    listed = [action for group in groups for action in group]

    assert sorted(listed) == sorted(STEPS_ONE_TO_FOUR)


def test_personal_actions_and_responses_are_grouped_as_the_process_says() -> None:
    assert set(PERSONAL_ACTIONS) == machine.PERSONAL
    assert set(RESPONSE_ACTIONS) == machine.RESPONSES


def test_every_action_has_a_case_where_it_is_allowed_and_one_where_it_is_refused() -> None:
    assert {case.action for case in ALLOWED} == STEPS_ONE_TO_FOUR
    # Proposing a time has no refusal of its own: only a closed repair or not being part
    # of it refuse it, which is tested for every action below.
    assert {case.action for case in REFUSED} | {Action.PROPOSE_PLAN} == STEPS_ONE_TO_FOUR


def test_every_case_is_listed_once() -> None:
    for table in (ALLOWED, REFUSED):
        assert len(set(table)) == len(table)
    assert not set(ALLOWED) & set(REFUSED)


# --- The tables ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", ALLOWED, ids=str)
def test_allowed(case: Case) -> None:
    assert attempt(case) is None


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_refused(case: Case) -> None:
    reason = attempt(case)

    assert reason is not None
    assert case.refused in reason


@pytest.mark.parametrize("case", ALLOWED, ids=str)
def test_a_closed_repair_refuses_every_action(case: Case) -> None:
    assert attempt(case, closed=True) == ENDED


@pytest.mark.parametrize("action", sorted(STEPS_ONE_TO_FOUR), ids=str)
def test_someone_with_no_participation_is_refused_every_action(action: Action) -> None:
    repair = Repair(pk=10, opening=Repair.Opening.HURT, agreed_plan_id=99)
    case = possible(action)

    assert machine.refusal(repair, None, action, target=_target(case.target)) == NOT_PART


def test_a_closed_repair_says_it_has_ended_even_to_someone_not_in_it() -> None:
    repair = Repair(pk=10, opening=Repair.Opening.HURT, stage=Repair.Stage.CLOSED)

    assert machine.refusal(repair, None, Action.JOIN) == ENDED


@pytest.mark.parametrize("case", [c for c in REFUSED if c.refused == JOIN_FIRST], ids=str)
def test_asked_and_not_yet_are_told_kindly_to_join_first(case: Case) -> None:
    assert attempt(case) == "Join the repair first, when you are willing."


# --- check() -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_check_raises_refused_with_the_same_message(case: Case) -> None:
    repair, participation = situation(case)
    reason = attempt(case)

    with pytest.raises(Refused) as refused:
        machine.check(repair, participation, case.action, target=_target(case.target))

    assert refused.value.message == reason
    assert str(refused.value) == reason


@pytest.mark.parametrize("case", ALLOWED, ids=str)
def test_check_passes_quietly_when_allowed(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    # The process rules alone: the safety question (tested below) has been asked.
    monkeypatch.setattr(machine.safety, "asked", lambda user_id, relationship_id: True)
    repair, participation = situation(case)

    assert machine.check(repair, participation, case.action, target=_target(case.target)) is None


def test_check_refuses_on_a_closed_repair() -> None:
    repair, participation = situation(Case(Action.WRITE), closed=True)

    with pytest.raises(Refused, match="This repair has ended"):
        machine.check(repair, participation, Action.WRITE)


# --- The same rules over saved rows --------------------------------------------------------


def test_an_asked_member_of_a_saved_repair_must_join_before_their_own_steps(cast: Cast) -> None:
    repair = actions.open_repair(cast.ben, cast.family, Repair.Opening.HURT)
    bens = Participation.objects.get(repair=repair, user=cast.ben)

    for person in (cast.ada, cast.cy):
        asked = Participation.objects.get(repair=repair, user=person)
        assert machine.refusal(repair, asked, Action.NOTICE) == (
            "Join the repair first, when you are willing."
        )
        assert machine.refusal(repair, asked, Action.JOIN) is None
    assert machine.refusal(repair, bens, Action.NOTICE) is None
    assert machine.refusal(repair, bens, Action.JOIN) == "You have already joined."


def test_the_casts_need_and_plan_are_answered_by_the_others_only(cast: Cast) -> None:
    # In the cast, ada opened a repair in "Us", asked for space and proposed a time.
    adas = Participation.objects.get(repair=cast.repair, user=cast.ada)
    bens = Participation.objects.get(repair=cast.repair, user=cast.ben)

    assert machine.refusal(cast.repair, bens, Action.ACKNOWLEDGE_NEED, target=cast.need) is None
    assert machine.refusal(cast.repair, adas, Action.ACKNOWLEDGE_NEED, target=cast.need) == (
        "This is your own request."
    )
    assert machine.refusal(cast.repair, bens, Action.ACCEPT_PLAN, target=cast.plan) is None
    assert machine.refusal(cast.repair, adas, Action.ACCEPT_PLAN, target=cast.plan) == (
        "You proposed this time; the others answer it."
    )
    assert machine.refusal(cast.repair, bens, Action.NEED_LONGER) == (
        "There is no agreed time yet. You can propose one."
    )


def test_a_former_member_and_an_outsider_have_no_participation(cast: Cast) -> None:
    for person in (cast.eli, cast.dee):
        participation = Participation.objects.filter(repair=cast.repair, user=person).first()
        assert participation is None
        assert machine.refusal(cast.repair, participation, Action.JOIN) == NOT_PART


# --- next_step -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "following"),
    [
        (Step.ACKNOWLEDGE, Step.STABILIZE),
        (Step.STABILIZE, Step.HONOR),
        (Step.HONOR, Step.REFLECT),
        (Step.REFLECT, Step.REFLECT),
    ],
)
def test_next_step_goes_in_order_and_reflecting_is_the_last(step: str, following: str) -> None:
    assert machine.next_step(step) == following


def test_next_step_knows_only_the_personal_steps() -> None:
    with pytest.raises(ValueError):
        machine.next_step("together")


# --- offers_pause_together -----------------------------------------------------------------


def person(user_id: int, status: str = JOINED, **fields: object) -> Participation:
    return Participation(user_id=user_id, status=status, **fields)


@pytest.mark.parametrize(
    ("others", "offered"),
    [
        pytest.param([person(OTHER, said_triggered=True)], True, id="other-joined-triggered"),
        pytest.param([person(OTHER)], False, id="other-joined-calm"),
        pytest.param(
            [person(OTHER, ASKED, said_triggered=True)], False, id="other-asked-triggered"
        ),
        pytest.param(
            [person(OTHER, NOT_YET, said_triggered=True)], False, id="other-not-yet-triggered"
        ),
        pytest.param(
            [person(OTHER), person(THIRD, said_triggered=True)], True, id="third-triggered"
        ),
        pytest.param([], False, id="nobody-else"),
    ],
)
def test_pause_together_is_offered_only_when_another_joined_person_said_triggered(
    others: list[Participation], offered: bool
) -> None:
    me = person(ME, said_triggered=True)

    assert machine.offers_pause_together(me, [me, *others]) is offered


def test_pause_together_is_not_offered_for_ones_own_trigger() -> None:
    me = person(ME, said_triggered=True)

    assert machine.offers_pause_together(me, [me]) is False
    # The same person from another query is still oneself.
    assert machine.offers_pause_together(me, [person(ME, said_triggered=True)]) is False


def test_pause_together_ignores_what_was_only_noted_privately() -> None:
    # What was noted in step 1 is sealed on the person's device (intensity, state, feelings):
    # only `said_triggered`, said aloud, counts.
    other = person(OTHER, notice=sealed())

    assert machine.offers_pause_together(person(ME), [other]) is False


# --- plan_is_agreed ------------------------------------------------------------------------


def plan_by(user_id: int) -> ReconvenePlan:
    return ReconvenePlan(proposed_by_id=user_id, status=ReconvenePlan.Status.PROPOSED)


@pytest.mark.parametrize(
    ("statuses", "accepted", "agreed"),
    [
        pytest.param({OTHER: JOINED}, set(), False, id="two-nobody-accepted"),
        pytest.param({OTHER: JOINED}, {OTHER}, True, id="two-other-accepted"),
        pytest.param({OTHER: ASKED}, {OTHER}, True, id="two-asked-other-accepted"),
        pytest.param({OTHER: JOINED}, {ME}, False, id="two-only-proposer-accepted"),
        pytest.param({OTHER: NOT_YET}, set(), False, id="two-other-not-yet-silent"),
        pytest.param({OTHER: JOINED, THIRD: JOINED}, {OTHER}, False, id="three-one-accepted"),
        pytest.param(
            {OTHER: JOINED, THIRD: ASKED}, {OTHER}, False, id="three-asked-one-still-waited-for"
        ),
        pytest.param({OTHER: JOINED, THIRD: JOINED}, {OTHER, THIRD}, True, id="three-both"),
        pytest.param({OTHER: JOINED, THIRD: NOT_YET}, {OTHER}, True, id="three-third-said-not-yet"),
        pytest.param(
            {OTHER: JOINED, THIRD: NOT_YET}, {THIRD}, False, id="three-only-not-yet-accepted"
        ),
        pytest.param({}, set(), False, id="proposer-alone"),
        pytest.param({}, {ME}, False, id="proposer-alone-accepting-own"),
    ],
)
def test_plan_is_agreed_when_every_other_person_not_saying_not_yet_accepted(
    statuses: dict[int, str], accepted: set[int], agreed: bool
) -> None:
    participations = [person(ME), *(person(user, s) for user, s in statuses.items())]

    assert machine.plan_is_agreed(plan_by(ME), participations, accepted) is agreed


def test_plan_is_agreed_when_the_other_of_two_said_not_yet_but_accepts_the_time() -> None:
    participations = [person(ME), person(OTHER, NOT_YET)]

    assert machine.plan_is_agreed(plan_by(ME), participations, {OTHER}) is True


# --- everyone_ready ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "ready"),
    [
        pytest.param([], False, id="nobody"),
        pytest.param([person(ME, ready=True)], False, id="one-joined-ready"),
        pytest.param([person(ME, ready=True), person(OTHER, ready=True)], True, id="two-ready"),
        pytest.param([person(ME, ready=True), person(OTHER)], False, id="one-not-ready"),
        pytest.param(
            [person(ME, ready=True), person(OTHER, ready=True, paused=True)],
            False,
            id="one-ready-but-paused",
        ),
        pytest.param(
            [person(ME, ready=True), person(OTHER, ready=True), person(THIRD, ASKED)],
            True,
            id="asked-not-waited-for",
        ),
        pytest.param(
            [person(ME, ready=True), person(OTHER, ready=True), person(THIRD, NOT_YET)],
            True,
            id="not-yet-not-waited-for",
        ),
        pytest.param(
            [person(ME, ready=True), person(OTHER, ASKED, ready=True)],
            False,
            id="asked-does-not-count-towards-two",
        ),
        pytest.param(
            [person(ME, ready=True), person(OTHER, ready=True), person(THIRD)],
            False,
            id="three-joined-one-not-ready",
        ),
    ],
)
def test_everyone_ready_needs_two_joined_all_ready_none_paused(
    people: list[Participation], ready: bool
) -> None:
    assert machine.everyone_ready(people) is ready


# --- The private safety check before shared steps ------------------------------------------


# The server knows only whether the question was asked; the answer is sealed, and the
# person's own device closes the shared steps while it is "no" (tests/e2e).
@pytest.mark.parametrize("action", sorted(machine.SAFETY_GATED))
def test_shared_steps_wait_for_the_safety_question(
    action: Action, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machine.safety, "asked", lambda user_id, relationship_id: False)
    repair, participation = situation(Case(action))
    with pytest.raises(machine.SafetyFirst):
        machine.safety_gate(repair, participation, action)


@pytest.mark.parametrize("action", sorted(machine.SAFETY_GATED))
def test_an_asked_question_opens_the_shared_steps_on_the_server(
    action: Action, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machine.safety, "asked", lambda user_id, relationship_id: True)
    repair, participation = situation(Case(action))
    assert machine.safety_gate(repair, participation, action) is None


@pytest.mark.parametrize("action", sorted(set(Action) - machine.SAFETY_GATED))
def test_own_steps_never_wait_for_the_safety_question(
    action: Action, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machine.safety, "asked", lambda user_id, relationship_id: False)
    repair, participation = situation(Case(action))
    assert machine.safety_gate(repair, participation, action) is None


def test_guests_on_a_shared_screen_are_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(machine.safety, "asked", lambda user_id, relationship_id: False)
    repair, participation = situation(Case(Action.VOICE))
    participation.user_id = None
    assert machine.safety_gate(repair, participation, Action.VOICE) is None
