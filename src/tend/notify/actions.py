"""Every change notify makes: notifications made and read, choices saved, push devices.

Views call these; the event fan-out (tend.notify.fanout) and the worker make their
notifications through `notify`.
"""

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import User
from tend.notify import delivery, kinds, reminders
from tend.notify.forms import PreferenceForm
from tend.notify.models import Notification, Preference, PushSubscription


def notify(
    user: User,
    preference: Preference,
    kind: str,
    *,
    relationship_id: int | None = None,
    repair_id: int | None = None,
    subject_id: int | None = None,
    event_id: int | None = None,
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
        event_id=event_id,
        reminder_id=reminder_id,
        in_app=wanted["inapp"],
    )
    for channel in ("email", "push"):
        if wanted[channel]:
            delivery.queue(notification, channel, user=user, preference=preference)
    return notification


@transaction.atomic
def send_test(user: User, preference: Preference) -> None:
    notify(user, preference, kinds.TEST)


def mark_all_seen(user: User) -> None:
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def mark_seen(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())


@transaction.atomic
def save_preferences(form: PreferenceForm) -> Preference:
    preference = form.save()
    # A new lead time moves the reminders already made.
    reminders.retime(preference.user, preference)
    return preference


def subscribe_push(user: User, endpoint: str, p256dh: str, auth: str) -> None:
    PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )


def unsubscribe_push(user: User, endpoint: str) -> None:
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
