"""The email channel: a discreet subject and body, and a link back into tend."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tend.notify import kinds
from tend.notify.models import Notification, Preference


def link(notification: Notification) -> str:
    return settings.SITE_ORIGIN + reverse("notification_open", args=[notification.pk])


def compose(notification: Notification, preference: Preference) -> tuple[str, str]:
    """The subject and body. The subject never varies (a lock screen or a shared inbox
    shows it); the body says as much as the person chose, and no more. In the
    recipient's own language, whatever the language of whoever caused it."""
    name = notification.relationship.name if notification.relationship_id else ""
    with translation.override(notification.user.speaks):
        context = {
            "sentence": kinds.sentence(notification.kind, preference.detail, name),
            "link": link(notification),
            "preferences": settings.SITE_ORIGIN + reverse("notify_preferences"),
            "is_test": notification.kind == kinds.TEST,
        }
        subject = render_to_string("notify/email/subject.txt", context).strip()
        body = render_to_string("notify/email/body.txt", context)
    return " ".join(subject.split()), body


def send(notification: Notification, preference: Preference) -> None:
    subject, body = compose(notification, preference)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
