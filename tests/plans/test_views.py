"""The plan page, its answers and its panel, for each person of the cast."""

import re

import pytest
from django.urls import reverse

from tend.plans import actions
from tend.plans.models import OfferSetAside, PlanVersion
from tend.repairs.models import Repair
from tests.conftest import Cast, client_for
from tests.plans.helpers import DRAFT, agreed_plan

MARKER = "PRIVATE-MARKER-plan-5c1e"


def _url(cast: Cast, name: str = "relationship_plan", *extra: object) -> str:
    return reverse(name, args=[cast.us.pk, *extra])


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "flooded_word": "pineapple",
        "needs": ["space"],
        "minutes": "30",
        "places": "the bench outside\nthe kitchen table",
        "agreements": "No phones on the table.",
        "rebond_ways": ["long_hug"],
    }
    return data | changes


def test_a_plan_change_needs_everyone_through_the_pages(cast: Cast) -> None:
    ada, ben = client_for(cast.ada), client_for(cast.ben)
    response = ada.post(_url(cast), _form())
    assert response.status_code == 302
    version = actions.pending(cast.us.pk)
    assert version is not None
    page = ben.get(_url(cast)).content.decode()
    assert "A change waiting for everyone" in page and "pineapple" in page
    assert "I agree" in page
    assert "There is no plan yet" in page
    assert "You agreed" in ada.get(_url(cast)).content.decode()
    response = ben.post(_url(cast, "relationship_plan_answer", version.pk), {"answer": "agree"})
    assert response.status_code == 302
    page = ada.get(_url(cast)).content.decode()
    assert "The plan you all agreed" in page and "the kitchen table" in page
    assert "A change waiting" not in page


def test_a_mistake_keeps_what_was_typed(cast: Cast) -> None:
    ada = client_for(cast.ada)
    many = "\n".join(f"place {n}" for n in range(11))
    response = ada.post(_url(cast), _form(places=many, flooded_word="mango-half-typed"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "mango-half-typed" in page and "place 10" in page
    assert "Please keep it to 10 lines" in page
    assert PlanVersion.objects.count() == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"needs": ["made_up"]},
        {"minutes": "7"},
        {"rebond_ways": ["other"]},
        {"flooded_word": "x" * 101},
        {"agreements": "y" * 201},
    ],
)
def test_bad_input_is_a_400_and_saves_nothing(cast: Cast, bad: dict[str, object]) -> None:
    response = client_for(cast.ada).post(_url(cast), _form(**bad))
    assert response.status_code == 400
    assert PlanVersion.objects.count() == 0


def test_a_bad_answer_is_a_400_and_a_settled_one_a_409(cast: Cast) -> None:
    version = actions.propose(cast.ada, cast.us, DRAFT)
    ben = client_for(cast.ben)
    url = _url(cast, "relationship_plan_answer", version.pk)
    assert ben.post(url, {"answer": "maybe"}).status_code == 400
    assert ben.post(url, {}).status_code == 400
    actions.propose(cast.ada, cast.us, DRAFT.__class__(flooded_word="mango"))  # replaces it
    response = ben.post(url, {"answer": "agree"})
    assert response.status_code == 409
    assert "already been settled" in response.content.decode()


def test_an_answer_to_another_relationships_version_is_a_404(cast: Cast) -> None:
    other = actions.propose(cast.ada, cast.family, DRAFT)
    url = _url(cast, "relationship_plan_answer", other.pk)
    assert client_for(cast.ben).post(url, {"answer": "agree"}).status_code == 404
    assert (
        client_for(cast.ben).post(_url(cast, "relationship_plan_answer", 99999)).status_code == 404
    )


def test_double_submitting_the_form_makes_one_version(cast: Cast) -> None:
    ada = client_for(cast.ada)
    ada.post(_url(cast), _form())
    ada.post(_url(cast), _form())
    assert PlanVersion.objects.filter(relationship=cast.us).count() == 1


def test_the_form_starts_from_the_newest_version_with_ones_own_needs(cast: Cast) -> None:
    agreed_plan(cast.us, cast.ada, cast.ben)
    space_ticked = re.compile(r'name="needs" value="space"[^>]*checked')
    page = client_for(cast.ben).get(_url(cast)).content.decode()
    assert 'value="pineapple"' in page
    assert not space_ticked.search(page)  # ada's need, not ben's
    assert space_ticked.search(client_for(cast.ada).get(_url(cast)).content.decode())


def _panel(cast: Cast, who: str) -> str:
    user = cast.people()[who]
    return client_for(user).get(_url(cast, "relationship_plan_panel")).content.decode()


def test_the_offer_comes_after_the_first_completed_repair_and_not_now_is_for_good(
    cast: Cast,
) -> None:
    assert "Make a plan" not in _panel(cast, "ada")
    Repair.objects.filter(pk=cast.repair.pk).update(stage=Repair.Stage.COMPLETED)
    assert "Make a plan" in _panel(cast, "ada")
    response = client_for(cast.ada).post(_url(cast, "relationship_plan_not_now"))
    assert response.status_code == 302
    client_for(cast.ada).post(_url(cast, "relationship_plan_not_now"))  # a double tap
    assert OfferSetAside.objects.filter(user=cast.ada).count() == 1
    assert "Make a plan" not in _panel(cast, "ada")
    assert "Make a plan" in _panel(cast, "ben")  # each person says "Not now" for themself
    # Once there is a plan, the panel shows it in short, never the offer.
    agreed_plan(cast.us, cast.ada, cast.ben)
    panel = _panel(cast, "ben")
    assert "Make a plan" not in panel and "pineapple" in panel
    detail = client_for(cast.ben).get(reverse("relationship", args=[cast.us.pk])).content
    assert b"pineapple" in detail


def test_the_panel_says_when_a_change_waits_for_you(cast: Cast) -> None:
    actions.propose(cast.ada, cast.us, DRAFT)
    assert "waiting for your answer" in _panel(cast, "ben")
    assert "waiting for the others" in _panel(cast, "ada")


def test_plan_text_reaches_members_only(cast: Cast) -> None:
    version = actions.propose(
        cast.ada,
        cast.us,
        DRAFT.__class__(flooded_word=MARKER, places=[MARKER], agreements=[MARKER]),
    )
    actions.answer(cast.ben, cast.us, version.pk, True)
    pages = [
        _url(cast),
        _url(cast, "relationship_plan_panel"),
        reverse("relationship", args=[cast.us.pk]),
        reverse("relationship", args=[cast.family.pk]),
        reverse("relationship", args=[cast.dees.pk]),
        reverse("home"),
    ]
    for who in ("ada", "ben", "cy", "dee", "eli"):
        client = client_for(cast.people()[who])
        seen = b"".join(client.get(url).content for url in pages)
        assert (MARKER.encode() in seen) == (who in {"ada", "ben"}), who
