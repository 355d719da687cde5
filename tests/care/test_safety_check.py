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
from tests.test_access import PEOPLE


def repair_url(cast: Cast, name: str) -> str:
    return reverse(name, args=[cast.us.pk, cast.repair.pk])


def test_nobody_else_can_tell_that_someone_does_not_feel_safe(cast: Cast) -> None:
    SafetyAnswer.objects.filter(user=cast.ada, relationship=cast.us).delete()  # not answered
    observers = [p for p in PEOPLE if p != "ada"]
    clients = {p: client_for(cast.people()[p]) for p in observers}
    before = {p: _pages_seen_by(cast, p, clients[p]) for p in observers}
    seq = type(cast.us).objects.get(pk=cast.us.pk).last_seq

    response = client_for(cast.ada).post(
        reverse("safety_check", args=[cast.us.pk]), {"feels_safe": "no"}
    )

    assert response.status_code == 200
    assert type(cast.us).objects.get(pk=cast.us.pk).last_seq == seq  # no event at all
    for person in observers:
        after = _pages_seen_by(cast, person, clients[person])
        for name, page in after.items():
            assert page == before[person][name], f"{person}'s view of {name} changed"


def test_not_feeling_safe_shows_help_and_closes_the_shared_steps_only(cast: Cast) -> None:
    ada = client_for(cast.ada)
    page = ada.post(reverse("safety_check", args=[cast.us.pk]), {"feels_safe": "no"})
    text = page.content.decode()
    assert "Find help lines for your country" in text
    assert "counsellor" in text
    # Shared steps lead back to the question; her own steps stay open.
    response = ada.get(repair_url(cast, "repair_voice"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("safety_check", args=[cast.us.pk]))
    response = ada.post(repair_url(cast, "repair_ready"), {"ready": "yes"})
    assert response["Location"].startswith(reverse("safety_check", args=[cast.us.pk]))
    for name in ("repair_stabilize", "repair_honor", "repair_reflect"):
        assert ada.get(repair_url(cast, name)).status_code == 200
    assert not actions.participation_of(cast.repair, cast.ada).ready


def test_with_a_chosen_country_its_lines_are_shown(cast: Cast) -> None:
    ada = client_for(cast.ada)
    ada.get(reverse("help"), {"country": "GB"})
    page = ada.post(reverse("safety_check", args=[cast.us.pk]), {"feels_safe": "no"})
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
    response = dee.post(ask, {"feels_safe": "yes", "next": voice})
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
    ada.post(url, {"feels_safe": "no"})
    assert safety.answer(cast.ada.pk, cast.us.pk) is False
    ada.post(url, {"feels_safe": "yes"})
    assert safety.answer(cast.ada.pk, cast.us.pk) is True
    assert ada.get(repair_url(cast, "repair_voice")).status_code == 200


def test_an_off_site_next_is_ignored(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        reverse("safety_check", args=[cast.us.pk]),
        {"feels_safe": "yes", "next": "https://elsewhere.example/"},
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
