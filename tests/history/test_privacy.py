"""Privacy of the past (issue 10): a later member sees no repair from before they
joined unless everyone who took part shares it with them; a former member sees none;
a record shows what was brought, never what was kept; export and deletion follow."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tend.accounts import contributions
from tend.accounts.models import User
from tend.gardens.actions import leave_relationship
from tend.gardens.models import Membership
from tend.history import actions
from tend.history.models import LearnedNote, Theme
from tend.live.models import Event
from tend.repairs import visibility
from tend.repairs.machine import Refused
from tend.repairs.models import Participation, PastShare, Repair
from tests.accounts.scenes import mark
from tests.conftest import Cast, client_for, join
from tests.history.scenes import later_joiner, past_repair
from tests.repairs.test_privacy import BROUGHT, UNBROUGHT, _to_listening_with_ada_speaking


def _pages(cast: Cast, user: User, repair: Repair) -> dict[str, tuple[int, str]]:
    """Every page where a past repair could show, as this person gets it."""
    client = client_for(user)
    urls = {
        "history": reverse("history", args=[cast.us.pk]),
        "panel": reverse("history_panel", args=[cast.us.pk]),
        "relationship": reverse("relationship", args=[cast.us.pk]),
        "record": reverse("history_record", args=[cast.us.pk, repair.pk]),
        "repair": reverse("repair", args=[cast.us.pk, repair.pk]),
        "stage": reverse("repair_stage", args=[cast.us.pk, repair.pk]),
    }
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        found[name] = (response.status_code, response.content.decode())
    return found


def _sees(cast: Cast, user: User, repair: Repair) -> bool:
    pages = _pages(cast, user, repair)
    listed = f"/history/{repair.pk}/" in pages["history"][1]
    reachable = {pages[n][0] for n in ("record", "repair", "stage")}
    assert listed == (reachable == {200}), pages  # all or nothing
    assert f"/history/{repair.pk}/" not in pages["panel"][1] or listed
    assert f"/repairs/{repair.pk}/" not in pages["relationship"][1] or listed
    return listed


def test_a_later_member_sees_an_earlier_repair_only_once_everyone_shares_it(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], days_ago=10)
    fay = later_joiner(cast.us, cast.ada)
    after = past_repair(cast.us, [cast.ada, cast.ben], tag="-after", took=timedelta(0))

    assert not _sees(cast, fay, repair)
    assert _sees(cast, fay, after)  # opened while she was a member: she sees it happened
    assert mark("ada", "brought-after") not in _pages(cast, fay, after)["record"][1]

    client_for(cast.ada).post(
        reverse("history_share", args=[cast.us.pk, repair.pk]), {"member": fay.pk}
    )
    assert not _sees(cast, fay, repair)  # ada alone is not everyone

    record = client_for(cast.ben).get(reverse("history_record", args=[cast.us.pk, repair.pk]))
    assert "agreed so far: Ada." in record.content.decode()
    client_for(cast.ben).post(
        reverse("history_share", args=[cast.us.pk, repair.pk]), {"member": fay.pk}
    )
    assert _sees(cast, fay, repair)
    page = _pages(cast, fay, repair)["record"][1]
    assert mark("ben", "brought") in page and mark("ada", "request") in page
    assert mark("ben", "kept") not in page and mark("ada", "honor") not in page
    assert "Propose a theme" not in page  # she did not take part

    client_for(cast.ben).post(
        reverse("history_share_withdraw", args=[cast.us.pk, repair.pk]), {"member": fay.pk}
    )
    assert not _sees(cast, fay, repair)
    assert Event.objects.filter(relationship=cast.us, kind="share_changed").count() == 3


def test_a_second_press_to_share_changes_nothing(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], days_ago=10)
    fay = later_joiner(cast.us, cast.ada)
    url = reverse("history_share", args=[cast.us.pk, repair.pk])

    for _ in range(2):
        assert client_for(cast.ada).post(url, {"member": fay.pk}).status_code == 302

    assert PastShare.objects.count() == 1
    assert Event.objects.filter(relationship=cast.us, kind="share_changed").count() == 1


def test_sharing_is_only_with_a_current_member_who_did_not_take_part(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], days_ago=10)
    url = reverse("history_share", args=[cast.us.pk, repair.pk])
    ada = client_for(cast.ada)

    for member, status in ((cast.ben, 409), (cast.eli, 400), (cast.cy, 400), ("x", 400), ("", 400)):
        value = member.pk if isinstance(member, User) else member
        response = ada.post(url, {"member": value})
        assert response.status_code == status, member
        assert 'role="alert"' in response.content.decode()
    assert not PastShare.objects.exists()


def test_coming_back_after_leaving_asks_everyone_again(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], days_ago=10)
    fay = later_joiner(cast.us, cast.ada)
    for by in (cast.ada, cast.ben):
        actions.agree_to_share(repair, by, fay)
    assert _sees(cast, fay, repair)

    leave_relationship(fay, cast.us)
    join(fay, cast.us, cast.ada)

    assert not _sees(cast, fay, repair)
    assert not PastShare.objects.filter(member=fay).exists()


def test_a_former_member_sees_none(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben, cast.eli], days_ago=10)
    pages = _pages(cast, cast.eli, repair)
    assert {status for status, _ in pages.values()} == {404}
    with pytest.raises(Refused):
        actions.agree_to_share(repair, cast.ada, cast.eli)


def test_everyone_who_took_part_must_agree_even_one_who_left(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben, cast.eli], days_ago=10)
    Participation.objects.filter(repair=repair, user=cast.eli).update(status="joined")
    fay = later_joiner(cast.us, cast.ada)
    for person in (cast.ada, cast.ben):
        actions.agree_to_share(repair, person, fay)

    membership = Membership.objects.get(user=fay, relationship=cast.us, left_at=None)
    assert repair not in visibility.past_repairs_seen_by(membership)


def test_a_repair_with_a_guest_cannot_be_shared(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], days_ago=10)
    Participation.objects.create(repair=repair, guest_name="Sam", status="joined")
    fay = later_joiner(cast.us, cast.ada)
    for person in (cast.ada, cast.ben):
        actions.agree_to_share(repair, person, fay)

    assert not _sees(cast, fay, repair)


def test_the_record_shows_a_brought_reflection_never_an_unbrought_one(cast: Cast) -> None:
    _to_listening_with_ada_speaking(cast)
    Repair.objects.filter(pk=cast.repair.pk).update(
        stage=Repair.Stage.COMPLETED, completed_at=timezone.now()
    )
    url = reverse("history_record", args=[cast.us.pk, cast.repair.pk])

    for person in (cast.ada, cast.ben):
        page = client_for(person).get(url).content.decode()
        assert BROUGHT in page
        assert UNBROUGHT not in page
    for person in (cast.cy, cast.dee, cast.eli):
        assert client_for(person).get(url).status_code == 404


def test_export_holds_own_notes_and_what_one_may_read_deletion_removes_own(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], days_ago=10)
    fay = later_joiner(cast.us, cast.ada)
    actions.save_note(repair, cast.ada, helped="ADA-NOTE-1", next_time="")
    actions.save_note(repair, cast.ben, helped="", next_time="BEN-NOTE-2")
    actions.propose_theme(repair, cast.ada, "money")
    actions.propose_theme(repair, cast.ben, "money")
    actions.agree_to_share(repair, cast.ada, fay)

    ada = contributions.exported(cast.ada)["history"]
    assert [n["what_helped"] for n in ada["your_notes"]] == ["ADA-NOTE-1"]
    assert [n["from"] for n in ada["notes_shared_with_you"]] == ["Ben"]
    assert [t["theme"] for t in ada["themes"]] == ["money"]
    nothing = contributions.exported(fay)["history"]
    assert nothing == {"your_notes": [], "notes_shared_with_you": [], "themes": []}
    eli = contributions.exported(cast.eli)["history"]
    assert eli["notes_shared_with_you"] == [] and eli["themes"] == []

    contributions.delete(cast.ada)
    assert list(LearnedNote.objects.values_list("next_time", flat=True)) == ["BEN-NOTE-2"]
    assert not PastShare.objects.exists()
    assert Theme.objects.get().text == "money"


def test_a_later_members_export_holds_no_earlier_repair_until_it_is_shared(cast: Cast) -> None:
    repair = past_repair(cast.us, [cast.ada, cast.ben], days_ago=10)
    fay = later_joiner(cast.us, cast.ada)

    def exported_texts() -> str:
        return str(contributions.exported(fay)["repairs"])

    assert mark("ada", "message") not in exported_texts()
    for person in (cast.ada, cast.ben):
        actions.agree_to_share(repair, person, fay)
    assert mark("ada", "message") in exported_texts()
    assert mark("ada", "kept") not in exported_texts()
