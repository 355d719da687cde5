"""Reminders kept in step with what they remind of, on behalf of the apps above.

notify knows two kinds of reminder and their words (tend.notify.kinds): before a time
agreed to come back together, and on a commitment's review date. It does not know
what agrees a time or makes a commitment: the app that owns them says, inside the
transaction of each change, which reminders should exist now (`keep_reconvene`,
`keep_reviews`), and these functions compare that with the ones that do and fix the
difference. When a reminder falls due, the owner is asked again (`on_due`), since the
world may have moved since it was made.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tend.accounts.models import User
from tend.gardens.access import is_member, relationships_of
from tend.notify.models import Preference, Reminder
from tend.notify.quiet import local_morning, preferences_of

Key = tuple[int, int, datetime]  # user, subject, target time
StillWanted = Callable[[Reminder], bool]
_still_wanted: dict[str, StillWanted] = {}


def on_due(kind: str, still_wanted: StillWanted) -> None:
    """Called from the owning app's `ready()`: asked of each `kind` reminder as it
    falls due, whether what it reminds of is still there."""
    _still_wanted[kind] = still_wanted


def _preferences(users: Iterable[User]) -> dict[int, tuple[User, Preference]]:
    users = list(users)
    saved = {p.user_id: p for p in Preference.objects.filter(user__in=users)}
    return {user.pk: (user, saved.get(user.pk) or preferences_of(user)) for user in users}


def _due(target: datetime, preference: Preference, now: datetime) -> datetime:
    """Their own lead time before it (at once, if that is already past)."""
    return max(target - timedelta(minutes=preference.reconvene_lead_minutes), now)


def keep_reconvene(
    *,
    relationship_id: int,
    repair_id: int,
    people: Iterable[User],
    plan_id: int | None = None,
    meet_at: datetime | None = None,
) -> None:
    """Each of `people` is reminded of the time `meet_at` (agreed as `plan_id`) their own
    lead time before it; no time, or one already past, cancels the repair's reminders."""
    now = timezone.now()
    wanted: dict[Key, datetime] = {}
    if plan_id is not None and meet_at is not None and meet_at > now:
        for user_id, (_user, preference) in _preferences(people).items():
            wanted[(user_id, plan_id, meet_at)] = _due(meet_at, preference, now)
    _reconcile(
        Reminder.objects.filter(kind=Reminder.Kind.RECONVENE, repair_id=repair_id),
        wanted,
        kind=Reminder.Kind.RECONVENE,
        relationship_id=relationship_id,
        repair_id=repair_id,
    )


def keep_reviews(*, relationship_id: int, people: Iterable[User], reviews: dict[int, date]) -> None:
    """Each of `people` hears of each commitment in `reviews` (its id: its review date)
    on that date, at nine in the morning in their own time zone."""
    now = timezone.now()
    wanted: dict[Key, datetime] = {}
    for user in people if reviews else []:
        for commitment_id, review_on in reviews.items():
            morning = local_morning(user, review_on)
            if morning > now:
                wanted[(user.pk, commitment_id, morning)] = morning
    _reconcile(
        Reminder.objects.filter(
            kind=Reminder.Kind.COMMITMENT_REVIEW, relationship_id=relationship_id
        ),
        wanted,
        kind=Reminder.Kind.COMMITMENT_REVIEW,
        relationship_id=relationship_id,
        repair_id=None,
    )


def pending_reconvene(relationship_id: int) -> set[int]:
    """The repairs that still have reminders of a time waiting to be sent."""
    return set(
        Reminder.objects.pending()
        .filter(kind=Reminder.Kind.RECONVENE, relationship_id=relationship_id)
        .exclude(repair_id=None)
        .values_list("repair_id", flat=True)
    )


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


def retime(user: User, preference: Preference) -> None:
    """After someone changes their lead time: their reminders of a time move with it."""
    now = timezone.now()
    for reminder in Reminder.objects.pending().filter(
        user=user, kind=Reminder.Kind.RECONVENE, target_at__gt=now
    ):
        due = _due(reminder.target_at, preference, now)
        if reminder.due_at != due:
            Reminder.objects.pending().filter(pk=reminder.pk).update(due_at=due)


def coming_up(user: User) -> QuerySet[Reminder]:
    """The times this person agreed to come back together that are still ahead (their
    reminders, sent or not, of a time not yet passed)."""
    return Reminder.objects.filter(
        user=user,
        kind=Reminder.Kind.RECONVENE,
        cancelled_at__isnull=True,
        target_at__gt=timezone.now(),
        relationship__in=relationships_of(user).order_by().values("pk"),
    ).order_by("target_at")


def still_wanted(reminder: Reminder) -> bool:
    """Checked again when it falls due: still a member, a time still ahead, and what it
    reminds of still there (as its owner says)."""
    if not is_member(reminder.user, reminder.relationship_id):
        return False
    if reminder.kind == Reminder.Kind.RECONVENE and reminder.target_at <= timezone.now():
        return False
    check = _still_wanted.get(reminder.kind)
    return check is None or check(reminder)
