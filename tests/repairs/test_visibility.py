"""One rule for what a person in a repair may see of another's writing (repairs.visibility).

Of the others' steps 1-4, only step-4 reflections they chose to bring, not empty, once
step 5 began, and only among those who joined it; of one's own, everything.
"""

import pytest
from django.urls import reverse

from tend.repairs import actions, content, visibility
from tend.repairs.models import Entry, Participation, Repair
from tests.accounts.scenes import mark, written_repair
from tests.conftest import Cast, client_for
from tests.repairs.test_privacy import BROUGHT, _to_listening_with_ada_speaking
from tests.sealed import sealed

# Each kind of entry written_repair makes, and whether the others may ever see it.
KINDS = {
    "notice": False,  # own words at notice
    "honor": False,  # a honor-the-pain page
    "flagged": False,  # a honor-the-pain page with the bring flag: never bringable
    "kept": False,  # a reflection not brought
    "brought": True,  # a reflection brought to the conversation
}


def _kinds(entries: object) -> set[str]:
    """Which of written_repair's entries these are. Their texts are sealed (the server
    cannot read them), so an entry is known by its key and bring flag."""
    honor, flagged = (f"honor:{p.key}" for p in content.HONOR_PROMPTS[:2])
    reflect, brought = (f"reflect:{p.key}" for p in content.REFLECT_PROMPTS[:2])
    names = {"notice_words": "notice", honor: "honor", flagged: "flagged"}
    names |= {reflect: "kept", brought: "brought"}
    return {names[e.key] for e in entries}  # type: ignore[attr-defined]


def _parts(repair: Repair) -> dict[str, Participation]:
    return {p.user.display_name.lower(): p for p in repair.participations.select_related("user")}


def test_each_person_sees_all_of_their_own_writing(cast: Cast) -> None:
    repair = written_repair(cast.us, [cast.ada, cast.ben])
    ada = _parts(repair)["ada"]

    seen = visibility.entries_seen_by(ada, ada, repair)

    assert _kinds(seen) == set(KINDS)
    assert seen.count() == len(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_a_joined_participant_in_step_5_sees_only_brought_reflections(
    cast: Cast, kind: str
) -> None:
    repair = written_repair(cast.us, [cast.ada, cast.ben])
    parts = _parts(repair)

    seen = visibility.entries_seen_by(parts["ada"], parts["ben"], repair)

    assert (kind in _kinds(seen)) == KINDS[kind]
    assert all(e.participation_id == parts["ben"].pk for e in seen)
    if KINDS[kind]:  # what ada reads is the copy ben's device made when he brought it
        assert {e.shared for e in seen} == {mark("ben", kind)}


def test_before_step_5_nobody_sees_anything_of_the_others(cast: Cast) -> None:
    repair = written_repair(cast.us, [cast.ada, cast.ben], together=False)
    parts = _parts(repair)

    assert not visibility.sees_together(parts["ada"], repair)
    assert not visibility.entries_seen_by(parts["ada"], parts["ben"], repair).exists()


def test_who_did_not_join_sees_nothing_and_shows_nothing(cast: Cast) -> None:
    repair = written_repair(cast.us, [cast.ada, cast.ben], joined=("ben",))
    parts = _parts(repair)

    assert not visibility.sees_together(parts["ada"], repair)
    assert not visibility.entries_seen_by(parts["ada"], parts["ben"], repair).exists()
    # ada never joined step 5: what she flagged was never brought to anyone.
    assert visibility.sees_together(parts["ben"], repair)
    assert not visibility.entries_seen_by(parts["ben"], parts["ada"], repair).exists()
    assert not visibility.sees_together(None, repair)


def test_nothing_is_seen_across_repairs(cast: Cast) -> None:
    one = written_repair(cast.us, [cast.ada, cast.ben])
    other = written_repair(cast.us, [cast.ada, cast.ben], tag="-other")

    seen = visibility.entries_seen_by(_parts(one)["ada"], _parts(other)["ben"], one)

    assert not seen.exists()


def test_an_empty_brought_reflection_is_not_shown(cast: Cast) -> None:
    repair = written_repair(cast.us, [cast.ada, cast.ben])
    parts = _parts(repair)
    # Emptied on ben's device: nothing sealed, and no shared copy (the server sees both).
    Entry.objects.filter(participation=parts["ben"], bring=True).update(text="", shared="")

    assert not visibility.brought([parts["ben"]]).exists()


def test_the_summary_shows_brought_reflections_never_a_flagged_honor_page(cast: Cast) -> None:
    # The summary once showed every entry with the bring flag, whatever its step.
    repair = written_repair(cast.us, [cast.ada, cast.ben])

    page = client_for(cast.ada).get(reverse("repair", args=[cast.us.pk, repair.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert mark("ben", "brought") in text
    assert mark("ben", "flagged") not in text
    assert mark("ada", "flagged") not in text  # the summary is the shared record


def test_the_listening_stage_shows_brought_reflections_never_a_flagged_page(cast: Cast) -> None:
    # The stage once showed the speaker's every entry with the bring flag.
    _to_listening_with_ada_speaking(cast)
    ada = actions.participation_of(cast.repair, cast.ada)
    flagged = f"FLAGGED-{content.HONOR_PROMPTS[0].key}-3c1d"
    # Even with a plain "shared" copy beside it (never made for an honor page by the
    # device), a flagged honor page is not shown.
    Entry.objects.filter(participation=ada, key__startswith="honor:").update(
        text=sealed(), shared=flagged, bring=True
    )

    stage = client_for(cast.ben).get(reverse("repair_stage", args=[cast.us.pk, cast.repair.pk]))

    assert stage.status_code == 200
    assert BROUGHT in stage.content.decode()
    assert flagged not in stage.content.decode()


def test_past_repairs_are_seen_from_joining_on_or_by_taking_part(cast: Cast):
    from datetime import timedelta

    from django.utils import timezone

    from tend.gardens.models import Membership

    before = timezone.now() - timedelta(days=30)
    Repair.objects.filter(pk=cast.repair.pk).update(stage="completed", opened_at=before)
    Participation.objects.filter(repair=cast.repair, user=cast.ada).update(status="joined")
    later = Repair.objects.create(relationship=cast.us, opening="hurt", stage="closed")
    Repair.objects.create(relationship=cast.us, opening="hurt")  # under way: not past
    Membership.objects.filter(relationship=cast.us, user=cast.ada).update(
        joined_at=before + timedelta(days=2)
    )
    Membership.objects.filter(relationship=cast.us, user=cast.ben).update(
        joined_at=before + timedelta(days=1)
    )

    def seen_by(user):
        membership = Membership.objects.get(relationship=cast.us, user=user)
        return set(visibility.past_repairs_seen_by(membership))

    assert seen_by(cast.ada) == {cast.repair, later}  # took part, though it opened earlier
    assert seen_by(cast.ben) == {later}  # joined after the first opened, took no part
