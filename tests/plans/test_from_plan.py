"""The next repair uses the plan: one tap in step 1, its agreements in step 5."""

import re

from django.urls import reverse

from tend.plans import actions as plans
from tend.plans.actions import Draft
from tend.repairs import actions
from tend.repairs.models import AgreementItem, NeedRequest, ReconvenePlan
from tests.conftest import Cast, client_for
from tests.plans.helpers import agreed_plan
from tests.repairs.test_together_flow import first, ready_room


def _needs_page(cast: Cast, who: str = "ada") -> str:
    url = reverse("repair_needs", args=[cast.us.pk, cast.repair.pk])
    return client_for(cast.people()[who]).get(url).content.decode()


def test_without_a_plan_step_one_is_as_before(cast: Cast) -> None:
    assert "From your plan" not in _needs_page(cast)


def test_the_usual_need_and_place_are_one_tap(cast: Cast) -> None:
    agreed_plan(cast.us, cast.ada, cast.ben)
    page = _needs_page(cast)
    assert "From your plan" in page
    assert "Ask for: Assurance" in page
    assert "Space, until" in page and "then the bench outside" in page
    form = re.search(r'<form id="from-plan-2".*?</form>', page, re.S)
    assert form is not None
    data = dict(re.findall(r'name="(need|meet_at|place)" value="([^"]*)"', form.group(0)))
    assert data["need"] == "space" and data["place"] == "the kitchen table"
    url = reverse("repair_needs", args=[cast.us.pk, cast.repair.pk])
    response = client_for(cast.ada).post(url, data)
    assert response.status_code == 302
    assert NeedRequest.objects.filter(repair=cast.repair, need="space").exists()
    newest = ReconvenePlan.objects.filter(repair=cast.repair).order_by("-pk").first()
    assert newest is not None and newest.place == "the kitchen table"


def test_one_tap_is_each_persons_own(cast: Cast) -> None:
    version = plans.propose(cast.ada, cast.us, Draft(needs=["assurance"]))
    plans.answer(cast.ben, cast.us, version.pk, True)
    actions.join(cast.repair, actions.participation_of(cast.repair, cast.ben))
    assert "Ask for: Assurance" in _needs_page(cast, "ada")
    assert "From your plan" not in _needs_page(cast, "ben")  # ben said no usual need


def test_a_plan_still_waiting_is_not_used(cast: Cast) -> None:
    plans.propose(cast.ada, cast.us, Draft(needs=["assurance"], agreements=["Be kind."]))
    assert "From your plan" not in _needs_page(cast)
    ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    assert not AgreementItem.objects.filter(repair=cast.repair, text="Be kind.").exists()


def test_step_five_starts_with_the_plans_agreements_still_changeable(cast: Cast) -> None:
    agreed_plan(cast.us, cast.ada, cast.ben)
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    room.everyone("done")
    room.move("ada", "propose", text="the bench", choice="outdoors", detail="side_by_side")
    room.move("ben", "accept", proposal=first(room.stage("ben"), "proposal"))
    room.move("ben", "propose", text="Find our way back.")
    room.move("ada", "accept", proposal=first(room.stage("ada"), "proposal"))
    assert room.phase == "agreements"
    page = room.stage("ben")
    assert "No phones on the table. <span" in page and "(from your plan)" in page
    assert "Each of us gets to speak" in page  # the defaults are there too
    room.move("ben", "agreement", text="We take a break if either says pineapple.")
    assert "We take a break if either says pineapple." in room.stage("ada")
    room.everyone("done")
    assert room.phase == "tips"


def test_the_preferred_ways_to_rebond_come_first(cast: Cast) -> None:
    agreed_plan(cast.us, cast.ada, cast.ben)
    from tend.repairs import from_plan

    ways, preferred = from_plan.rebond_ways(cast.repair)
    assert ways[0].key == "playful_moment" and preferred == {"playful_moment"}
    assert len(ways) == 6
