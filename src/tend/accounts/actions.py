"""Changes to a person's own account: the login email, and deleting it for good."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tend.accounts import notices, sessions, throttle
from tend.accounts.models import User
from tend.gardens.access import relationships_of
from tend.gardens.actions import leave_relationship
from tend.gardens.models import Membership, Relationship
from tend.repairs.models import (
    AgreementItem,
    Commitment,
    NeedRequest,
    Participation,
    ReconvenePlan,
    VoiceMessage,
)


class EmailTaken(Exception):
    """Another account took this email between the form's check and the save."""


def change_email(
    user: User, email: str, *, current_session: str | None, sign_out_others: bool
) -> None:
    previous = user.email
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(email=email)
            if sign_out_others:
                sessions.end_others(user, current_session)
            notices.account_changed(previous, "email")
    except IntegrityError:
        raise EmailTaken from None
    user.email = email


@transaction.atomic
def delete_account(user: User) -> None:
    """Deletes the person and what they wrote; what stays is stated on the delete page.

    1. They leave each relationship, so the others see a departure as for any other.
    2. Everything they wrote in any repair goes: private (their participations carry
       their entries, notice and practices, and cascade) and shared alike. Shared words
       are removed rather than shown as from "someone who left": in a couple, the
       other would know exactly who that was.
    3. The relationship's commitments they made stay, with the owner's name replaced,
       because the others rely on them; the history names nobody for their edits.
    4. A relationship left with nobody in it is deleted entirely: nobody could open it.
    5. Their sessions end everywhere, and the login records under their email go.
    """
    was_in = list(relationships_of(user))
    for relationship in was_in:
        leave_relationship(user, relationship)
    _remove_shared_words(user)
    Commitment.objects.filter(owner=user).update(owner=None, owner_name=_("Someone who left"))
    still_used = Membership.objects.current().values("relationship_id")
    Relationship.objects.filter(pk__in=[r.pk for r in was_in]).exclude(pk__in=still_used).delete()
    sessions.end_all(user)
    for record in (AccessAttempt, AccessFailureLog, AccessLog):
        record.objects.filter(username=user.email).delete()
    throttle.succeeded(user.email)
    user.delete()


def _remove_shared_words(user: User) -> None:
    # These point at the account with SET_NULL (or at a participation with SET_NULL),
    # so deleting the account alone would leave the words behind without a name.
    # Proposals, listening turns and their reflections, requests, answers and
    # affirmations point at the participation with CASCADE and go with it.
    VoiceMessage.objects.filter(author=user).delete()
    NeedRequest.objects.filter(author=user).delete()
    ReconvenePlan.objects.filter(proposed_by=user).delete()
    AgreementItem.objects.filter(added_by__user=user).delete()
    Participation.objects.filter(user=user).delete()
