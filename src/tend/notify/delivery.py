"""Sending a notification by email or Web Push, as a task on Django's tasks API.

Each send is one task on the database-backed queue (django-tasks-db), enqueued in the
transaction that made the notification, so it is sent if and only if that committed.
A failure is retried with a growing pause by enqueueing the task again to run later;
quiet hours push the run to when they end. Logs name ids, channels and the kind of
failure only: never an address, a name or any text.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from tend.accounts.models import User
from tend.gardens.models import Membership
from tend.notify import emails, kinds, wakeup, webpush
from tend.notify.models import Notification, Preference, PushSubscription, Reminder
from tend.notify.quiet import preferences_of, quiet_until

log = logging.getLogger(__name__)

# Pauses before each retry: a minute, five, a quarter of an hour, an hour, three hours.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
)
MAX_ATTEMPTS = len(BACKOFF) + 1


class Transient(Exception):
    """A failure worth another try later (the mail server or push service is away)."""


def queue(
    notification: Notification,
    channel: str,
    *,
    user: User,
    preference: Preference,
    attempt: int = 1,
    subscription_id: int | None = None,
    run_after: datetime | None = None,
) -> None:
    if channel == "push" and subscription_id is None:
        subscriptions = list(
            PushSubscription.objects.filter(user=user).values_list("pk", flat=True)
        )
        for pk in subscriptions:  # one task each, so a retry resends to that one alone
            queue(
                notification,
                channel,
                user=user,
                preference=preference,
                subscription_id=pk,
                run_after=run_after,
            )
        return
    if run_after is None:
        run_after = _quiet_until(notification, user, preference, timezone.now())
    job = deliver if run_after is None else deliver.using(run_after=run_after)
    job.enqueue(notification.pk, channel, attempt, subscription_id)
    transaction.on_commit(wakeup.wake)


def _quiet_until(
    notification: Notification, user: User, preference: Preference, now: datetime
) -> datetime | None:
    if notification.kind == Reminder.Kind.RECONVENE and preference.reconvene_in_quiet:
        return None  # they asked to be reminded of an agreed time even then
    if notification.kind == kinds.TEST:
        return None  # they pressed the button: they are awake
    return quiet_until(user, preference, now)


def _still_to_send(notification: Notification, channel: str) -> str | None:
    """Why not to send any more (None: send)."""
    user = notification.user
    if not user.is_active:
        return "inactive"
    if not preferences_of(user).wants(channel, notification.kind):
        return "turned off"
    if notification.relationship_id is not None and not (
        Membership.objects.current()
        .filter(user=user, relationship_id=notification.relationship_id)
        .exists()
    ):
        return "no longer a member"
    reminder = notification.reminder
    if reminder is not None:
        if reminder.cancelled_at is not None:
            return "cancelled"
        if reminder.kind == Reminder.Kind.RECONVENE and reminder.target_at <= timezone.now():
            return "past"
    return None


@task()
def deliver(
    notification_id: int, channel: str, attempt: int = 1, subscription_id: int | None = None
) -> str:
    """Sends one notification on one channel (to one push subscription). Returns what
    happened, in a word: it is kept with the task's result."""
    notification = (
        Notification.objects.select_related("user", "relationship", "reminder")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return "gone"
    why_not = _still_to_send(notification, channel)
    if why_not is not None:
        return why_not
    user = notification.user
    preference = preferences_of(user)
    wait = _quiet_until(notification, user, preference, timezone.now())
    if wait is not None:
        queue(
            notification,
            channel,
            user=user,
            preference=preference,
            attempt=attempt,
            subscription_id=subscription_id,
            run_after=wait,
        )
        return "quiet hours"
    try:
        if channel == "email":
            emails.send(notification, preference)
        elif channel == "push":
            subscription = PushSubscription.objects.filter(pk=subscription_id, user=user).first()
            if subscription is None:
                return "unsubscribed"
            if not webpush.send(subscription, notification, preference):
                subscription.delete()  # the push service says it is gone for good
                log.info("notify: push subscription %s expired and was removed", subscription_id)
                return "expired"
        else:
            return "unknown channel"
    except Exception as error:
        return _retry_later(notification, channel, attempt, subscription_id, error)
    log.info("notify: sent notification %s (%s) by %s", notification.pk, notification.kind, channel)
    return "sent"


def _retry_later(
    notification: Notification,
    channel: str,
    attempt: int,
    subscription_id: int | None,
    error: Exception,
) -> str:
    reason = type(error).__name__
    if attempt >= MAX_ATTEMPTS:
        log.error(
            "notify: gave up sending notification %s by %s after %s tries (%s)",
            notification.pk,
            channel,
            attempt,
            reason,
        )
        return "failed"
    pause = BACKOFF[attempt - 1]
    log.warning(
        "notify: sending notification %s by %s failed (%s); try %s of %s in %ss",
        notification.pk,
        channel,
        reason,
        attempt + 1,
        MAX_ATTEMPTS,
        int(pause.total_seconds()),
    )
    queue(
        notification,
        channel,
        user=notification.user,
        preference=preferences_of(notification.user),
        attempt=attempt + 1,
        subscription_id=subscription_id,
        run_after=timezone.now() + pause,
    )
    return "retrying"
