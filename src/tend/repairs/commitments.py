"""Commitments of a relationship: kept in the open, changed only with a visible history."""

from datetime import date

from django.db import transaction

from tend.accounts.models import User
from tend.live.events import emit
from tend.repairs.events import RepairEvent
from tend.repairs.models import Commitment, CommitmentRevision


@transaction.atomic
def edit(user: User, commitment: Commitment, *, text: str, review_on: date, status: str) -> None:
    """Changes a commitment by adding a revision; nothing is rewritten silently."""
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if (locked.text, locked.review_on, locked.status) == (text, review_on, status):
        return  # a double submit changes nothing
    locked.text, locked.review_on, locked.status = text, review_on, status
    locked.save(update_fields=["text", "review_on", "status"])
    CommitmentRevision.objects.create(
        commitment=locked, text=text, review_on=review_on, status=status, edited_by=user
    )
    emit(
        locked.relationship_id,
        RepairEvent.COMMITMENT_CHANGED,
        actor_id=user.pk,
        subject_id=locked.pk,
    )
