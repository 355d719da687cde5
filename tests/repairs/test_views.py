"""The repair pages as people use them: what they show, saving as you type, bad input."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from tend.live.models import Event
from tend.repairs import actions
from tend.repairs.models import Entry, NeedRequest, Participation, Repair
from tend.repairs.views.common import whole_screen
from tests.conftest import Cast, client_for, people_panel
from tests.sealed import sealed


def url(cast: Cast, name: str, *extra: object) -> str:
    return reverse(name, args=[cast.us.pk, cast.repair.pk, *extra])


def test_opening_takes_one_tap_and_lands_on_noticing(cast: Cast) -> None:
    actions.close_repair(cast.repair, actions.participation_of(cast.repair, cast.ada))
    response = client_for(cast.ben).post(
        reverse("repair_open", args=[cast.us.pk]), {"opening": "triggered"}
    )
    repair = Repair.objects.get(relationship=cast.us, stage=Repair.Stage.PERSONAL)
    assert response["Location"] == reverse("repair_acknowledge", args=[cast.us.pk, repair.pk])
    assert Event.objects.filter(kind="repair_opened", repair_id=repair.pk).exists()


def test_opening_with_an_unknown_kind_is_refused_kindly(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        reverse("repair_open", args=[cast.us.pk]), {"opening": "blame"}
    )
    assert response.status_code == 400


def test_the_asked_partner_sees_the_request_and_plan_and_can_answer(cast: Cast) -> None:
    page = client_for(cast.ben).get(url(cast, "repair")).content.decode()
    assert "Ada opened a repair" in page
    assert "Join the repair" in page and "Not yet" in page
    assert "the bench outside" in page  # the proposed place
    assert "That works for me" in page


def test_ben_accepts_the_time_and_everyone_sees_the_agreed_plan(cast: Cast) -> None:
    client_for(cast.ben).post(url(cast, "repair_accept_plan", cast.plan.pk))
    cast.repair.refresh_from_db()
    assert cast.repair.agreed_plan_id == cast.plan.pk
    page = people_panel(client_for(cast.ada), url(cast, "repair"))
    assert "Agreed:" in page and "the bench outside" in page


def test_ben_proposes_another_time_and_ada_accepts_it(cast: Cast) -> None:
    ben = client_for(cast.ben)
    response = ben.post(
        url(cast, "repair_plan"), {"meet_at": "2099-01-01T20:00", "place": "the park"}
    )
    assert response.status_code == 400  # more than a year ahead: refused with a message
    assert "within the next year" in response.content.decode()
    from datetime import timedelta

    from django.utils import timezone

    soon = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ben.post(url(cast, "repair_plan"), {"meet_at": soon, "place": "the park"})
    plan = cast.repair.plans.get(status="proposed")
    assert plan.place == "the park"
    client_for(cast.ada).post(url(cast, "repair_accept_plan", plan.pk))
    cast.repair.refresh_from_db()
    assert cast.repair.agreed_plan_id == plan.pk


def test_an_invalid_time_gets_a_clear_message(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        url(cast, "repair_plan"), {"meet_at": "tomorrow-ish", "place": "x"}
    )
    assert response.status_code == 400
    assert "Please choose a day and time" in response.content.decode()


def test_space_without_a_time_asks_for_one(cast: Cast) -> None:
    response = client_for(cast.ada).post(url(cast, "repair_needs"), {"need": "space"})
    assert response.status_code == 400
    assert "when you could come back together" in response.content.decode()


def test_other_need_needs_own_words(cast: Cast) -> None:
    response = client_for(cast.ada).post(url(cast, "repair_needs"), {"need": "other"})
    assert response.status_code == 400
    assert NeedRequest.objects.filter(repair=cast.repair).count() == 1


def test_autosave_answers_saved_and_a_double_submit_is_harmless(cast: Cast) -> None:
    ada = client_for(cast.ada)
    target = url(cast, "repair_entry", "honor:what_hurts")
    stung = sealed()  # "It stung.", sealed on ada's phone
    for _ in range(2):
        response = ada.post(target, {"text": stung}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "Saved" in response.content.decode()
    assert Entry.objects.filter(key="honor:what_hurts").count() == 1


def test_overlong_text_is_refused_and_what_was_saved_stays(cast: Cast) -> None:
    # The 5,000 characters are kept by the text box on the device (the server cannot
    # count what it cannot read); the server refuses what is not sealed, or too big.
    ada = client_for(cast.ada)
    target = url(cast, "repair_entry", "honor:what_hurts")
    first = sealed()
    ada.post(target, {"text": first})
    too_long = sealed(40_000)
    response = ada.post(target, {"text": too_long}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "did not arrive sealed" in response.content.decode()
    # Without htmx the page comes back with the message; what was saved stays.
    response = ada.post(target, {"text": "x" * 5001})
    assert response.status_code == 400
    assert "did not arrive sealed" in response.content.decode()
    assert Entry.objects.get(key="honor:what_hurts").text == first


def test_unknown_answer_key_is_404(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        url(cast, "repair_entry", "notes:anything"), {"text": sealed()}
    )
    assert response.status_code == 404


def test_bring_flag_is_stored_with_the_reflection(cast: Cast) -> None:
    client_for(cast.ada).post(
        url(cast, "repair_entry", "reflect:responsibility"),
        {"text": sealed(), "bring": "on", "shared": "My part."},
    )
    entry = Entry.objects.get(key="reflect:responsibility")
    assert (entry.bring, entry.shared) == (True, "My part.")


def test_notice_autosave_answers_with_a_fragment(cast: Cast) -> None:
    # The suggested state is worked out on the device from the ticks (private.js; see
    # tests/e2e/test_private_fields.py): the server, which cannot read them, says "Saved".
    response = client_for(cast.ada).post(
        url(cast, "repair_acknowledge"),
        {"notice": sealed(), "own_words": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saved" in page
    assert "<html" not in page


def test_notice_refuses_an_intensity_in_the_clear(cast: Cast) -> None:
    response = client_for(cast.ada).post(url(cast, "repair_acknowledge"), {"notice": "11"})
    assert response.status_code == 400


def test_voice_offers_pause_together_when_the_other_said_they_are_triggered(cast: Cast) -> None:
    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    offer = "“pause together”"
    # Ada opened as triggered, so ben is offered it; ada is not, until ben says so too.
    assert offer in client_for(cast.ben).get(url(cast, "repair_voice")).content.decode()
    assert offer not in client_for(cast.ada).get(url(cast, "repair_voice")).content.decode()
    client_for(cast.ben).post(url(cast, "repair_voice"), {"text": "Me too, I think."})
    assert offer in client_for(cast.ada).get(url(cast, "repair_voice")).content.decode()


def test_sent_message_is_shown_to_the_other(cast: Cast) -> None:
    client_for(cast.ada).post(url(cast, "repair_voice"), {"text": "I need a moment, love."})
    page = people_panel(client_for(cast.ben), url(cast, "repair"))
    assert "I need a moment, love." in page


def test_a_stale_action_gets_a_clear_message(cast: Cast) -> None:
    ada = client_for(cast.ada)
    ada.post(url(cast, "repair_ready"), {"ready": "yes"})
    ada.post(url(cast, "repair_pause"))
    response = ada.post(
        url(cast, "repair_readiness"), {"readiness": sealed()}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    response = ada.post(url(cast, "repair_close"), follow=True)
    assert response.status_code == 200
    # Acting on a closed repair from an old screen: refused, shown where things are.
    response = ada.post(url(cast, "repair_voice"), {"text": "hello"}, follow=True)
    assert "This repair has ended." in response.content.decode()


def test_ready_and_taking_it_back_are_seen_by_the_other(cast: Cast) -> None:
    ada = client_for(cast.ada)
    ada.post(url(cast, "repair_ready"), {"ready": "yes"})
    assert "joined, ready" in people_panel(client_for(cast.ben), url(cast, "repair"))
    ada.post(url(cast, "repair_ready"), {"ready": "no"})
    assert "joined, not ready yet" in people_panel(client_for(cast.ben), url(cast, "repair"))


def test_coming_back_from_a_pause_leads_to_the_step_it_was_asked_from(cast: Cast) -> None:
    ada = client_for(cast.ada)
    assert actions.participation_of(cast.repair, cast.ada).step == "acknowledge"
    page = ada.get(url(cast, "repair_stabilize")).content.decode()
    assert '<input type="hidden" name="at" value="stabilize">' in page
    ada.post(url(cast, "repair_pause"), {"at": "stabilize"})
    response = ada.post(url(cast, "repair_resume"))
    assert response.url == url(cast, "repair_stabilize")


def test_a_pause_from_nowhere_real_still_pauses_and_keeps_the_step(cast: Cast) -> None:
    ada = client_for(cast.ada)
    for at in ("nowhere", "reengage", "\x00"):
        ada.post(url(cast, "repair_pause"), {"at": at})
        part = actions.participation_of(cast.repair, cast.ada)
        assert part.paused and part.step == "acknowledge"
        ada.post(url(cast, "repair_resume"))


def test_pause_is_seen_without_a_reason(cast: Cast) -> None:
    client_for(cast.ada).post(url(cast, "repair_pause"))
    assert Participation.objects.get(repair=cast.repair, user=cast.ada).paused
    page = people_panel(client_for(cast.ben), url(cast, "repair"))
    assert "Ada: paused" in " ".join(page.split())


def test_practice_records_intensity_before_and_after(cast: Cast) -> None:
    # Which practice and "from 8 to 5" are sealed on the device, and shown there
    # (tests/e2e/test_private_fields.py); the server keeps and hands back the envelopes.
    ada = client_for(cast.ada)
    before, after = sealed(), sealed()
    response = ada.post(url(cast, "repair_practice", "shake_out"), {"sealed": before})
    assert response.status_code == 200
    assert 'class="timer"' in response.content.decode()
    session = cast.repair.participations.get(user=cast.ada).practices.get(before=before)
    ada.post(url(cast, "repair_practice_done", session.pk), {"sealed": after})
    session.refresh_from_db()
    assert (session.before, session.after) == (before, after)
    page = ada.get(url(cast, "repair_stabilize")).content.decode()
    assert before in page and after in page


def test_unknown_practice_is_404(cast: Cast) -> None:
    assert client_for(cast.ada).get(url(cast, "repair_practice", "nope")).status_code == 404


def test_acting_on_another_relationships_repair_is_404(cast: Cast) -> None:
    wrong = reverse("repair", args=[cast.family.pk, cast.repair.pk])
    assert client_for(cast.ada).get(wrong).status_code == 404


def test_the_gentle_check_looks_over_messages_intentions_and_requests(cast: Cast) -> None:
    page = client_for(cast.ada).get(url(cast, "repair_voice")).content.decode()
    assert 'hx-post="/care/gentle-check/"' in page and 'id="gentle-id_text"' in page
    for template in ("repairs/propose_form.html", "repairs/requests.html"):
        from django.template.loader import get_template

        source = get_template(template).template.source
        assert "gentle_check" in source and "care/gentle_slot.html" in source


@pytest.mark.parametrize(
    ("headers", "whole"),
    [
        ({}, True),
        ({"HX-Request": "true", "HX-Target": "div#repair-screen"}, True),
        # A page still open from before htmx 4 names the target by its bare id.
        ({"HX-Request": "true", "HX-Target": "repair-screen"}, True),
        ({"HX-Request": "true", "HX-Target": "div#gentle-intention-text"}, False),
        ({"HX-Request": "true", "HX-Target": "div"}, False),
        ({"HX-Request": "true"}, False),
    ],
)
def test_a_whole_screen_is_a_page_or_a_redraw_of_the_repair_screen(
    headers: dict[str, str], whole: bool
) -> None:
    request = RequestFactory().get("/", headers=headers)
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    assert whole_screen(request) is whole
