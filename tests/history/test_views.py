"""The history pages with the fixed cast: the list, the record, what we learned, themes
and sharing; bad input answers 4xx with a message, and a second press changes nothing."""

from datetime import timedelta

from django.urls import reverse

from tend.history.models import LearnedNote, Theme
from tend.live.models import Event
from tests.accounts.scenes import mark
from tests.conftest import Cast, client_for
from tests.history.scenes import past_repair


def _events(cast: Cast, kind: str) -> int:
    return Event.objects.filter(relationship=cast.us, kind=kind).count()


def test_the_list_is_newest_first_and_says_how_each_ended(cast: Cast) -> None:
    older = past_repair(cast.us, [cast.ada, cast.ben], days_ago=20, took=timedelta(days=2))
    closed = past_repair(cast.us, [cast.ada, cast.ben], days_ago=5, tag="-c", completed=False)

    page = client_for(cast.ben).get(reverse("history", args=[cast.us.pk])).content.decode()

    assert page.index(f"/history/{closed.pk}/") < page.index(f"/history/{older.pk}/")
    assert "You came back together after 2 days." in page
    assert "It was closed before coming back together." in page
    assert "Who took part: Ada, Ben" in page
    assert f"/repairs/{cast.repair.pk}/" not in page  # the open one is not history


def test_the_relationship_page_shows_the_latest_few(cast: Cast) -> None:
    repairs = [
        past_repair(cast.us, [cast.ada, cast.ben], days_ago=d, tag=f"-{d}") for d in range(5)
    ]

    page = client_for(cast.ada).get(reverse("relationship", args=[cast.us.pk])).content.decode()

    assert "What you have been through" in page
    assert f"/history/{repairs[0].pk}/" in page and f"/history/{repairs[2].pk}/" in page
    assert f"/history/{repairs[4].pk}/" not in page
    assert reverse("history", args=[cast.us.pk]) in page


def test_the_record_shows_what_was_shared_and_nothing_kept(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben])

    page = client_for(cast.ada).get(reverse("history_record", args=[cast.us.pk, repair.pk]))

    text = page.content.decode()
    for shared in ("brought", "request", "answer", "agreement", "proposal"):
        assert mark("ben", shared) in text, shared
    for private in ("kept", "honor", "flagged", "notice", "practice", "signal", "feeling"):
        assert mark("ben", private) not in text, private
        assert mark("ada", private) not in text, private


def test_who_did_not_join_sees_that_it_happened_not_what_was_said(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], joined=("ada",))

    page = client_for(cast.ben).get(reverse("history_record", args=[cast.us.pk, repair.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "What was said in it stays with those who took part." in text
    assert mark("ada", "brought") not in text and mark("ada", "request") not in text
    assert "Propose a theme" not in text


def test_a_note_is_added_changed_and_removed_by_its_author(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben])
    url = reverse("history_note", args=[cast.us.pk, repair.pk])
    record = reverse("history_record", args=[cast.us.pk, repair.pk])
    ada, ben = client_for(cast.ada), client_for(cast.ben)

    assert ada.post(url, {"helped": "Slowing down.", "next_time": ""}).status_code == 302
    assert ada.post(url, {"helped": "Slowing down.", "next_time": ""}).status_code == 302
    assert _events(cast, "learned_changed") == 1  # the second press changed nothing
    assert "Slowing down." in ben.get(record).content.decode()
    assert "Slowing down." in ada.get(url).content.decode()  # her own, to change

    ben.post(url, {"helped": "", "next_time": "Ask sooner."})
    assert LearnedNote.objects.get(author=cast.ada).helped == "Slowing down."  # ben's is his

    ada.post(url, {"helped": "", "next_time": ""})
    assert not LearnedNote.objects.filter(author=cast.ada).exists()
    assert _events(cast, "learned_changed") == 3


def test_a_too_long_note_is_refused_with_its_words_kept(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben])
    url = reverse("history_note", args=[cast.us.pk, repair.pk])

    response = client_for(cast.ada).post(url, {"helped": "x" * 501, "next_time": "Ask sooner."})

    assert response.status_code == 400
    assert "Please keep it under 500 characters." in response.content.decode()
    assert "Ask sooner." in response.content.decode()
    assert not LearnedNote.objects.exists()


def test_no_note_on_a_closed_repair_or_by_who_did_not_take_part(cast: Cast) -> None:
    closed = past_repair(cast.us, [cast.ada, cast.ben], completed=False)
    apart = past_repair(cast.us, [cast.ada, cast.ben], joined=("ada",), tag="-x")

    assert (
        client_for(cast.ada).get(reverse("history_note", args=[cast.us.pk, closed.pk])).status_code
        == 404
    )
    assert (
        client_for(cast.ben).get(reverse("history_note", args=[cast.us.pk, apart.pk])).status_code
        == 404
    )


def test_a_theme_is_proposed_then_agreed_by_all_and_can_change(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben])
    propose = reverse("history_theme", args=[cast.us.pk, repair.pk])
    ada, ben = client_for(cast.ada), client_for(cast.ben)

    ada.post(propose, {"text": "Plans  changing"})
    ada.post(propose, {"text": "plans changing "})  # the same again: a double submit
    theme = Theme.objects.get()
    assert theme.status == Theme.Status.PROPOSED and theme.text == "Plans changing"
    agree = reverse("history_theme_agree", args=[cast.us.pk, repair.pk, theme.pk])
    assert ben.post(agree).status_code == 302
    assert ben.post(agree).status_code == 302
    assert _events(cast, "theme_changed") == 2
    theme.refresh_from_db()
    assert theme.status == Theme.Status.AGREED

    ben.post(propose, {"text": "money"})
    page = ada.get(reverse("history_record", args=[cast.us.pk, repair.pk])).content.decode()
    assert "“Plans changing”" in page and "Proposed: “money”" in page
    ada.post(reverse("history_theme_agree", args=[cast.us.pk, repair.pk, Theme.objects.last().pk]))
    assert list(Theme.objects.values_list("text", "status")) == [
        ("Plans changing", "replaced"),
        ("money", "agreed"),
    ]


def test_bad_theme_moves_answer_4xx_with_a_message(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben])
    ada = client_for(cast.ada)
    propose = reverse("history_theme", args=[cast.us.pk, repair.pk])

    empty = ada.post(propose, {"text": "   "})
    long = ada.post(propose, {"text": "x" * 61})
    unknown = ada.post(reverse("history_theme_agree", args=[cast.us.pk, repair.pk, 999999]))
    huge = ada.post(reverse("history_theme_agree", args=[cast.us.pk, repair.pk, 10**20]))

    assert empty.status_code == 400 and "Please write a few words" in empty.content.decode()
    assert long.status_code == 400 and "under 60 characters" in long.content.decode()
    assert unknown.status_code == 400 and "not part of this repair" in unknown.content.decode()
    assert huge.status_code == 400
    assert not Theme.objects.exists()


def test_an_old_theme_cannot_be_agreed_once_replaced(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben])
    propose = reverse("history_theme", args=[cast.us.pk, repair.pk])
    client_for(cast.ada).post(propose, {"text": "money"})
    old = Theme.objects.get()
    client_for(cast.ada).post(propose, {"text": "time"})

    response = client_for(cast.ben).post(
        reverse("history_theme_agree", args=[cast.us.pk, repair.pk, old.pk])
    )

    assert response.status_code == 409
    assert "changed since" in response.content.decode()


def test_only_who_took_part_may_propose(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], joined=("ada",))

    response = client_for(cast.ben).post(
        reverse("history_theme", args=[cast.us.pk, repair.pk]), {"text": "money"}
    )

    assert response.status_code == 409
    assert not Theme.objects.exists()


def _theme(cast: Cast, repair, text: str) -> None:  # type: ignore[no-untyped-def]
    for person in (cast.ada, cast.ben):
        client_for(person).post(
            reverse("history_theme", args=[cast.us.pk, repair.pk]), {"text": text}
        )


def test_a_theme_that_came_up_before_says_so_and_links_those_repairs(cast: Cast) -> None:
    first = past_repair(cast.us, [cast.ada, cast.ben], days_ago=40, tag="-1")
    second = past_repair(cast.us, [cast.ada, cast.ben], days_ago=20, tag="-2")
    third = past_repair(cast.us, [cast.ada, cast.ben], days_ago=1, tag="-3")
    other = past_repair(cast.family, [cast.ada, cast.ben], days_ago=60, tag="-f")
    _theme(cast, first, "Plans changing")
    _theme(cast, third, "  plans CHANGING")
    _theme(cast, second, "money")
    for person in (cast.ada, cast.ben):  # another relationship's theme never counts
        client_for(person).post(
            reverse("history_theme", args=[cast.family.pk, other.pk]), {"text": "plans changing"}
        )
    assert Theme.objects.filter(status="agreed").count() == 4

    record = (
        client_for(cast.ben)
        .get(reverse("history_record", args=[cast.us.pk, third.pk]))
        .content.decode()
    )

    assert "This has come up 2 times since" in record
    assert f"/history/{first.pk}/" in record
    assert f"/history/{second.pk}/" not in record and f"/history/{other.pk}/" not in record
    listing = client_for(cast.ben).get(reverse("history", args=[cast.us.pk])).content.decode()
    assert listing.count("This has come up 2 times since") == 2
