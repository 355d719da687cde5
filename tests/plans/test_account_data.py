"""Plans' part of the export and of account deletion."""

from tend.accounts import contributions
from tend.accounts.export import collect
from tend.plans import actions
from tend.plans.actions import Draft
from tend.plans.models import OfferSetAside, PlanAnswer, PlanVersion, UsualNeeds
from tests.conftest import Cast
from tests.plans.helpers import agreed_plan


def _entry(data: dict, name: str) -> dict:  # type: ignore[type-arg]
    (entry,) = [r for r in data["relationships"] if r["name"] == name]
    return entry


def test_the_export_holds_the_plan_with_ones_own_needs_and_answer(cast: Cast) -> None:
    agreed_plan(cast.us, cast.ada, cast.ben)
    actions.propose(cast.ben, cast.us, Draft(flooded_word="mango", needs=["solitude"]))
    versions = _entry(collect(cast.ben), "Us")["repair_plan_versions"]
    assert [v["status"] for v in versions] == ["agreed", "pending"]
    assert versions[0]["flooded_word"] == "pineapple"
    assert versions[0]["your_usual_needs"] == []  # ada's needs are hers, not in ben's part
    assert versions[0]["your_answer"] == "agreed"
    assert versions[1]["your_usual_needs"] == ["Solitude"]
    ada_versions = _entry(collect(cast.ada), "Us")["repair_plan_versions"]
    assert ada_versions[0]["your_usual_needs"] == ["Space", "Assurance"]
    assert ada_versions[1]["your_answer"] is None
    # Eli left before any plan: none of it is in eli's export.
    assert _entry(collect(cast.eli), "Us")["repair_plan_versions"] == []
    assert "pineapple" not in str(collect(cast.dee))


def test_deleting_removes_their_needs_answers_and_name_and_keeps_the_plan(cast: Cast) -> None:
    plan = agreed_plan(cast.us, cast.ada, cast.ben)
    OfferSetAside.objects.create(relationship=cast.us, user=cast.ada)
    (part,) = [p for p in contributions.parts() if p.owner == "tend.plans.account_data"]
    part.delete(cast.ada)  # type: ignore[misc]
    for model in (UsualNeeds, PlanAnswer, OfferSetAside):
        assert not model.objects.filter(user=cast.ada).exists(), model
    assert PlanAnswer.objects.filter(user=cast.ben).exists()
    plan = PlanVersion.objects.get(pk=plan.pk)
    assert plan.proposed_by is None and plan.flooded_word == "pineapple"
