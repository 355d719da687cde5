"""Slowing down password guesses for one account, from however many addresses.

django-axes locks one account *from one address* after a few wrong passwords. Someone
with many addresses gets that many tries each; this module counts every attempt for
the account wherever it comes from. After `PASSWORD_SLOWDOWN_AFTER` failures each
further attempt must wait, and the wait doubles with each failure up to
`PASSWORD_SLOWDOWN_MAX_SECONDS`. While it runs, no password is checked at all, so even
the right one confirms nothing. It is a delay rather than a lock: an attacker can
slow a person's log-in to one try every few minutes, never shut them out for good,
and a password reset by email clears it.

An attempt is counted as a failure *before* the password is checked (and the count
cleared if it was right): two guesses sent at once cannot both slip in ahead of the
wait the first one starts.
"""

import hashlib
import hmac
import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tend.accounts.models import PasswordThrottle

# Failures older than this are forgotten, so a person's occasional typo does not add up.
FORGET_AFTER = timedelta(days=1)


class PasswordWait(Exception):
    """No password may be checked for this account for `seconds` more seconds."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def account_key(email: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def wait_after(failures: int) -> timedelta:
    """How long the next attempt waits after this many failures in a row."""
    beyond = failures - settings.PASSWORD_SLOWDOWN_AFTER
    if beyond < 0:
        return timedelta(0)
    # One second, doubling; the exponent is bounded so a long run cannot overflow.
    return timedelta(seconds=min(settings.PASSWORD_SLOWDOWN_MAX_SECONDS, 2 ** min(beyond, 40)))


def claim_attempt(email: str) -> None:
    """Counts one password attempt for the account, or raises PasswordWait."""
    now = timezone.now()
    with transaction.atomic():
        row, created = PasswordThrottle.objects.select_for_update().get_or_create(
            account=account_key(email), defaults={"last_failure_at": now}
        )
        if created:
            # Rows are made for any email typed at the log-in: old ones go as new ones come.
            PasswordThrottle.objects.filter(last_failure_at__lt=now - FORGET_AFTER).delete()
        elif row.last_failure_at < now - FORGET_AFTER:
            row.failures, row.wait_until = 0, None
        if row.wait_until is not None and row.wait_until > now:
            raise PasswordWait(math.ceil((row.wait_until - now).total_seconds()))
        row.failures += 1
        row.last_failure_at = now
        wait = wait_after(row.failures)
        row.wait_until = now + wait if wait else None
        row.save()


def succeeded(email: str) -> None:
    """The password was right: the account's count starts again."""
    PasswordThrottle.objects.filter(account=account_key(email)).delete()
