"""Every private field of steps 1-4, step 5's considerations and the safety answer take
only values sealed on the person's device: plaintext is refused with a clear 400 (never a
500), and nothing of it is stored."""

import pytest
from django.db import connection
from django.urls import reverse

from tend.care.models import SafetyAnswer
from tend.repairs import actions
from tend.repairs.models import Entry, Participation, PracticeSession
from tests.conftest import Cast, client_for
from tests.repairs.test_together_flow import ready_room
from tests.sealed import sealed

PLAIN = "MARKER-plain-words-7f3a"


def url(cast: Cast, name: str, *extra: object) -> str:
    return reverse(name, args=[cast.us.pk, cast.repair.pk, *extra])


def _stored_anywhere(marker: str) -> bool:
    """The marker in any text column of any table (the database as the operator sees it)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            description = connection.introspection.get_table_description(cursor, table)
            names = [c.name for c in description]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (names from the schema)
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, str | bytes | memoryview) and marker in (
                        bytes(value).decode(errors="ignore")
                        if not isinstance(value, str)
                        else value
                    ):
                        return True
                    del name
    return False


PLAIN_POSTS = [
    ("repair_acknowledge", (), {"notice": f'{{"signals": ["{PLAIN}"]}}'}),
    ("repair_acknowledge", (), {"notice": sealed(), "own_words": PLAIN}),
    ("repair_entry", ("honor:what_hurts",), {"text": PLAIN}),
    ("repair_entry", ("reflect:responsibility",), {"text": PLAIN, "bring": "on"}),
    ("repair_marks", (), {"marks": PLAIN}),
    ("repair_readiness", (), {"readiness": PLAIN}),
    ("repair_practice", ("long_exhale",), {"sealed": PLAIN}),
]


@pytest.mark.parametrize(("name", "extra", "data"), PLAIN_POSTS)
@pytest.mark.parametrize("htmx", [True, False])
def test_plaintext_in_a_private_field_is_refused_and_not_stored(
    cast: Cast, name: str, extra: tuple[object, ...], data: dict[str, str], htmx: bool
) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(cast.ada).post(url(cast, name, *extra), data, headers=headers)
    assert response.status_code == 400
    assert "did not arrive sealed on your device" in response.content.decode()
    assert not _stored_anywhere(PLAIN)


def test_plaintext_after_a_practice_is_refused(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        url(cast, "repair_practice_done", cast.practice.pk), {"sealed": PLAIN}
    )
    assert response.status_code == 400
    assert not _stored_anywhere(PLAIN)


def test_sealed_values_are_stored_as_sent(cast: Cast) -> None:
    ada = client_for(cast.ada)
    notice, words, text, marks, readiness = (sealed() for _ in range(5))
    assert ada.post(url(cast, "repair_acknowledge"), {"notice": notice, "own_words": words})[
        "Location"
    ].endswith("/voice/")
    hx = {"HX-Request": "true"}
    assert ada.post(url(cast, "repair_entry", "honor:what_hurts"), {"text": text}, headers=hx)
    assert ada.post(url(cast, "repair_marks"), {"marks": marks}, headers=hx).status_code == 200
    assert (
        ada.post(url(cast, "repair_readiness"), {"readiness": readiness}, headers=hx).status_code
        == 200
    )
    mine = Participation.objects.get(repair=cast.repair, user=cast.ada)
    assert (mine.notice, mine.marks, mine.readiness) == (notice, marks, readiness)
    assert Entry.objects.get(participation=mine, key="notice_words").text == words
    assert Entry.objects.get(participation=mine, key="honor:what_hurts").text == text


def test_a_practice_is_sealed_before_and_after(cast: Cast) -> None:
    ada = client_for(cast.ada)
    before, after = sealed(), sealed()
    response = ada.post(url(cast, "repair_practice", "long_exhale"), {"sealed": before})
    assert response.status_code == 200
    session = PracticeSession.objects.latest("pk")
    assert session.before == before
    ada.post(url(cast, "repair_practice_done", session.pk), {"sealed": after})
    session.refresh_from_db()
    assert session.after == after and session.finished_at is not None


def test_bringing_is_a_deliberate_copy_and_unbringing_deletes_it(cast: Cast) -> None:
    ada = client_for(cast.ada)
    target = url(cast, "repair_entry", "reflect:responsibility")
    text = sealed()
    ada.post(target, {"text": text, "bring": "on", "shared": "My part, to bring."})
    entry = Entry.objects.get(key="reflect:responsibility")
    assert (entry.text, entry.bring, entry.shared) == (text, True, "My part, to bring.")
    ada.post(target, {"text": text, "shared": "My part, to bring."})  # unticked
    entry.refresh_from_db()
    assert (entry.bring, entry.shared) == (False, "")
    assert not _stored_anywhere("My part, to bring.")


def test_considerations_take_only_sealed_ticks(cast: Cast) -> None:
    repair = ready_room(cast, {"ada": cast.ada, "ben": cast.ben}).repair
    move = reverse("repair_move", args=[cast.us.pk, repair.pk, "consider"])
    ada = client_for(cast.ada)
    refused = ada.post(move, {"phase": "considerations", "considerations": PLAIN})
    assert refused.status_code == 400
    assert not _stored_anywhere(PLAIN)
    ticks = sealed()
    ada.post(move, {"phase": "considerations", "considerations": ticks})
    assert Participation.objects.get(repair=repair, user=cast.ada).considerations == ticks


def test_the_safety_answer_is_kept_sealed_with_only_whether_it_was_asked(cast: Cast) -> None:
    SafetyAnswer.objects.filter(user=cast.ada, relationship=cast.us).delete()
    page = reverse("safety_check", args=[cast.us.pk])
    ada = client_for(cast.ada)
    for plain in ({"feels_safe": "no"}, {"sealed": "no"}, {}):
        assert ada.post(page, plain).status_code == 400
    assert not SafetyAnswer.objects.filter(user=cast.ada).filter(relationship=cast.us).exists()
    answer = sealed()
    assert ada.post(page, {"sealed": answer}).status_code == 200  # not going on: stays here
    stored = SafetyAnswer.objects.get(user=cast.ada, relationship=cast.us)
    assert stored.sealed == answer
    assert {f.name for f in SafetyAnswer._meta.get_fields()} == {
        "id",
        "user",
        "relationship",
        "sealed",
        "answered_at",
    }
    own = ada.get(reverse("safety_sealed", args=[cast.us.pk]))
    assert own.json() == {"sealed": answer} and "no-store" in own["Cache-Control"]


def test_nobody_else_reads_a_sealed_safety_answer(cast: Cast) -> None:
    # Ben reads his own (of "Us"); dee is not a member: 404, as for any page of it.
    ben = client_for(cast.ben).get(reverse("safety_sealed", args=[cast.us.pk])).json()
    ada = SafetyAnswer.objects.get(user=cast.ada, relationship=cast.us).sealed
    assert ben["sealed"] != ada
    assert client_for(cast.dee).get(reverse("safety_sealed", args=[cast.us.pk])).status_code == 404


def test_the_server_gate_asks_first_and_then_leaves_the_answer_to_the_device(cast: Cast) -> None:
    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    SafetyAnswer.objects.filter(user=cast.ben).delete()
    response = client_for(cast.ben).post(url(cast, "repair_voice"), {"text": "A moment, please."})
    assert reverse("safety_check", args=[cast.us.pk]) in response["Location"]
    SafetyAnswer.objects.create(user=cast.ben, relationship=cast.us, sealed=sealed())
    response = client_for(cast.ben).post(url(cast, "repair_voice"), {"text": "A moment, please."})
    assert response.status_code == 302 and "safety" not in response["Location"]
