"""Every change to relationships, memberships and invitations.

Each action validates, writes in one transaction, and records its event there.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.gardens.events import GardenEvent
from tend.gardens.models import Invitation, Membership, Relationship
from tend.live.events import emit


class InvitationUnavailable(Exception):
    """The invitation was used, revoked or has expired; the message says which, kindly."""


@transaction.atomic
def create_relationship(user: User, *, name: str, kind: str) -> Relationship:
    relationship = Relationship.objects.create(name=name, kind=kind)
    Membership.objects.create(user=user, relationship=relationship)
    emit(relationship.pk, GardenEvent.MEMBER_JOINED, actor_id=user.pk, subject_id=user.pk)
    return relationship


@transaction.atomic
def create_invitation(user: User, relationship: Relationship) -> Invitation:
    return Invitation.objects.create(
        relationship=relationship,
        created_by=user,
        expires_at=timezone.now() + settings.INVITATION_MAX_AGE,
    )


@transaction.atomic
def revoke_invitation(user: User, invitation: Invitation) -> None:
    # Only its creator may revoke; an already used one stays as history.
    Invitation.objects.filter(
        pk=invitation.pk, created_by=user, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def unavailable_reason(invitation: Invitation) -> str | None:
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn by the person who made it.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used. Each link works once.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Links work for 7 days.")
    return None


@transaction.atomic
def accept_invitation(user: User, invitation: Invitation) -> Relationship:
    relationship = invitation.relationship
    if Membership.objects.current().filter(user=user, relationship=relationship).exists():
        return relationship  # already in: nothing to use up
    now = timezone.now()
    # A conditional UPDATE makes the link single-use even when two people press at once.
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(accepted_at=now, accepted_by=user)
    if not claimed:
        invitation.refresh_from_db()
        raise InvitationUnavailable(
            unavailable_reason(invitation) or _("This invitation cannot be used.")
        )
    Membership.objects.create(user=user, relationship=relationship, joined_at=now)
    emit(relationship.pk, GardenEvent.MEMBER_JOINED, actor_id=user.pk, subject_id=user.pk)
    return relationship


@transaction.atomic
def leave_relationship(user: User, relationship: Relationship) -> None:
    left = (
        Membership.objects.current()
        .filter(user=user, relationship=relationship)
        .update(left_at=timezone.now())
    )
    if left:
        # Their open invitations stop working with them.
        Invitation.objects.filter(
            relationship=relationship,
            created_by=user,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        emit(relationship.pk, GardenEvent.MEMBER_LEFT, actor_id=user.pk, subject_id=user.pk)
