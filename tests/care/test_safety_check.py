"""The private safety check before shared steps (PROCESS.md, "Before any shared step")."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from tend.care import safety
from tend.care.models import SafetyAnswer
from tend.gardens import actions as gardens
from tend.repairs import actions
from tend.repairs.models import Participation
from tests.conftest import Cast, client_for
from tests.repairs.test_privacy import _pages_seen_by
from tests.sealed import sealed
from tests.test_access import PEOPLE

# Her answers as her device seals them: the server cannot tell them apart.
YES, NO = sealed(), sealed()


def repair_url(cast: Cast, name: str) -> str:
    return reverse(name, args=[cast.us.pk, cast.repair.pk])


def test_nobody_else_can_tell_that_someone_does_not_feel_safe(cast: Cast) -> None:
    SafetyAnswer.objects.filter(user=cast.ada, relationship=cast.us).delete()  # not answered
    observers = [p for p in PEOPLE if p != "ada"]
    clients = {p: client_for(cast.people()[p]) for p in observers}
    before = {p: _pages_seen_by(cast, p, clients[p]) for p in observers}
    seq = type(cast.us).objects.get(pk=cast.us.pk).last_seq

    response = client_for(cast.ada).post(reverse("safety_check", args=[cast.us.pk]), {"sealed": NO})

    assert response.status_code == 200
    assert type(cast.us).objects.get(pk=cast.us.pk).last_seq == seq  # no event at all
    for person in observers:
        after = _pages_seen_by(cast, person, clients[person])
        for name, page in after.items():
            assert page == before[person][name], f"{person}'s view of {name} changed"


def test_not_feeling_safe_shows_help_and_the_device_closes_the_shared_steps(cast: Cast) -> None:
    # The answer is sealed: the page carries the help for her device to show, and every
    # page of the relationship carries her device's gate, which closes the shared steps
    # while her answer is "no" (tests/e2e/test_private_fields.py); the server cannot.
    ada = client_for(cast.ada)
    page = ada.post(reverse("safety_check", args=[cast.us.pk]), {"sealed": NO})
    text = page.content.decode()
    assert "Find help lines for your country" in text
    assert "counsellor" in text
    assert '<template data-e2e-when="unsafe">' in text  # shown by her device, on "no"
    gate = reverse("safety_sealed", args=[cast.us.pk])
    for name in ("repair_voice", "repair_stabilize", "repair_honor", "repair_reflect"):
        response = ada.get(repair_url(cast, name))
        assert response.status_code == 200
        assert gate in response.content.decode()
    assert ada.get(gate).json() == {"sealed": NO}
    assert not actions.participation_of(cast.repair, cast.ada).ready


def test_with_a_chosen_country_its_lines_are_shown(cast: Cast) -> None:
    ada = client_for(cast.ada)
    ada.get(reverse("help"), {"country": "GB"})
    page = ada.post(reverse("safety_check", args=[cast.us.pk]), {"sealed": NO})
    assert "tel:" in page.content.decode()


def test_the_first_shared_step_asks_first_then_comes_back(cast: Cast) -> None:
    relationship = gardens.create_relationship(cast.dee, name="New", kind="friend")
    repair = actions.open_repair(cast.dee, relationship, "hurt")
    dee = client_for(cast.dee)
    voice = reverse("repair_voice", args=[relationship.pk, repair.pk])
    response = dee.get(voice)
    ask = response["Location"]
    assert ask.startswith(reverse("safety_check", args=[relationship.pk]))
    assert "A private question" in dee.get(ask).content.decode()
    response = dee.post(ask, {"sealed": YES, "proceed": "on", "next": voice})
    assert response["Location"] == voice
    assert dee.get(voice).status_code == 200


def test_an_htmx_move_is_sent_to_the_question_too(cast: Cast) -> None:
    # A time is agreed and ada is ready, so "start now" is a move she may make.
    cast.plan.status = "agreed"
    cast.plan.save(update_fields=["status"])
    cast.repair.agreed_plan = cast.plan
    cast.repair.save(update_fields=["agreed_plan"])
    Participation.objects.filter(repair=cast.repair, user=cast.ada).update(ready=True)
    SafetyAnswer.objects.filter(user=cast.ada, relationship=cast.us).delete()
    response = client_for(cast.ada).post(
        reverse("repair_move", args=[cast.us.pk, cast.repair.pk, "start-early"]),
        {"phase": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("safety_check", args=[cast.us.pk]))


def test_the_answer_can_change_at_any_time_and_a_blank_one_is_refused(cast: Cast) -> None:
    ada = client_for(cast.ada)
    url = reverse("safety_check", args=[cast.us.pk])
    assert ada.post(url, {}).status_code == 400
    assert ada.post(url, {"feels_safe": "no"}).status_code == 400  # never in the clear
    assert ada.post(url, {"sealed": NO}).status_code == 200  # "no": she stays here
    assert safety.asked(cast.ada.pk, cast.us.pk)
    assert safety.sealed(cast.ada.pk, cast.us.pk) == NO
    assert ada.post(url, {"sealed": YES, "proceed": "on"}).status_code == 302
    assert safety.sealed(cast.ada.pk, cast.us.pk) == YES
    assert ada.get(repair_url(cast, "repair_voice")).status_code == 200


def test_an_off_site_next_is_ignored(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        reverse("safety_check", args=[cast.us.pk]),
        {"sealed": YES, "proceed": "on", "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("relationship", args=[cast.us.pk])


def test_after_the_question_a_sent_form_leads_back_to_its_page(cast: Cast) -> None:
    SafetyAnswer.objects.filter(user=cast.ada, relationship=cast.us).delete()
    reflect = repair_url(cast, "repair_reflect")
    response = client_for(cast.ada).post(
        repair_url(cast, "repair_ready"),
        {"ready": "yes"},
        headers={"Referer": f"http://testserver{reflect}"},
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["next"] == [reflect]
    assert query["kept"]  # and the move itself waits for the answer (test_kept_move.py)
