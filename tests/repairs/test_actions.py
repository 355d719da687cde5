"""Every write to a repair: what it stores, and the event it records (or, for the
personal steps, that it records none: nobody can tell when someone works alone)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tend.accounts.models import User
from tend.gardens import actions as gardens
from tend.gardens.models import Relationship
from tend.live.models import Event
from tend.repairs import actions
from tend.repairs.machine import Refused
from tend.repairs.models import (
    Entry,
    NeedRequest,
    Participation,
    PracticeSession,
    ReconvenePlan,
    Repair,
    VoiceMessage,
)
from tests.conftest import Cast, make_user
from tests.sealed import sealed

Status = Participation.Status
Step = Participation.Step
PlanStatus = ReconvenePlan.Status
SOON = datetime(2030, 5, 1, 18, 0, tzinfo=UTC)
LATER = SOON + timedelta(days=1)


# --- Helpers -------------------------------------------------------------------------------


# Values sealed on a device: the server only ever sees envelopes (tend.core.e2e).
NOTICE, WORDS, TEXT, OTHER, BEFORE, AFTER, MARKS, READINESS = (sealed() for _ in range(8))


def last_seq(relationship: Relationship) -> int:
    return Relationship.objects.values_list("last_seq", flat=True).get(pk=relationship.pk)


def events_after(relationship: Relationship, seq: int) -> list[Event]:
    return list(Event.objects.filter(relationship=relationship, seq__gt=seq).order_by("seq"))


def emitted(relationship: Relationship, seq: int) -> list[tuple[str, int | None, int | None]]:
    """(kind, actor, subject) of the events after `seq`, checking they are numbered in
    order with no gap and all belong to one repair."""
    events = events_after(relationship, seq)
    assert [e.seq for e in events] == list(range(seq + 1, seq + 1 + len(events)))
    assert last_seq(relationship) == seq + len(events)
    return [(e.kind, e.actor_id, e.subject_id) for e in events]


def repair_ids(relationship: Relationship, seq: int) -> set[int | None]:
    return {e.repair_id for e in events_after(relationship, seq)}


def rows() -> dict[str, int]:
    """How many rows each repair table holds."""
    models = (Entry, VoiceMessage, NeedRequest, ReconvenePlan, PracticeSession, Participation)
    return {model.__name__: model.objects.count() for model in models}


def part(repair: Repair, user: User) -> Participation:
    """The person's participation as a fresh request would read it."""
    return Participation.objects.get(repair=repair, user=user)


def fresh(repair: Repair) -> Repair:
    return Repair.objects.get(pk=repair.pk)


@pytest.fixture
def repair(cast: Cast) -> Repair:
    """A fresh repair in "Us" that ada opened ("something hurt"); ben is asked.

    The cast's own repair in "Us" is ended first (quietly, as if long ago), so that what
    it holds does not leak into these tests."""
    Repair.objects.filter(relationship=cast.us).exclude(stage=Repair.Stage.CLOSED).update(
        stage=Repair.Stage.CLOSED, closed_at=timezone.now()
    )
    return actions.open_repair(cast.ada, cast.us, Repair.Opening.HURT)


@pytest.fixture
def together(cast: Cast, repair: Repair) -> Repair:
    """ada and ben have both joined the repair in "Us"."""
    actions.join(repair, part(repair, cast.ben))
    return repair


@pytest.fixture
def family(cast: Cast) -> Repair:
    """ada opened a repair in "Family"; ben and cy are asked."""
    return actions.open_repair(cast.ada, cast.family, Repair.Opening.HURT)


# --- Opening -------------------------------------------------------------------------------


def test_opening_joins_the_opener_and_asks_the_other_current_members(cast: Cast) -> None:
    seq = last_seq(cast.family)

    repair = actions.open_repair(cast.ben, cast.family, Repair.Opening.HURT)

    assert repair.is_open
    assert repair.opened_by == cast.ben
    assert repair.opening == Repair.Opening.HURT
    bens = part(repair, cast.ben)
    assert bens.status == Status.JOINED
    assert bens.joined_at is not None
    assert bens.said_triggered is False
    for person in (cast.ada, cast.cy):
        asked = part(repair, person)
        assert asked.status == Status.ASKED
        assert asked.joined_at is None
        assert asked.said_triggered is False
    assert emitted(cast.family, seq) == [("repair_opened", cast.ben.pk, None)]
    assert repair_ids(cast.family, seq) == {repair.pk}


def test_opening_as_triggered_marks_only_the_opener_as_having_said_so(cast: Cast) -> None:
    repair = actions.open_repair(cast.ada, cast.family, Repair.Opening.TRIGGERED)

    said = dict(repair.participations.values_list("user_id", "said_triggered"))
    assert said == {cast.ada.pk: True, cast.ben.pk: False, cast.cy.pk: False}


def test_a_former_member_and_an_outsider_are_not_asked(cast: Cast, repair: Repair) -> None:
    people = set(repair.participations.values_list("user_id", flat=True))

    assert people == {cast.ada.pk, cast.ben.pk}
    assert not Participation.objects.filter(user__in=[cast.eli, cast.dee]).exists()


def test_opening_again_returns_the_open_repair_and_joins_the_second_opener(
    cast: Cast, repair: Repair
) -> None:
    seq = last_seq(cast.us)

    again = actions.open_repair(cast.ben, cast.us, Repair.Opening.HURT)

    assert again.pk == repair.pk
    assert (
        Repair.objects.filter(relationship=cast.us).exclude(stage=Repair.Stage.CLOSED).count() == 1
    )
    assert part(repair, cast.ben).status == Status.JOINED
    assert emitted(cast.us, seq) == [("participant_joined", cast.ben.pk, None)]


def test_opening_twice_by_the_same_person_changes_nothing(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    again = actions.open_repair(cast.ada, cast.us, Repair.Opening.HURT)

    assert again.pk == repair.pk
    assert emitted(cast.us, seq) == []


def test_opening_again_after_saying_not_yet_joins(cast: Cast, repair: Repair) -> None:
    actions.not_yet(repair, part(repair, cast.ben))

    again = actions.open_repair(cast.ben, cast.us, Repair.Opening.HURT)

    assert again.pk == repair.pk
    assert part(repair, cast.ben).status == Status.JOINED


def test_opening_again_as_triggered_marks_the_second_opener_as_having_said_so(
    cast: Cast, repair: Repair
) -> None:
    actions.open_repair(cast.ben, cast.us, Repair.Opening.TRIGGERED)

    assert part(repair, cast.ben).said_triggered is True


def test_each_relationship_has_its_own_open_repair(cast: Cast, repair: Repair) -> None:
    other = actions.open_repair(cast.ben, cast.family, Repair.Opening.HURT)

    assert other.pk != repair.pk
    assert other.relationship == cast.family


def test_after_closing_a_new_repair_can_be_opened(cast: Cast, repair: Repair) -> None:
    actions.close_repair(repair, part(repair, cast.ada))

    new = actions.open_repair(cast.ben, cast.us, Repair.Opening.TRIGGERED)

    assert new.pk != repair.pk
    assert new.is_open
    assert part(new, cast.ben).status == Status.JOINED


def test_a_member_who_arrives_after_the_opening_is_asked(cast: Cast, repair: Repair) -> None:
    fay = make_user("fay")
    gardens.accept_invitation(fay, cast.invitation)

    participation = actions.participation_of(repair, fay)

    assert participation.status == Status.ASKED
    assert participation.joined_at is None
    assert actions.participation_of(repair, fay).pk == participation.pk
    assert repair.participations.filter(user=fay).count() == 1


def test_participation_of_returns_the_existing_one(cast: Cast, repair: Repair) -> None:
    assert actions.participation_of(repair, cast.ben).pk == part(repair, cast.ben).pk


# --- Answering: join, not yet --------------------------------------------------------------


def test_join_makes_an_asked_member_a_participant(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    actions.join(repair, part(repair, cast.ben))

    bens = part(repair, cast.ben)
    assert bens.status == Status.JOINED
    assert bens.joined_at is not None
    assert emitted(cast.us, seq) == [("participant_joined", cast.ben.pk, None)]
    assert repair_ids(cast.us, seq) == {repair.pk}


def test_not_yet_is_recorded_and_joining_later_is_still_possible(
    cast: Cast, repair: Repair
) -> None:
    seq = last_seq(cast.us)

    actions.not_yet(repair, part(repair, cast.ben))

    assert part(repair, cast.ben).status == Status.NOT_YET
    assert emitted(cast.us, seq) == [("participant_not_yet", cast.ben.pk, None)]

    actions.join(repair, part(repair, cast.ben))

    assert part(repair, cast.ben).status == Status.JOINED
    assert emitted(cast.us, seq)[1:] == [("participant_joined", cast.ben.pk, None)]


def test_joining_twice_is_refused_and_records_nothing(cast: Cast, together: Repair) -> None:
    seq = last_seq(cast.us)

    with pytest.raises(Refused, match="already joined"):
        actions.join(together, part(together, cast.ben))
    with pytest.raises(Refused, match="already answered"):
        actions.not_yet(together, part(together, cast.ben))

    assert emitted(cast.us, seq) == []


def test_not_yet_twice_is_refused(cast: Cast, repair: Repair) -> None:
    actions.not_yet(repair, part(repair, cast.ben))

    with pytest.raises(Refused, match="already answered"):
        actions.not_yet(repair, part(repair, cast.ben))


# --- Personal steps: stored, and never an event --------------------------------------------


def _notice(repair: Repair, p: Participation) -> None:
    actions.save_notice(repair, p, notice=NOTICE, own_words=WORDS)


def _practice(repair: Repair, p: Participation) -> None:
    session = actions.start_practice(repair, p, BEFORE)
    actions.finish_practice(repair, p, session, AFTER)


PERSONAL: dict[str, Callable[[Repair, Participation], object]] = {
    "save_notice": _notice,
    "write_entry": lambda r, p: actions.write_entry(r, p, "honor:what_hurts", TEXT, True),
    "go_to_step": lambda r, p: actions.go_to_step(r, p, Step.HONOR),
    "skip_voice": actions.skip_voice,
    "start_practice": lambda r, p: actions.start_practice(r, p, BEFORE),
    "start_and_finish_practice": _practice,
    "set_marks": lambda r, p: actions.set_marks(r, p, marks=MARKS, readiness=READINESS),
}


@pytest.mark.parametrize("name", PERSONAL)
def test_personal_actions_record_no_event(cast: Cast, together: Repair, name: str) -> None:
    seq = last_seq(cast.us)
    count = Event.objects.count()

    PERSONAL[name](together, part(together, cast.ada))

    assert last_seq(cast.us) == seq
    assert Event.objects.count() == count


@pytest.mark.parametrize("name", PERSONAL)
def test_personal_actions_are_refused_before_joining(cast: Cast, repair: Repair, name: str) -> None:
    bens = part(repair, cast.ben)

    with pytest.raises(Refused, match="Join the repair first"):
        PERSONAL[name](repair, bens)

    assert not Entry.objects.filter(participation=bens).exists()
    assert not PracticeSession.objects.filter(participation=bens).exists()
    stored = Participation.objects.filter(pk=bens.pk).values().get()
    assert stored["step"] == Step.ACKNOWLEDGE
    assert stored["notice"] == ""
    assert not stored["voice_skipped"] and not stored["marks"]


def test_save_notice_stores_the_sealed_notice_and_own_words(cast: Cast, repair: Repair) -> None:
    _notice(repair, part(repair, cast.ada))

    adas = part(repair, cast.ada)
    assert adas.notice == NOTICE
    assert Entry.objects.get(participation=adas, key="notice_words").text == WORDS


def test_write_entry_stores_the_text_and_the_bring_flag(cast: Cast, repair: Repair) -> None:
    adas = part(repair, cast.ada)

    actions.write_entry(
        repair, adas, "reflect:support", TEXT, bring=True, shared="a hand on my back"
    )
    actions.write_entry(repair, adas, "reflect:next_time", OTHER)

    stored = {e.key: (e.text, e.bring, e.shared) for e in Entry.objects.filter(participation=adas)}
    assert stored == {
        "reflect:support": (TEXT, True, "a hand on my back"),
        "reflect:next_time": (OTHER, False, ""),
    }


def test_write_entry_twice_with_the_same_text_changes_nothing(cast: Cast, repair: Repair) -> None:
    adas = part(repair, cast.ada)
    first = actions.write_entry(repair, adas, "honor:what_hurts", TEXT, bring=True)
    written = Entry.objects.get(pk=first.pk).updated_at

    again = actions.write_entry(repair, adas, "honor:what_hurts", TEXT, bring=True)

    assert again.pk == first.pk
    assert Entry.objects.get(pk=first.pk).updated_at == written
    assert Entry.objects.filter(participation=adas).count() == 1


def test_write_entry_changes_the_text_and_keeps_the_bring_flag_unless_given(
    cast: Cast, repair: Repair
) -> None:
    adas = part(repair, cast.ada)
    entry = actions.write_entry(repair, adas, "reflect:support", TEXT, bring=True, shared="first")
    written = Entry.objects.get(pk=entry.pk).updated_at

    actions.write_entry(repair, adas, "reflect:support", OTHER)

    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.text, stored.bring, stored.shared) == (OTHER, True, "first")
    assert stored.updated_at >= written

    actions.write_entry(repair, adas, "reflect:support", OTHER, bring=False, shared="first")

    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.bring, stored.shared) == (False, "")  # unbringing deletes the copy


def test_go_to_step_moves_the_person_only(cast: Cast, together: Repair) -> None:
    actions.go_to_step(together, part(together, cast.ada), Step.REFLECT)

    assert part(together, cast.ada).step == Step.REFLECT
    assert part(together, cast.ben).step == Step.ACKNOWLEDGE


def test_go_to_an_unknown_step_is_refused(cast: Cast, repair: Repair) -> None:
    with pytest.raises(Refused, match="no such step"):
        actions.go_to_step(repair, part(repair, cast.ada), "together")

    assert part(repair, cast.ada).step == Step.ACKNOWLEDGE


def test_skip_voice_goes_straight_to_stabilizing(cast: Cast, repair: Repair) -> None:
    actions.skip_voice(repair, part(repair, cast.ada))

    adas = part(repair, cast.ada)
    assert adas.voice_skipped is True
    assert adas.step == Step.STABILIZE


def test_a_practice_records_intensity_before_and_after(cast: Cast, repair: Repair) -> None:
    adas = part(repair, cast.ada)
    session = actions.start_practice(repair, adas, BEFORE)

    assert (session.before, session.after, session.finished_at) == (BEFORE, "", None)

    actions.finish_practice(repair, adas, session, AFTER)

    stored = PracticeSession.objects.get(pk=session.pk)
    assert stored.participation == adas
    assert (stored.before, stored.after) == (BEFORE, AFTER)
    assert stored.finished_at is not None


def test_finishing_a_practice_again_keeps_when_it_first_finished(
    cast: Cast, repair: Repair
) -> None:
    adas = part(repair, cast.ada)
    session = actions.start_practice(repair, adas, BEFORE)
    actions.finish_practice(repair, adas, session, AFTER)
    finished = PracticeSession.objects.get(pk=session.pk).finished_at

    actions.finish_practice(repair, part(repair, cast.ada), session, "")

    stored = PracticeSession.objects.get(pk=session.pk)
    assert stored.finished_at == finished
    assert stored.after == ""


def test_set_marks_stores_the_markers_and_feelings_given(cast: Cast, repair: Repair) -> None:
    actions.set_marks(repair, part(repair, cast.ada), marks=MARKS)
    actions.set_marks(repair, part(repair, cast.ada), readiness=READINESS)

    adas = part(repair, cast.ada)
    assert (adas.marks, adas.readiness) == (MARKS, READINESS)

    actions.set_marks(repair, adas, marks=OTHER)

    assert part(repair, cast.ada).marks == OTHER
    assert part(repair, cast.ada).readiness == READINESS


def test_set_marks_refuses_unknown_marks(cast: Cast, repair: Repair) -> None:
    with pytest.raises(ValueError, match="ready"):
        actions.set_marks(repair, part(repair, cast.ada), ready=True)

    assert part(repair, cast.ada).ready is False


# --- Shared steps: voicing, needs --------------------------------------------------------


def test_send_message_stores_it_says_triggered_and_records_the_event(
    cast: Cast, together: Repair
) -> None:
    seq = last_seq(cast.us)

    message = actions.send_message(
        together, part(together, cast.ben), "Something in me is activated.", "activated"
    )

    stored = VoiceMessage.objects.get(pk=message.pk)
    assert (stored.repair, stored.author) == (together, cast.ben)
    assert (stored.text, stored.template) == ("Something in me is activated.", "activated")
    assert part(together, cast.ben).said_triggered is True
    assert emitted(cast.us, seq) == [("message_sent", cast.ben.pk, message.pk)]
    assert repair_ids(cast.us, seq) == {together.pk}


def test_sending_before_joining_is_refused(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    with pytest.raises(Refused, match="Join the repair first"):
        actions.send_message(repair, part(repair, cast.ben), "hello")

    assert not VoiceMessage.objects.filter(repair=repair).exists()
    assert part(repair, cast.ben).said_triggered is False
    assert emitted(cast.us, seq) == []


def test_ask_need_stores_it_and_records_the_event(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    request = actions.ask_need(repair, part(repair, cast.ada), "space", "an hour alone")

    stored = NeedRequest.objects.get(pk=request.pk)
    assert (stored.repair, stored.author, stored.need) == (repair, cast.ada, "space")
    assert stored.own_words == "an hour alone"
    assert emitted(cast.us, seq) == [("need_asked", cast.ada.pk, request.pk)]


def test_asking_before_joining_is_refused(cast: Cast, repair: Repair) -> None:
    with pytest.raises(Refused, match="Join the repair first"):
        actions.ask_need(repair, part(repair, cast.ben), "space")

    assert not NeedRequest.objects.filter(repair=repair).exists()


def test_acknowledging_a_need_once_records_it_and_twice_changes_nothing(
    cast: Cast, repair: Repair
) -> None:
    request = actions.ask_need(repair, part(repair, cast.ada), "assurance")
    seq = last_seq(cast.us)

    # ben was only asked: answering a need is open to him without joining.
    actions.acknowledge_need(repair, part(repair, cast.ben), request)
    actions.acknowledge_need(repair, part(repair, cast.ben), request)

    assert list(request.acknowledged_by.all()) == [cast.ben]
    assert emitted(cast.us, seq) == [("need_acknowledged", cast.ben.pk, request.pk)]
    assert part(repair, cast.ben).status == Status.ASKED


def test_acknowledging_ones_own_need_is_refused(cast: Cast, repair: Repair) -> None:
    request = actions.ask_need(repair, part(repair, cast.ada), "space")
    seq = last_seq(cast.us)

    with pytest.raises(Refused, match="your own request"):
        actions.acknowledge_need(repair, part(repair, cast.ada), request)

    assert not request.acknowledged_by.exists()
    assert emitted(cast.us, seq) == []


# --- When and where to come back together ------------------------------------------------


def test_propose_plan_stores_it_and_records_the_event(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "the park bench")

    stored = ReconvenePlan.objects.get(pk=plan.pk)
    assert (stored.repair, stored.proposed_by) == (repair, cast.ada)
    assert (stored.meet_at, stored.place) == (SOON, "the park bench")
    assert stored.status == PlanStatus.PROPOSED
    assert stored.is_extension is False
    assert fresh(repair).agreed_plan is None
    assert emitted(cast.us, seq) == [("plan_proposed", cast.ada.pk, plan.pk)]


def test_a_new_proposal_replaces_the_open_one(cast: Cast, repair: Repair) -> None:
    first = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")

    # ben, only asked, suggests another time.
    second = actions.propose_plan(repair, part(repair, cast.ben), LATER, "the park")

    assert ReconvenePlan.objects.get(pk=first.pk).status == PlanStatus.REPLACED
    assert ReconvenePlan.objects.get(pk=second.pk).status == PlanStatus.PROPOSED
    assert repair.plans.filter(status=PlanStatus.PROPOSED).count() == 1
    with pytest.raises(Refused, match="no longer open"):
        actions.accept_plan(repair, part(repair, cast.ben), first)


def test_accepting_the_others_plan_agrees_it(cast: Cast, repair: Repair) -> None:
    plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")
    seq = last_seq(cast.us)

    actions.accept_plan(repair, part(repair, cast.ben), plan)

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.AGREED
    assert fresh(repair).agreed_plan_id == plan.pk
    assert list(plan.accepted_by.all()) == [cast.ben]
    assert emitted(cast.us, seq) == [("plan_agreed", cast.ben.pk, plan.pk)]
    assert repair_ids(cast.us, seq) == {repair.pk}
    # Accepting a time is not joining.
    assert part(repair, cast.ben).status == Status.ASKED


def test_accepting_ones_own_plan_is_refused(cast: Cast, repair: Repair) -> None:
    plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")
    seq = last_seq(cast.us)

    with pytest.raises(Refused, match="You proposed this time"):
        actions.accept_plan(repair, part(repair, cast.ada), plan)

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.PROPOSED
    assert not plan.accepted_by.exists()
    assert emitted(cast.us, seq) == []


def test_an_agreed_plan_cannot_be_accepted_again(cast: Cast, repair: Repair) -> None:
    plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")
    actions.accept_plan(repair, part(repair, cast.ben), plan)
    seq = last_seq(cast.us)

    with pytest.raises(Refused, match="no longer open"):
        actions.accept_plan(repair, part(repair, cast.ben), plan)

    assert emitted(cast.us, seq) == []


def test_needing_longer_reopens_the_plan_and_the_new_time_is_agreed_the_same_way(
    cast: Cast, repair: Repair
) -> None:
    old = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")
    actions.accept_plan(repair, part(repair, cast.ben), old)
    seq = last_seq(cast.us)

    new = actions.propose_plan(repair, part(repair, cast.ada), LATER, "home", longer=True)

    assert ReconvenePlan.objects.get(pk=old.pk).status == PlanStatus.REPLACED
    stored = ReconvenePlan.objects.get(pk=new.pk)
    assert (stored.status, stored.is_extension, stored.meet_at) == (
        PlanStatus.PROPOSED,
        True,
        LATER,
    )
    assert fresh(repair).agreed_plan is None
    assert emitted(cast.us, seq) == [("plan_proposed", cast.ada.pk, new.pk)]

    actions.accept_plan(fresh(repair), part(repair, cast.ben), new)

    assert ReconvenePlan.objects.get(pk=new.pk).status == PlanStatus.AGREED
    assert ReconvenePlan.objects.get(pk=old.pk).status == PlanStatus.REPLACED
    assert fresh(repair).agreed_plan_id == new.pk
    assert emitted(cast.us, seq)[1:] == [("plan_agreed", cast.ben.pk, new.pk)]


def test_needing_longer_without_an_agreed_time_is_refused(cast: Cast, repair: Repair) -> None:
    open_plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")
    seq = last_seq(cast.us)

    with pytest.raises(Refused, match="no agreed time yet"):
        actions.propose_plan(repair, part(repair, cast.ben), LATER, "home", longer=True)

    assert ReconvenePlan.objects.get(pk=open_plan.pk).status == PlanStatus.PROPOSED
    assert repair.plans.count() == 1
    assert emitted(cast.us, seq) == []


def test_a_new_proposal_after_agreement_keeps_the_agreed_time_until_it_is_agreed(
    cast: Cast, repair: Repair
) -> None:
    old = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")
    actions.accept_plan(repair, part(repair, cast.ben), old)

    new = actions.propose_plan(fresh(repair), part(repair, cast.ben), LATER, "the park")

    assert fresh(repair).agreed_plan_id == old.pk
    assert ReconvenePlan.objects.get(pk=new.pk).is_extension is True

    actions.accept_plan(fresh(repair), part(repair, cast.ada), new)

    assert fresh(repair).agreed_plan_id == new.pk
    assert ReconvenePlan.objects.get(pk=old.pk).status == PlanStatus.REPLACED


def test_with_three_the_plan_is_agreed_only_when_both_others_accept(
    cast: Cast, family: Repair
) -> None:
    plan = actions.propose_plan(family, part(family, cast.ada), SOON, "the kitchen")
    seq = last_seq(cast.family)

    actions.accept_plan(family, part(family, cast.ben), plan)

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.PROPOSED
    assert fresh(family).agreed_plan is None
    assert emitted(cast.family, seq) == []

    actions.accept_plan(family, part(family, cast.cy), plan)

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.AGREED
    assert fresh(family).agreed_plan_id == plan.pk
    assert emitted(cast.family, seq) == [("plan_agreed", cast.cy.pk, plan.pk)]


def test_with_three_someone_who_said_not_yet_is_not_waited_for(cast: Cast, family: Repair) -> None:
    actions.not_yet(family, part(family, cast.cy))
    plan = actions.propose_plan(family, part(family, cast.ada), SOON, "the kitchen")

    actions.accept_plan(family, part(family, cast.ben), plan)

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.AGREED
    assert fresh(family).agreed_plan_id == plan.pk


def test_the_proposer_alone_never_agrees_a_plan(cast: Cast, repair: Repair) -> None:
    actions.not_yet(repair, part(repair, cast.ben))

    plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.PROPOSED
    assert fresh(repair).agreed_plan is None


def test_a_couple_agrees_when_the_other_said_not_yet_but_accepts_the_time(
    cast: Cast, repair: Repair
) -> None:
    actions.not_yet(repair, part(repair, cast.ben))
    plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "home")

    actions.accept_plan(repair, part(repair, cast.ben), plan)

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.AGREED
    assert fresh(repair).agreed_plan_id == plan.pk


def test_a_former_member_is_not_waited_for(cast: Cast) -> None:
    # cy leaves "Family" after the repair opened; ada and ben agree between them.
    repair = actions.open_repair(cast.ada, cast.family, Repair.Opening.HURT)
    gardens.leave_relationship(cast.cy, cast.family)
    plan = actions.propose_plan(repair, part(repair, cast.ada), SOON, "the kitchen")

    actions.accept_plan(repair, part(repair, cast.ben), plan)

    assert ReconvenePlan.objects.get(pk=plan.pk).status == PlanStatus.AGREED


# --- Ready and paused --------------------------------------------------------------------


def test_mark_ready_and_take_it_back(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    actions.mark_ready(repair, part(repair, cast.ada), True)

    assert part(repair, cast.ada).ready is True
    assert emitted(cast.us, seq) == [("ready_changed", cast.ada.pk, None)]

    with pytest.raises(Refused, match="already marked ready"):
        actions.mark_ready(repair, part(repair, cast.ada), True)

    actions.mark_ready(repair, part(repair, cast.ada), False)

    assert part(repair, cast.ada).ready is False
    assert emitted(cast.us, seq)[1:] == [("ready_changed", cast.ada.pk, None)]

    with pytest.raises(Refused, match="not marked ready"):
        actions.mark_ready(repair, part(repair, cast.ada), False)
    assert len(emitted(cast.us, seq)) == 2
    assert repair_ids(cast.us, seq) == {repair.pk}


def test_set_paused_and_resume(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    actions.set_paused(repair, part(repair, cast.ada), True)

    assert part(repair, cast.ada).paused is True
    assert emitted(cast.us, seq) == [("pause_changed", cast.ada.pk, None)]
    with pytest.raises(Refused, match="already paused"):
        actions.set_paused(repair, part(repair, cast.ada), True)
    with pytest.raises(Refused, match="You are paused"):
        actions.mark_ready(repair, part(repair, cast.ada), True)

    actions.set_paused(repair, part(repair, cast.ada), False)

    assert part(repair, cast.ada).paused is False
    assert emitted(cast.us, seq)[1:] == [("pause_changed", cast.ada.pk, None)]
    with pytest.raises(Refused, match="not paused"):
        actions.set_paused(repair, part(repair, cast.ada), False)


def test_ready_and_paused_are_refused_before_joining(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    with pytest.raises(Refused, match="Join the repair first"):
        actions.mark_ready(repair, part(repair, cast.ben), True)
    with pytest.raises(Refused, match="Join the repair first"):
        actions.set_paused(repair, part(repair, cast.ben), True)

    assert emitted(cast.us, seq) == []


# --- Closing -------------------------------------------------------------------------------


def test_close_repair_ends_it_and_records_the_event(cast: Cast, repair: Repair) -> None:
    seq = last_seq(cast.us)

    actions.close_repair(repair, part(repair, cast.ada))

    stored = fresh(repair)
    assert stored.stage == Repair.Stage.CLOSED
    assert stored.closed_at is not None
    assert not stored.is_open
    assert emitted(cast.us, seq) == [("repair_closed", cast.ada.pk, None)]
    assert repair_ids(cast.us, seq) == {repair.pk}


def test_closing_before_joining_is_refused(cast: Cast, repair: Repair) -> None:
    with pytest.raises(Refused, match="Join the repair first"):
        actions.close_repair(repair, part(repair, cast.ben))

    assert fresh(repair).is_open


def _every_action(cast: Cast, repair: Repair) -> dict[str, Callable[[], object]]:
    """Every action on `repair`, each by someone who could have done it while it was open,
    reading the repair and participations afresh as a new request would."""
    need = NeedRequest.objects.get(repair=repair)
    plan = ReconvenePlan.objects.get(repair=repair, status=PlanStatus.PROPOSED)
    session = PracticeSession.objects.get(participation__repair=repair)

    def adas() -> Participation:
        return part(repair, cast.ada)

    def bens() -> Participation:
        return part(repair, cast.ben)

    return {
        "join": lambda: actions.join(fresh(repair), bens()),
        "not_yet": lambda: actions.not_yet(fresh(repair), bens()),
        "save_notice": lambda: _notice(fresh(repair), adas()),
        "write_entry": lambda: actions.write_entry(fresh(repair), adas(), "k", TEXT),
        "go_to_step": lambda: actions.go_to_step(fresh(repair), adas(), Step.HONOR),
        "skip_voice": lambda: actions.skip_voice(fresh(repair), adas()),
        "start_practice": lambda: actions.start_practice(fresh(repair), adas(), BEFORE),
        "finish_practice": lambda: actions.finish_practice(fresh(repair), adas(), session, 2),
        "set_marks": lambda: actions.set_marks(fresh(repair), adas(), marks=MARKS),
        "mark_ready": lambda: actions.mark_ready(fresh(repair), adas(), True),
        "set_paused": lambda: actions.set_paused(fresh(repair), adas(), True),
        "send_message": lambda: actions.send_message(fresh(repair), adas(), "hello"),
        "ask_need": lambda: actions.ask_need(fresh(repair), adas(), "space"),
        "acknowledge_need": lambda: actions.acknowledge_need(fresh(repair), bens(), need),
        "propose_plan": lambda: actions.propose_plan(fresh(repair), bens(), LATER, "x"),
        "accept_plan": lambda: actions.accept_plan(fresh(repair), bens(), plan),
        "need_longer": lambda: actions.propose_plan(fresh(repair), bens(), LATER, "x", longer=True),
        "close_repair": lambda: actions.close_repair(fresh(repair), adas()),
    }


def test_after_closing_every_action_is_refused(cast: Cast, repair: Repair) -> None:
    adas = part(repair, cast.ada)
    actions.ask_need(repair, adas, "space")
    actions.propose_plan(repair, adas, SOON, "home")
    actions.start_practice(repair, adas, BEFORE)
    actions.close_repair(repair, adas)
    seq = last_seq(cast.us)
    before = rows()

    for name, act in _every_action(cast, repair).items():
        with pytest.raises(Refused, match="This repair has ended"):
            act()
        assert emitted(cast.us, seq) == [], name

    assert rows() == before
    assert part(repair, cast.ben).status == Status.ASKED


def test_a_repair_closed_meanwhile_takes_no_more_private_writes(
    cast: Cast, together: Repair
) -> None:
    # ada's request read the repair; then ben closed it before her autosave arrived.
    adas_view = fresh(together)
    actions.close_repair(fresh(together), part(together, cast.ben))

    with pytest.raises(Refused, match="This repair has ended"):
        actions.write_entry(adas_view, part(together, cast.ada), "honor:what_hurts", TEXT)
