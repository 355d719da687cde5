"""Reminders kept in step with what they remind of.

Rather than each action scheduling, moving or cancelling reminders, these functions
compare the reminders that should exist now with the ones that do, and fix the
difference: an agreed plan gets one reminder per person before its time, "I need
longer" (the agreed plan is replaced) moves them, a repair that closes or completes
cancels them, and a commitment gets one on its review date. They run from the event
fan-out (tend.notify.fanout), inside the transaction of the change.
"""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tend.accounts.models import User
from tend.gardens.models import Membership
from tend.notify.models import Preference, Reminder
from tend.notify.quiet import local_morning, preferences_of
from tend.repairs.models import Commitment, Participation, Repair

Key = tuple[int, int, datetime]  # user, subject, target time


def _preferences(users: list[User]) -> dict[int, Preference]:
    saved = {p.user_id: p for p in Preference.objects.filter(user__in=users)}
    return {user.pk: saved.get(user.pk) or preferences_of(user) for user in users}


def _members(relationship_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            membership__relationship_id=relationship_id,
            membership__left_at__isnull=True,
        )
    )


def reconvene_wanted(repair: Repair) -> dict[Key, datetime]:
    """For a repair in its personal steps with an agreed time still ahead: each joined
    member is reminded their own lead time before it (at once, if that is already
    past). Once step 5 has begun, or the repair ended, there is nothing to remind of."""
    plan = repair.agreed_plan
    now = timezone.now()
    if repair.stage != Repair.Stage.PERSONAL or plan is None or plan.meet_at <= now:
        return {}
    joined = set(
        Participation.objects.filter(
            repair=repair, status=Participation.Status.JOINED, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    people = [user for user in _members(repair.relationship_id) if user.pk in joined]
    wanted = {}
    for user_id, preference in _preferences(people).items():
        due = plan.meet_at - timedelta(minutes=preference.reconvene_lead_minutes)
        wanted[(user_id, plan.pk, plan.meet_at)] = max(due, now)
    return wanted


def commitment_wanted(relationship_id: int) -> dict[Key, datetime]:
    """Every current member hears of each active commitment on its review date, at nine
    in the morning in their own time zone."""
    now = timezone.now()
    commitments = list(
        Commitment.objects.filter(
            relationship_id=relationship_id, status=Commitment.Status.ACTIVE
        ).only("pk", "review_on")
    )
    wanted = {}
    for user in _members(relationship_id) if commitments else []:
        for commitment in commitments:
            morning = local_morning(user, commitment.review_on)
            if morning > now:
                wanted[(user.pk, commitment.pk, morning)] = morning
    return wanted


def _reconcile(
    existing: QuerySet[Reminder],
    wanted: dict[Key, datetime],
    *,
    kind: str,
    relationship_id: int,
    repair_id: int | None,
) -> None:
    now = timezone.now()
    wanted = dict(wanted)
    for reminder in existing.filter(cancelled_at__isnull=True):
        key = (reminder.user_id, reminder.subject_id, reminder.target_at)
        if key in wanted:
            due = wanted.pop(key)
            if reminder.claimed_at is None and reminder.due_at != due:
                # Conditional: a worker that claimed it meanwhile keeps it.
                Reminder.objects.pending().filter(pk=reminder.pk).update(due_at=due)
        elif reminder.claimed_at is None:
            Reminder.objects.pending().filter(pk=reminder.pk).update(cancelled_at=now)
    Reminder.objects.bulk_create(
        Reminder(
            user_id=user_id,
            relationship_id=relationship_id,
            kind=kind,
            repair_id=repair_id,
            subject_id=subject_id,
            target_at=target,
            due_at=due,
        )
        for (user_id, subject_id, target), due in wanted.items()
    )


def sync_reconvene(repair_id: int) -> None:
    repair = Repair.objects.select_related("agreed_plan").filter(pk=repair_id).first()
    if repair is None:
        return
    _reconcile(
        Reminder.objects.filter(kind=Reminder.Kind.RECONVENE, repair_id=repair_id),
        reconvene_wanted(repair),
        kind=Reminder.Kind.RECONVENE,
        relationship_id=repair.relationship_id,
        repair_id=repair.pk,
    )


def sync_commitments(relationship_id: int) -> None:
    _reconcile(
        Reminder.objects.filter(
            kind=Reminder.Kind.COMMITMENT_REVIEW, relationship_id=relationship_id
        ),
        commitment_wanted(relationship_id),
        kind=Reminder.Kind.COMMITMENT_REVIEW,
        relationship_id=relationship_id,
        repair_id=None,
    )


def sync_relationship(relationship_id: int) -> None:
    for repair_id in (
        Repair.objects.open().filter(relationship_id=relationship_id).values_list("pk", flat=True)
    ):
        sync_reconvene(repair_id)
    # Reminders of a repair that ended (or of a member who left) are cancelled too.
    for repair_id in (
        Reminder.objects.pending()
        .filter(kind=Reminder.Kind.RECONVENE, relationship_id=relationship_id)
        .values_list("repair_id", flat=True)
        .distinct()
    ):
        if repair_id is not None:
            sync_reconvene(repair_id)
    sync_commitments(relationship_id)


def sync_person(user: User) -> None:
    """After someone changes their lead time or time zone."""
    for relationship_id in (
        Membership.objects.current().filter(user=user).values_list("relationship_id", flat=True)
    ):
        sync_relationship(relationship_id)


def still_wanted(reminder: Reminder) -> bool:
    """Checked again when it falls due: the world may have moved since it was made."""
    if (
        not Membership.objects.current()
        .filter(user_id=reminder.user_id, relationship_id=reminder.relationship_id)
        .exists()
    ):
        return False
    if reminder.kind == Reminder.Kind.RECONVENE:
        return (
            reminder.target_at > timezone.now()
            and Repair.objects.filter(
                pk=reminder.repair_id,
                agreed_plan_id=reminder.subject_id,
                stage=Repair.Stage.PERSONAL,
            ).exists()
        )
    return Commitment.objects.filter(
        pk=reminder.subject_id, status=Commitment.Status.ACTIVE
    ).exists()
