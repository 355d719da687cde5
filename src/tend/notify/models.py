"""Notifications, reminders, each person's choices, and their push subscriptions.

None of these rows holds what anyone wrote: a notification is a kind and ids, and
its words are chosen from fixed sentences when it is shown or sent (tend.notify.kinds).
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tend.notify import kinds


def all_kinds() -> list[str]:
    return list(kinds.ALL_KINDS)


class Notification(models.Model):
    """Something new for one person: shown in tend, and sent on the channels they chose."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    relationship = models.ForeignKey(
        "gardens.Relationship", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    repair_id = models.BigIntegerField(null=True, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # The event it came from (at most one notification per person and event), or the
    # reminder that fell due.
    event = models.ForeignKey(
        "live.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder = models.ForeignKey(
        "Reminder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # False when the person turned this kind off in tend but still wants it by email or
    # push: the row is what those channels send from.
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=Q(event__isnull=False),
                name="one_notification_per_event",
            )
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True, in_app=True), name="unread"
            )
        ]

    def __str__(self) -> str:
        return f"notification {self.pk}"


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def pending(self) -> "ReminderQuerySet":
        return self.filter(claimed_at__isnull=True, cancelled_at__isnull=True)


class Reminder(models.Model):
    """A reminder for one person, due at a time; claimed once by one worker.

    Moving it is an UPDATE of `due_at` while it is unclaimed, cancelling it sets
    `cancelled_at`; a worker claims it with a conditional UPDATE (tend.notify.worker),
    so two workers never both send it.
    """

    class Kind(models.TextChoices):
        RECONVENE = "reconvene"
        COMMITMENT_REVIEW = "commitment_review"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    repair_id = models.BigIntegerField(null=True, blank=True)
    subject_id = models.BigIntegerField()  # the plan, or the commitment
    # What it reminds of (the agreed time; the review date's morning): a new time is a
    # new reminder, and one already sent for the same time is never sent again.
    target_at = models.DateTimeField()
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "subject_id", "target_at"],
                condition=Q(cancelled_at__isnull=True),
                name="one_reminder_per_target",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(claimed_at__isnull=True, cancelled_at__isnull=True),
                name="reminders_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.pk}"


class Preference(models.Model):
    """How one person wants to hear from tend. Without a row, the defaults apply."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    detail = models.CharField(max_length=16, choices=kinds.Detail.CHOICES, default="neutral")
    # The kinds switched on, per channel.
    inapp = models.JSONField(default=all_kinds)
    email = models.JSONField(default=list)
    push = models.JSONField(default=all_kinds)
    reconvene_lead_minutes = models.PositiveSmallIntegerField(default=15)
    # Quiet hours, in the person's time zone (both empty: none). Email and push wait
    # until they end; what shows in tend itself makes no sound and does not wait.
    # By default 22:00 to 07:00: nobody is woken at 3 am unless they ask to be.
    quiet_start = models.TimeField(null=True, blank=True, default=time(22, 0))
    quiet_end = models.TimeField(null=True, blank=True, default=time(7, 0))
    # "Remind me of a time I agreed even during quiet hours."
    reconvene_in_quiet = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"preferences {self.pk}"

    def wants(self, channel: str, kind: str) -> bool:
        if kind == kinds.TEST:
            # A test goes to tend itself, and to each channel the person uses at all.
            return channel == "inapp" or bool(getattr(self, channel))
        return kind in getattr(self, channel)


class PushSubscription(models.Model):
    """One browser's Web Push subscription. The endpoint is a capability URL: it is
    never shown on a page, and it goes when the push service says it is gone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"push subscription {self.pk}"
