"""The rules of a plan: a version counts once every current member agrees."""

import pytest

from tend.gardens import actions as gardens
from tend.live.models import Event
from tend.plans import actions
from tend.plans.actions import Draft, Refused
from tend.plans.models import PlanAnswer, PlanVersion
from tests.conftest import Cast, feel_safe, join
from tests.plans.helpers import DRAFT, agreed_plan

Status = PlanVersion.Status


def test_a_plan_change_needs_everyone(cast: Cast) -> None:
    version = actions.propose(cast.ada, cast.family, DRAFT)
    assert version.status == Status.PENDING  # the proposer's yes alone is not enough
    assert actions.agreed(cast.family.pk) is None
    version = actions.answer(cast.ben, cast.family, version.pk, True)
    assert version.status == Status.PENDING  # cy has not answered yet
    version = actions.answer(cast.cy, cast.family, version.pk, True)
    assert version.status == Status.AGREED
    assert actions.agreed(cast.family.pk) == version


def test_a_change_to_an_agreed_plan_needs_everyone_again(cast: Cast) -> None:
    first = agreed_plan(cast.us, cast.ada, cast.ben)
    change = actions.propose(cast.ben, cast.us, Draft(flooded_word="mango"))
    assert change.status == Status.PENDING
    assert actions.agreed(cast.us.pk) == first  # the plan stays until ada agrees
    actions.answer(cast.ada, cast.us, change.pk, True)
    assert actions.agreed(cast.us.pk).flooded_word == "mango"


def test_one_decline_ends_the_change_and_the_plan_stays(cast: Cast) -> None:
    first = agreed_plan(cast.us, cast.ada, cast.ben)
    change = actions.propose(cast.ada, cast.us, Draft(flooded_word="mango"))
    change = actions.answer(cast.ben, cast.us, change.pk, False)
    assert change.status == Status.DECLINED
    assert actions.agreed(cast.us.pk) == first
    assert actions.pending(cast.us.pk) is None


def test_each_persons_needs_are_their_own_and_carried_over(cast: Cast) -> None:
    agreed_plan(cast.us, cast.ada, cast.ben)
    change = actions.propose(cast.ben, cast.us, Draft(needs=["solitude"], minutes=15))
    needs = {n.user_id: (n.needs, n.minutes) for n in change.needs.all()}
    assert needs == {cast.ada.pk: (["space", "assurance"], 60), cast.ben.pk: (["solitude"], 15)}


def test_a_newer_proposal_replaces_a_waiting_one(cast: Cast) -> None:
    first = actions.propose(cast.ada, cast.us, DRAFT)
    second = actions.propose(cast.ben, cast.us, Draft(flooded_word="mango"))
    first.refresh_from_db()
    assert first.status == Status.REPLACED
    assert actions.pending(cast.us.pk) == second
    with pytest.raises(Refused):
        actions.answer(cast.ben, cast.us, first.pk, True)


def test_double_submits_change_nothing(cast: Cast) -> None:
    version = actions.propose(cast.ada, cast.family, DRAFT)
    assert actions.propose(cast.ada, cast.family, DRAFT) == version
    actions.answer(cast.ben, cast.family, version.pk, True)
    seq = cast.family.__class__.objects.get(pk=cast.family.pk).last_seq
    actions.answer(cast.ben, cast.family, version.pk, True)
    assert PlanVersion.objects.filter(relationship=cast.family).count() == 1
    assert PlanAnswer.objects.filter(version=version).count() == 2
    assert cast.family.__class__.objects.get(pk=cast.family.pk).last_seq == seq  # no event
    # The last yes, twice: the second press finds it settled, and is no error.
    actions.answer(cast.cy, cast.family, version.pk, True)
    assert actions.answer(cast.cy, cast.family, version.pk, True).status == Status.AGREED


def test_when_a_member_leaves_the_others_yes_is_enough(cast: Cast) -> None:
    version = actions.propose(cast.ada, cast.family, DRAFT)
    actions.answer(cast.ben, cast.family, version.pk, True)
    gardens.leave_relationship(cast.cy, cast.family)
    version.refresh_from_db()
    assert version.status == Status.AGREED


def test_when_a_member_joins_a_waiting_change_needs_them_too(cast: Cast) -> None:
    version = actions.propose(cast.ada, cast.us, DRAFT)
    join(cast.dee, cast.us, cast.ada)
    feel_safe(cast.us, cast.dee)
    version = actions.answer(cast.ben, cast.us, version.pk, True)
    assert version.status == Status.PENDING  # dee is a member now
    version = actions.answer(cast.dee, cast.us, version.pk, True)
    assert version.status == Status.AGREED


def test_a_former_members_answer_no_longer_counts(cast: Cast) -> None:
    version = actions.propose(cast.ada, cast.family, DRAFT)
    actions.answer(cast.cy, cast.family, version.pk, False)
    version.refresh_from_db()
    assert version.status == Status.DECLINED
    # An agreed plan stays when someone leaves.
    plan = agreed_plan(cast.us, cast.ada, cast.ben)
    gardens.leave_relationship(cast.ben, cast.us)
    assert actions.agreed(cast.us.pk) == plan


def test_events_carry_no_text(cast: Cast) -> None:
    version = actions.propose(cast.ada, cast.us, DRAFT)
    actions.answer(cast.ben, cast.us, version.pk, False)
    kinds = list(
        Event.objects.filter(relationship=cast.us).order_by("-seq").values_list("kind", flat=True)
    )[:2]
    assert kinds == ["repair_plan_declined", "repair_plan_proposed"]
    for event in Event.objects.filter(relationship=cast.us):
        assert "pineapple" not in str(event.__dict__)
