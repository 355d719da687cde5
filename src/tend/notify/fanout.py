"""From a relationship's events to the people who should hear of them.

`event_recorded` is called by `tend.live.events.emit`, inside the transaction that
records the event, so a notification exists if and only if its event does: the
unread count a page re-fetches when the event reaches it always finds it. It runs in a
savepoint: should notify fail, the change itself still commits (and it is logged).
"""

import logging

from django.db import transaction

from tend.accounts.models import User
from tend.live.models import Event
from tend.notify import delivery, kinds, reminders
from tend.notify.models import Notification, Preference
from tend.notify.quiet import preferences_of

log = logging.getLogger(__name__)

RECONVENE_CHANGES = frozenset(
    {
        "plan_proposed",  # "I need longer" takes the agreed plan back
        "plan_agreed",
        "participant_joined",
        "repair_closed",
        "repair_completed",
        "together_changed",  # step 5 began: nothing left to remind of
    }
)
COMMITMENT_CHANGES = frozenset({"together_changed", "commitment_changed", "repair_completed"})
MEMBERSHIP_CHANGES = frozenset({"member_joined", "member_left"})


def event_recorded(event: Event) -> None:
    if event.kind not in kinds.EVENT_KINDS | RECONVENE_CHANGES | COMMITMENT_CHANGES | (
        MEMBERSHIP_CHANGES
    ):
        return
    try:
        with transaction.atomic():
            _fan_out(event)
    except Exception as error:
        # Only the kind of failure and ids: never anything that could hold text.
        log.error(
            "notify: fan-out of event %s (%s) failed: %s",
            event.pk,
            event.kind,
            type(error).__name__,
        )


def _fan_out(event: Event) -> None:
    if event.kind in kinds.EVENT_KINDS:
        notify_members(event)
    if event.kind in MEMBERSHIP_CHANGES:
        reminders.sync_relationship(event.relationship_id)
        return
    if event.kind in RECONVENE_CHANGES and event.repair_id is not None:
        reminders.sync_reconvene(event.repair_id)
    if event.kind in COMMITMENT_CHANGES:
        reminders.sync_commitments(event.relationship_id)


def notify_members(event: Event) -> None:
    """The current members other than the one who acted, each on their channels."""
    recipients = list(
        User.objects.filter(
            is_active=True,
            membership__relationship_id=event.relationship_id,
            membership__left_at__isnull=True,
        ).exclude(pk=event.actor_id)
    )
    saved = {p.user_id: p for p in Preference.objects.filter(user__in=recipients)}
    for user in recipients:
        preference = saved.get(user.pk) or preferences_of(user)
        notify(
            user,
            preference,
            event.kind,
            relationship_id=event.relationship_id,
            repair_id=event.repair_id,
            subject_id=event.subject_id,
            event=event,
        )


def notify(
    user: User,
    preference: Preference,
    kind: str,
    *,
    relationship_id: int | None = None,
    repair_id: int | None = None,
    subject_id: int | None = None,
    event: Event | None = None,
    reminder_id: int | None = None,
) -> Notification | None:
    """One notification for one person, in tend and queued for email and push."""
    wanted = {channel: preference.wants(channel, kind) for channel, _label in kinds.CHANNELS}
    if not any(wanted.values()):
        return None
    notification = Notification.objects.create(
        user=user,
        relationship_id=relationship_id,
        kind=kind,
        repair_id=repair_id,
        subject_id=subject_id,
        event=event,
        reminder_id=reminder_id,
        in_app=wanted["inapp"],
    )
    for channel in ("email", "push"):
        if wanted[channel]:
            delivery.queue(notification, channel, user=user, preference=preference)
    return notification
