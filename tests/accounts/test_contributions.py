"""Each app contributes its part of the export and of deleting an account.

Accounts imports no app above it: gardens, plans, repairs, history, care and notify register their
parts (tend.accounts.contributions). Each part is tested alone, before the account
itself goes, so the database's cascades cannot be what removes the rows.
"""

from datetime import timedelta

from django.utils import timezone

from tend.accounts import contributions
from tend.accounts.export import collect
from tend.care.models import SafetyAnswer
from tend.gardens.models import Invitation, Membership
from tend.live.models import Event
from tend.notify.models import Notification, Preference, PushSubscription, Reminder
from tend.repairs.models import (
    Commitment,
    NeedRequest,
    Participation,
    ReconvenePlan,
    VoiceMessage,
)
from tests.accounts.scenes import written_repair
from tests.conftest import Cast

APPS = ("gardens", "plans", "repairs", "history", "care", "notify")


def _part(app: str) -> contributions.Part:
    (part,) = [p for p in contributions.parts() if p.owner == f"tend.{app}.account_data"]
    return part


def _notify_rows(cast: Cast) -> None:
    now = timezone.now()
    for user in (cast.ada, cast.ben):
        name = user.display_name.lower()
        Notification.objects.create(user=user, relationship=cast.us, kind="repair_opened")
        Preference.objects.create(user=user)
        PushSubscription.objects.create(
            user=user, endpoint=f"https://push.example.test/{name}", p256dh="x", auth="y"
        )
        Reminder.objects.create(
            user=user,
            relationship=cast.us,
            kind=Reminder.Kind.COMMITMENT_REVIEW,
            subject_id=cast.commitment.pk,
            target_at=now + timedelta(days=1),
            due_at=now + timedelta(days=1),
        )


def test_every_app_that_keeps_personal_rows_contributes_in_install_order() -> None:
    assert [p.owner for p in contributions.parts()] == [f"tend.{a}.account_data" for a in APPS]
    assert all(_part(app).delete is not None for app in APPS)


def test_the_export_is_accounts_own_part_then_each_apps(cast: Cast) -> None:
    data = collect(cast.ada)

    assert list(data) == [
        "format",
        "version",
        "exported_at",
        "account",
        "devices",
        "passkeys",
        "private_key",
        "relationships",  # gardens
        "repairs",  # repairs
        "history",  # history
    ]
    # Repairs and care add to each relationship's entry: its commitments, one's answer.
    assert list(data["relationships"][0]) == [
        "name",
        "kind",
        "joined_at",
        "left_at",
        "members",
        "repair_plan_versions",
        "commitments",
        "your_safety_answer",
    ]
    assert set(_part("gardens").export(cast.ada)) == {"relationships"}  # type: ignore[misc]
    assert set(_part("repairs").export(cast.ada)) == {"repairs"}  # type: ignore[misc]


def test_gardens_has_them_leave_and_removes_their_memberships_and_links(cast: Cast) -> None:
    Invitation.objects.create(
        relationship=cast.family, created_by=cast.ben, expires_at=timezone.now()
    )
    last = {r.pk: r.last_seq for r in (cast.us, cast.family)}

    _part("gardens").delete(cast.ben)  # type: ignore[misc]

    assert not Membership.objects.filter(user=cast.ben).exists()
    assert not Invitation.objects.filter(created_by=cast.ben).exists()
    assert Invitation.objects.filter(pk=cast.invitation.pk).exists()  # ada's stays
    for relationship in (cast.us, cast.family):
        new = Event.objects.filter(relationship=relationship, seq__gt=last[relationship.pk])
        assert [e.kind for e in new] == ["member_left"]


def test_gardens_removes_a_relationship_left_empty(cast: Cast) -> None:
    _part("gardens").delete(cast.dee)  # type: ignore[misc]

    assert not type(cast.dees).objects.filter(pk=cast.dees.pk).exists()


def test_repairs_removes_what_they_wrote_and_keeps_their_commitments_nameless(
    cast: Cast,
) -> None:
    written_repair(cast.us, [cast.ada, cast.ben])

    _part("repairs").delete(cast.ben)  # type: ignore[misc]

    assert not Participation.objects.filter(user=cast.ben).exists()
    for model, field in ((VoiceMessage, "author"), (NeedRequest, "author")):
        assert not model.objects.filter(**{field: cast.ben}).exists()
        assert model.objects.filter(**{field: cast.ada}).exists()
    assert not ReconvenePlan.objects.filter(proposed_by=cast.ben).exists()
    commitment = Commitment.objects.get(pk=cast.commitment.pk)
    assert (commitment.owner, commitment.owner_name) == (None, "Someone who left")
    assert Participation.objects.filter(user=cast.ada).exists()


def test_care_removes_their_safety_answers(cast: Cast) -> None:
    _part("care").delete(cast.ben)  # type: ignore[misc]

    assert not SafetyAnswer.objects.filter(user=cast.ben).exists()
    assert SafetyAnswer.objects.filter(user=cast.ada).exists()


def test_notify_removes_what_it_kept_to_reach_them(cast: Cast) -> None:
    _notify_rows(cast)

    _part("notify").delete(cast.ben)  # type: ignore[misc]

    for model in (Notification, Preference, PushSubscription, Reminder):
        assert not model.objects.filter(user=cast.ben).exists(), model
        assert model.objects.filter(user=cast.ada).exists(), model
