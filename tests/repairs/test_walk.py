"""The why of each step: a "Why this step?" on each of the five, and the first-run walk."""

import pytest
from django.urls import reverse

from tend.repairs import actions, content
from tend.repairs.models import Repair
from tests.conftest import Cast, client_for
from tests.repairs.test_apart import _in_step_five


def _repair_url(cast: Cast, name: str = "repair") -> str:
    return reverse(name, args=[cast.us.pk, cast.repair.pk])


@pytest.mark.parametrize(
    ("page", "why"),
    [
        ("repair_acknowledge", "acknowledge"),
        ("repair_stabilize", "stabilize"),
        ("repair_honor", "honor"),
        ("repair_reflect", "reflect"),
    ],
)
def test_each_personal_step_has_its_why_closed_until_opened(
    cast: Cast, page: str, why: str
) -> None:
    html = client_for(cast.ada).get(_repair_url(cast, page)).content.decode()
    assert '<details class="why"><summary><span aria-hidden="true">Why?</span>' in html
    assert '<span class="visually-hidden">Why this step?</span></summary>' in html
    paragraphs = content.find(content.WHYS, why).paragraphs  # type: ignore[union-attr]
    assert str(paragraphs[0]) in html.replace("&#x27;", "'")


def test_step_five_has_its_why_before_and_once_begun(cast: Cast) -> None:
    rebonding = str(content.WHYS[-1].paragraphs[-1])
    html = client_for(cast.ada).get(_repair_url(cast)).content.decode()
    assert rebonding in html.replace("&#x27;", "'")  # the gate, before it begins
    _in_step_five(cast.repair, cast.ada, cast.ben)
    html = client_for(cast.ben).get(_repair_url(cast, "repair_stage")).content.decode()
    assert "Why this step?" in html and rebonding in html.replace("&#x27;", "'")


def test_the_walk_is_offered_from_the_first_repair_and_skipped_in_one_tap(cast: Cast) -> None:
    ada = client_for(cast.ada)
    page = ada.get(_repair_url(cast)).content.decode()
    assert "New to this?" in page
    assert f'href="/walk/?next={_repair_url(cast)}"' in page
    response = ada.post(reverse("walk"), {"next": _repair_url(cast)})  # "Skip"
    assert response.status_code == 302 and response["Location"] == _repair_url(cast)
    cast.ada.refresh_from_db()
    assert cast.ada.seen_walkthrough
    assert "New to this?" not in ada.get(_repair_url(cast)).content.decode()
    # Per person, not per device: ben is still offered it on his first repair.
    actions.join(cast.repair, actions.participation_of(cast.repair, cast.ben))
    assert "New to this?" in client_for(cast.ben).get(_repair_url(cast)).content.decode()


def test_the_walk_goes_through_the_five_steps_and_why(cast: Cast) -> None:
    page = client_for(cast.eli).get(reverse("walk")).content.decode().replace("&#x27;", "'")
    for step in content.STEPS:
        assert f"{step.number}. {step.title}" in page
        assert str(step.short) in page
    for why in content.WHYS:
        for paragraph in why.paragraphs:
            assert str(paragraph) in page
    cast.eli.refresh_from_db()
    assert not cast.eli.seen_walkthrough  # reading is not seeing it through: reads never write


def test_seeing_it_through_marks_it_seen_and_goes_back(cast: Cast) -> None:
    client = client_for(cast.dee)
    response = client.post(reverse("walk"), {"next": "/r/1/"})
    assert response["Location"] == "/r/1/"
    cast.dee.refresh_from_db()
    assert cast.dee.seen_walkthrough
    assert client.post(reverse("walk"), {"next": "/r/1/"}).status_code == 302  # again: fine


@pytest.mark.parametrize(
    "wanted", ["https://evil.example/", "//evil.example/x", "javascript:x", ""]
)
def test_the_walk_never_sends_anyone_off_site(cast: Cast, wanted: str) -> None:
    client = client_for(cast.ada)
    assert client.post(reverse("walk"), {"next": wanted})["Location"] == "/"
    page = client.get(reverse("walk"), {"next": wanted}).content.decode()
    assert 'name="next" value="/"' in page


def test_help_leads_to_the_walk_for_someone_signed_in(cast: Cast) -> None:
    assert reverse("walk") in client_for(cast.cy).get(reverse("help")).content.decode()
    assert reverse("walk") not in client_for(None).get(reverse("help")).content.decode()


def test_the_walk_offer_is_not_shown_on_a_repair_one_has_not_joined(cast: Cast) -> None:
    repair = actions.open_repair(cast.ada, cast.family, Repair.Opening.HURT)
    url = reverse("repair", args=[cast.family.pk, repair.pk])
    assert "New to this?" not in client_for(cast.cy).get(url).content.decode()
