"""A shared move the private safety question interrupted is kept for its owner and
carried out after "safe", through the same checks; dropped after "not safe"."""

from urllib.parse import parse_qs, urlsplit

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tend.care.models import SafetyAnswer
from tend.repairs import actions
from tend.repairs.models import Repair
from tend.repairs.views import kept
from tests.conftest import Cast, client_for
from tests.repairs.test_privacy import _pages_seen_by
from tests.repairs.test_together_flow import ready_room
from tests.sealed import sealed
from tests.test_access import PEOPLE


def _unanswered(cast: Cast, *users: object) -> None:
    SafetyAnswer.objects.filter(user__in=users, relationship=cast.us).delete()


def _url(cast: Cast, name: str, *extra: object) -> str:
    return reverse(name, args=[cast.us.pk, cast.repair.pk, *extra])


def _seq(cast: Cast) -> int:
    return type(cast.us).objects.get(pk=cast.us.pk).last_seq


def _interrupted(client: Client, url: str, data: dict[str, str], back: str, **headers: str) -> str:
    """Makes the move, checks it was sent to the question, and returns that page's URL."""
    response = client.post(url, data, headers={"Referer": f"http://testserver{back}", **headers})
    if headers.get("HX-Request"):
        assert response.status_code == 204
        ask = response["HX-Redirect"]
    else:
        assert response.status_code == 302
        ask = response["Location"]
    assert urlsplit(ask).path.endswith("/safety/")
    return ask


def _answer(client: Client, ask: str, feels_safe: str) -> tuple[object, list[str]]:
    """Opens the question page as the browser would and sends its form as it is."""
    page = client.get(ask)
    assert page.status_code == 200
    query = parse_qs(urlsplit(ask).query)
    # The answer sealed on the device, which says "go on" only when it is "yes".
    form = {"sealed": sealed(), "next": query["next"][0]}
    if feels_safe == "yes":
        form["proceed"] = "on"
    if "kept" in query:
        assert f'name="kept" value="{query["kept"][0]}"' in page.content.decode()
        form["kept"] = query["kept"][0]
    response = client.post(urlsplit(ask).path, form)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    return response, said


def test_i_hear_you_is_done_after_safe(cast: Cast) -> None:
    _unanswered(cast, cast.ben)
    ben = client_for(cast.ben)
    overview = _url(cast, "repair")
    seq = _seq(cast)

    ask = _interrupted(ben, _url(cast, "repair_acknowledge_need", cast.need.pk), {}, overview)
    assert not cast.need.acknowledged_by.exists()  # nothing yet: the question comes first
    assert _seq(cast) == seq
    assert "waiting for this answer" in ben.get(ask).content.decode()

    response, said = _answer(ben, ask, "yes")
    assert response.status_code == 302
    assert cast.need.acknowledged_by.filter(pk=cast.ben.pk).exists()
    assert said == ["Done: you said you hear what Ada needs."]
    assert _seq(cast) == seq + 1
    assert kept.SESSION_KEY not in ben.session


def test_i_am_ready_is_done_after_safe(cast: Cast) -> None:
    _unanswered(cast, cast.ada)
    ada = client_for(cast.ada)
    ask = _interrupted(
        ada, _url(cast, "repair_ready"), {"ready": "yes"}, _url(cast, "repair_reflect")
    )
    assert not actions.participation_of(cast.repair, cast.ada).ready

    response, said = _answer(ada, ask, "yes")
    assert response["Location"] == _url(cast, "repair")  # where "I am ready" leads
    assert actions.participation_of(cast.repair, cast.ada).ready
    assert said == ["Done: you are marked ready to come back together."]


def test_a_step_five_move_from_htmx_is_done_after_safe(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    assert room.phase == "considerations"
    _unanswered(cast, cast.ben)
    ben = client_for(cast.ben)
    ask = _interrupted(
        ben,
        _url(cast, "repair_move", "done"),
        {"phase": "considerations"},
        _url(cast, "repair"),
        **{"HX-Request": "true"},
    )
    assert actions.participation_of(cast.repair, cast.ben).phase_done == ""

    response, said = _answer(ben, ask, "yes")
    assert response["Location"] == _url(cast, "repair")
    assert actions.participation_of(cast.repair, cast.ben).phase_done == "considerations"
    assert said == ["Done: what you chose is on the shared screen."]


def test_giving_voice_says_what_its_own_page_says(cast: Cast) -> None:
    _unanswered(cast, cast.ada)
    ada = client_for(cast.ada)
    voice = _url(cast, "repair_voice")
    ask = _interrupted(ada, voice, {"text": "I need a moment."}, voice)
    # Kept encrypted: the words are nowhere in the stored session.
    assert b"I need a moment." not in ada.session.encode(dict(ada.session)).encode()

    _response, said = _answer(ada, ask, "yes")
    assert said == ["Sent. Now, what do you need?"]
    assert cast.repair.messages.get().text == "I need a moment."


def test_a_move_no_longer_possible_is_refused_in_plain_words(cast: Cast) -> None:
    _unanswered(cast, cast.ben)
    ben = client_for(cast.ben)
    overview = _url(cast, "repair")
    ask = _interrupted(ben, _url(cast, "repair_acknowledge_need", cast.need.pk), {}, overview)
    # Meanwhile ada closes the repair.
    actions.close_repair(cast.repair, actions.participation_of(cast.repair, cast.ada))
    seq = _seq(cast)

    response, said = _answer(ben, ask, "yes")
    assert response.status_code == 302
    assert response["Location"] == overview  # back where the move was made
    assert not cast.need.acknowledged_by.exists()
    assert _seq(cast) == seq
    assert said == ["This repair has ended."]  # the machine's own words


def test_not_safe_drops_the_move_and_nobody_can_tell(cast: Cast) -> None:
    _unanswered(cast, cast.ada)
    ada = client_for(cast.ada)
    observers = [p for p in PEOPLE if p != "ada"]
    clients = {p: client_for(cast.people()[p]) for p in observers}
    before = {p: _pages_seen_by(cast, p, clients[p]) for p in observers}
    seq = _seq(cast)

    ask = _interrupted(
        ada, _url(cast, "repair_ready"), {"ready": "yes"}, _url(cast, "repair_reflect")
    )
    response, said = _answer(ada, ask, "no")

    assert response.status_code == 200
    assert "Thank you for telling us" in response.content.decode()
    assert said == []
    assert kept.SESSION_KEY not in ada.session
    assert not actions.participation_of(cast.repair, cast.ada).ready
    assert _seq(cast) == seq
    for person in observers:
        after = _pages_seen_by(cast, person, clients[person])
        for name, page in after.items():
            assert page == before[person][name], f"{person}'s view of {name} changed"
    # Changing the answer later does not bring the dropped move back.
    response, said = _answer(ada, ask, "yes")
    assert not actions.participation_of(cast.repair, cast.ada).ready
    assert said == []


def test_an_answer_given_elsewhere_later_carries_nothing_out(cast: Cast) -> None:
    _unanswered(cast, cast.ada)
    ada = client_for(cast.ada)
    _interrupted(ada, _url(cast, "repair_ready"), {"ready": "yes"}, _url(cast, "repair_reflect"))
    # She leaves the question, and later answers it from "Feeling safe?" in the bar.
    ada.post(reverse("safety_check", args=[cast.us.pk]), {"sealed": sealed(), "proceed": "on"})
    assert not actions.participation_of(cast.repair, cast.ada).ready
    assert kept.SESSION_KEY not in ada.session


def test_a_password_or_a_personal_step_is_never_kept(cast: Cast) -> None:
    _unanswered(cast, cast.ada)
    ada = client_for(cast.ada)
    response = ada.post(
        _url(cast, "repair_one_screen"),
        {"present-member": "1", "present-password": "secret words"},
    )
    assert "kept=" not in response["Location"]
    assert kept.SESSION_KEY not in ada.session


def test_a_very_large_move_is_not_kept(cast: Cast) -> None:
    _unanswered(cast, cast.ada)
    ada = client_for(cast.ada)
    response = ada.post(_url(cast, "repair_voice"), {"text": "x" * (kept.MAX_CHARS + 1)})
    assert "kept=" not in response["Location"]
    assert kept.SESSION_KEY not in ada.session


def test_a_kept_move_of_another_repair_in_another_relationship_is_not_carried_out(
    cast: Cast,
) -> None:
    _unanswered(cast, cast.ada)
    ada = client_for(cast.ada)
    ask = _interrupted(
        ada, _url(cast, "repair_ready"), {"ready": "yes"}, _url(cast, "repair_reflect")
    )
    mark = parse_qs(urlsplit(ask).query)["kept"][0]
    # The same mark sent with the question of another relationship does nothing there.
    ada.post(
        reverse("safety_check", args=[cast.family.pk]),
        {"sealed": sealed(), "proceed": "on", "kept": mark},
    )
    assert not actions.participation_of(cast.repair, cast.ada).ready
    assert Repair.objects.filter(relationship=cast.family).count() == 0
