"""Changes to a person's own account: the login email, and deleting it for good."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import IntegrityError, transaction

from tend.accounts import contributions, notices, sessions, throttle, vault
from tend.accounts.models import User, VaultKey


class EmailTaken(Exception):
    """Another account took this email between the form's check and the save."""


def change_email(
    user: User,
    email: str,
    *,
    current_session: str | None,
    sign_out_others: bool,
    vault_wrapped: str = "",
) -> VaultKey | None:
    """The new email; with it, the private-data key wrapped anew by the browser (the
    password KDF's salt follows the email: tend.accounts.vault.salt_for). Returns the key."""
    previous = user.email
    key = None
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(email=email)
            if vault_wrapped:
                key = vault.rewrap(user, vault_wrapped, email=email)
            if sign_out_others:
                sessions.end_others(user, current_session)
            notices.account_changed(previous, "email")
    except IntegrityError:
        raise EmailTaken from None
    user.email = email
    return key


def mark_walkthrough_seen(user: User) -> None:
    """The first-run walk is not offered again (it stays findable from Help)."""
    if not user.seen_walkthrough:
        User.objects.filter(pk=user.pk).update(seen_walkthrough=True)
        user.seen_walkthrough = True


@transaction.atomic
def delete_account(user: User) -> None:
    """Deletes the person and what they wrote; what stays is stated on the delete page.

    1. Each app removes its part (`tend.accounts.contributions`): gardens has them
       leave each relationship, so the others see a departure as for any other, and
       deletes a relationship left with nobody in it; repairs removes everything they
       wrote, private and shared alike, and keeps the commitments they made under
       "Someone who left"; care and notify remove what they kept about them.
    2. Their sessions end everywhere, and the login records under their email go.
    """
    contributions.delete(user)
    sessions.end_all(user)
    for record in (AccessAttempt, AccessFailureLog, AccessLog):
        record.objects.filter(username=user.email).delete()
    throttle.succeeded(user.email)
    user.delete()
