"""What repairs asks notify to remind people of: agreed times and commitment reviews.

Rather than each action scheduling, moving or cancelling reminders, `event_recorded`
(subscribed to the event log from `RepairsConfig.ready`, so inside the transaction of
each change) works out the reminders that should exist now and hands them to notify
(`tend.notify.reminders`), which fixes the difference: an agreed plan gets one reminder
per person before its time, "I need longer" (the agreed plan is replaced) moves them,
a repair that closes or completes cancels them, and a commitment gets one on its
review date. A membership that changes re-does the relationship's. The review reminder is everyone's
invitation to that date's check-in (`tend.repairs.commitments.check_in`).
"""

from tend.accounts.models import User
from tend.gardens.events import GardenEvent
from tend.live.models import Event
from tend.notify import reminders
from tend.notify.models import Reminder
from tend.repairs.events import RepairEvent
from tend.repairs.models import Commitment, CommitmentCheckIn, Participation, Repair

RECONVENE_CHANGES = frozenset(
    {
        RepairEvent.PLAN_PROPOSED,  # "I need longer" takes the agreed plan back
        RepairEvent.PLAN_AGREED,
        RepairEvent.PARTICIPANT_JOINED,
        RepairEvent.REPAIR_CLOSED,
        RepairEvent.REPAIR_COMPLETED,
        RepairEvent.TOGETHER_CHANGED,  # step 5 began: nothing left to remind of
    }
)
COMMITMENT_CHANGES = frozenset(
    {RepairEvent.TOGETHER_CHANGED, RepairEvent.COMMITMENT_CHANGED, RepairEvent.REPAIR_COMPLETED}
)
MEMBERSHIP_CHANGES = frozenset(GardenEvent)
CHANGES = RECONVENE_CHANGES | COMMITMENT_CHANGES | MEMBERSHIP_CHANGES


def event_recorded(event: Event) -> None:
    if event.kind in MEMBERSHIP_CHANGES:
        sync_relationship(event.relationship_id)
        return
    if event.kind in RECONVENE_CHANGES and event.repair_id is not None:
        sync_reconvene(event.repair_id)
    if event.kind in COMMITMENT_CHANGES:
        sync_commitments(event.relationship_id)


def _members(relationship_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            membership__relationship_id=relationship_id,
            membership__left_at__isnull=True,
        )
    )


def sync_reconvene(repair_id: int) -> None:
    """For a repair in its personal steps with an agreed time: each joined member is
    reminded before it. Once step 5 has begun, or the repair ended, nothing is."""
    repair = Repair.objects.select_related("agreed_plan").filter(pk=repair_id).first()
    if repair is None:
        return
    plan = repair.agreed_plan
    people: list[User] = []
    if repair.stage == Repair.Stage.PERSONAL and plan is not None:
        joined = set(
            Participation.objects.filter(
                repair=repair, status=Participation.Status.JOINED, user__isnull=False
            ).values_list("user_id", flat=True)
        )
        people = [user for user in _members(repair.relationship_id) if user.pk in joined]
    reminders.keep_reconvene(
        relationship_id=repair.relationship_id,
        repair_id=repair.pk,
        people=people,
        plan_id=plan.pk if plan is not None and people else None,
        meet_at=plan.meet_at if plan is not None and people else None,
    )


def sync_commitments(relationship_id: int) -> None:
    """Every current member hears of each active commitment on its review date."""
    reviews = dict(
        Commitment.objects.filter(
            relationship_id=relationship_id, status=Commitment.Status.ACTIVE
        ).values_list("pk", "review_on")
    )
    reminders.keep_reviews(
        relationship_id=relationship_id,
        people=_members(relationship_id) if reviews else [],
        reviews=reviews,
    )


def sync_relationship(relationship_id: int) -> None:
    # Reminders of a repair that ended (or of a member who left) are cancelled too.
    for repair_id in set(
        Repair.objects.open().filter(relationship_id=relationship_id).values_list("pk", flat=True)
    ) | reminders.pending_reconvene(relationship_id):
        sync_reconvene(repair_id)
    sync_commitments(relationship_id)


def reconvene_still_wanted(reminder: Reminder) -> bool:
    return Repair.objects.filter(
        pk=reminder.repair_id, agreed_plan_id=reminder.subject_id, stage=Repair.Stage.PERSONAL
    ).exists()


def review_still_wanted(reminder: Reminder) -> bool:
    """The review reminder is the invitation to check in: not needed by someone who
    already has, for that review date, nor for a commitment no longer worked on."""
    commitment = Commitment.objects.filter(
        pk=reminder.subject_id, status=Commitment.Status.ACTIVE
    ).first()
    return (
        commitment is not None
        and not CommitmentCheckIn.objects.filter(
            commitment=commitment, person_id=reminder.user_id, review_on=commitment.review_on
        ).exists()
    )
