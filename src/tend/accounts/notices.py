"""Telling a person by email that their login details changed (OWASP ASVS 5.0 §6.3).

Kept neutral on purpose: the mailbox may be one that others read, so the message
names no new address and says nothing of what the person wrote.
"""

from typing import Literal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

Change = Literal["email", "password"]


def account_changed(address: str, what: Change) -> None:
    """Sends the notice once the change is committed (never for a change rolled back)."""
    context = {"what": what, "origin": settings.SITE_ORIGIN}
    subject = render_to_string("accounts/email/account_changed_subject.txt", context).strip()
    body = render_to_string("accounts/email/account_changed.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]), robust=True
    )
