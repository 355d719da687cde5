"""What deleting an account removes and what stays, as the delete page states it."""

import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.sessions.models import Session
from django.urls import reverse

from tend.accounts.models import DeviceSession
from tend.care import safety
from tend.care.models import SafetyAnswer
from tend.gardens.models import Relationship
from tend.repairs.models import Commitment, Entry, Participation, PracticeSession
from tests.accounts.helpers import LAPTOP, PHONE, signed_in
from tests.accounts.scenes import SHARED, commitment_of, mark, written_repair
from tests.conftest import PASSWORD, Cast, client_for, without_tokens
from tests.sealed import sealed

DELETE = "/account/delete/"


def everything_stored() -> str:
    """Every value of every row in the database, decrypted as the app reads it."""
    chunks: list[str] = []
    for model in apps.get_models():
        for row in model._default_manager.all():
            chunks.extend(str(f.value_from_object(row)) for f in model._meta.concrete_fields)
    return "\n".join(chunks)


def delete(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 302


def test_the_page_states_what_goes_and_what_stays(cast: Cast) -> None:
    page = client_for(cast.ben).get(DELETE).content.decode()

    for promise in (
        "Everything you wrote for yourself",
        "Everything you said to the others in any repair",
        "Listening turns you spoke or listened in go with them",
        "not kept under another name",
        "A relationship with nobody else left in it is deleted",
        "Commitments you made to a relationship stay with it",
        "Someone who left",
        "You can take your data with you first.",
    ):
        assert promise in page, promise


def test_nothing_ben_wrote_remains_anywhere_in_the_database(cast: Cast) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])
    written_repair(cast.us, [cast.ada, cast.ben], tag="-early", together=False)
    written_repair(cast.family, [cast.ben, cast.cy], tag="-family")
    before = everything_stored()
    # His private words are sealed (never readable here); his shared ones are.
    assert mark("ben", "notice") not in before and mark("ben", "message") in before

    delete(client_for(cast.ben))

    stored = everything_stored()
    assert re.findall(r"ben-[a-z-]+?-q7z", stored) == []
    assert not Participation.objects.filter(user_id=cast.ben.pk).exists()
    assert not Entry.objects.filter(participation__user_id=cast.ben.pk).exists()
    assert not PracticeSession.objects.filter(participation__user_id=cast.ben.pk).exists()


def test_what_the_others_wrote_stays_theirs(cast: Cast) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])

    delete(client_for(cast.ben))

    stored = everything_stored()
    # Her private fields are sealed on her device: never readable in the database.
    for field in SHARED:
        kept = mark("ada", field)
        # Except her words inside ben's listening turns and her answer to his request,
        # which go with them (as the page says).
        gone = field in {"heard", "body", "correction", "answer"}
        assert (kept in stored) != gone, field


def test_commitments_stay_with_the_relationship_under_someone_who_left(cast: Cast) -> None:
    delete(client_for(cast.ben))

    commitment = Commitment.objects.get(pk=cast.commitment.pk)
    assert commitment.owner is None
    assert commitment.owner_name == "Someone who left"
    assert commitment.text == "Say when I need space."
    assert [r.edited_by for r in commitment.revisions.all()] == [None]
    page = client_for(cast.ada).get(reverse("relationship_commitments", args=[cast.us.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Say when I need space." in content
    assert "Someone who left" in content
    assert "Ben" not in without_tokens(content)


def test_a_relationship_with_nobody_left_in_it_goes_entirely(cast: Cast) -> None:
    written_repair(cast.dees, [cast.dee], tag="-alone")
    commitment_of(cast.dee, cast.dees, "dee-commitment-q7z")

    delete(client_for(cast.dee))

    assert not Relationship.objects.filter(pk=cast.dees.pk).exists()
    assert "dee-" not in everything_stored()


def test_relationships_the_others_are_still_in_stay(cast: Cast) -> None:
    delete(client_for(cast.ben))
    delete(client_for(cast.eli))  # left "Us" long ago: it stays for ada

    assert set(Relationship.objects.values_list("name", flat=True)) == {"Us", "Family", "Dee's"}


def test_the_others_repair_pages_still_work(cast: Cast) -> None:
    finished = written_repair(cast.us, [cast.ada, cast.ben])
    ada = client_for(cast.ada)

    delete(client_for(cast.ben))

    for repair in (cast.repair, finished):
        # The repair's page, with its people panel.
        response = ada.get(reverse("repair", args=[cast.us.pk, repair.pk]))
        assert response.status_code == 200, repair
        assert "ben-" not in response.content.decode()


def test_every_session_of_the_account_ends(cast: Cast) -> None:
    phone = signed_in(cast.ben, agent=PHONE)
    laptop = signed_in(cast.ben, agent=LAPTOP)
    ada = signed_in(cast.ada)

    delete(laptop)

    assert phone.get("/home/")["Location"].startswith("/login/")
    assert not DeviceSession.objects.filter(user_id=cast.ben.pk).exists()
    owners = {s.get_decoded().get("_auth_user_id") for s in Session.objects.all()}
    assert str(cast.ben.pk) not in owners
    assert ada.get("/home/").status_code == 200


def test_the_login_records_of_the_account_go_too(cast: Cast, client) -> None:  # type: ignore[no-untyped-def]
    client.post("/login/", {"username": "ben@example.test", "password": "wrong"})
    client.post("/login/", {"username": "ada@example.test", "password": "wrong"})
    ben = signed_in(cast.ben)
    signed_in(cast.ada)
    assert AccessAttempt.objects.filter(username="ben@example.test").exists()

    delete(ben)

    for record in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not record.objects.filter(username="ben@example.test").exists()
    assert AccessAttempt.objects.filter(username="ada@example.test").count() == 1  # untouched


def test_no_log_of_every_login_is_kept(cast: Cast) -> None:
    # Failed attempts are counted for the lockout; successful logins leave no record
    # with a full address and browser.
    signed_in(cast.ada)
    assert not AccessLog.objects.exists()


def test_the_safety_answers_go_with_the_account(cast: Cast) -> None:
    safety.record(cast.ben, cast.us, sealed())
    others = set(SafetyAnswer.objects.exclude(user=cast.ben).values_list("pk", flat=True))

    delete(client_for(cast.ben))

    assert not SafetyAnswer.objects.filter(user_id=cast.ben.pk).exists()
    assert set(SafetyAnswer.objects.values_list("pk", flat=True)) == others
