"""Commitments of a relationship: kept in the open, changed only by their maker, with
a visible history; others suggest changes, and everyone checks in on review dates.

Every change locks the commitment's row first, asks `machine.commitments` with fresh
data, writes, and records one event, in one transaction. Sending the same thing twice
(a double tap, a resent form) finds it already done and records nothing more.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.gardens.models import Membership
from tend.live.events import emit
from tend.repairs.events import RepairEvent
from tend.repairs.machine import commitments as rules
from tend.repairs.machine.kinds import Refused
from tend.repairs.models import (
    Commitment,
    CommitmentCheckIn,
    CommitmentRevision,
    CommitmentSuggestion,
)


def member_ids(relationship_id: int) -> set[int]:
    return set(
        Membership.objects.current()
        .filter(relationship_id=relationship_id)
        .values_list("user_id", flat=True)
    )


def _lock(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().get(pk=commitment.pk)


def _revise(user: User, locked: Commitment, *, text: str, review_on: date, status: str) -> bool:
    """Adds a revision when something differs; False when nothing would change."""
    if (locked.text, locked.review_on, locked.status) == (text, review_on, status):
        return False
    locked.text, locked.review_on, locked.status = text, review_on, status
    locked.save(update_fields=["text", "review_on", "status"])
    CommitmentRevision.objects.create(
        commitment=locked, text=text, review_on=review_on, status=status, edited_by=user
    )
    return True


def _emit(kind: RepairEvent, user: User, commitment: Commitment) -> None:
    emit(commitment.relationship_id, kind, actor_id=user.pk, subject_id=commitment.pk)


@transaction.atomic
def edit(user: User, commitment: Commitment, *, text: str, review_on: date, status: str) -> None:
    """The maker changes their commitment by adding a revision; nothing is rewritten
    silently. Anyone else is refused (`NotYours`)."""
    locked = _lock(commitment)
    rules.check_change(locked, user.pk, member_ids(locked.relationship_id))
    if _revise(user, locked, text=text, review_on=review_on, status=status):
        _emit(RepairEvent.COMMITMENT_CHANGED, user, locked)


def next_review(user: User, commitment: Commitment, review_on: date) -> None:
    """After a check-in, the maker chooses the next day to look at it together."""
    edit(user, commitment, text=commitment.text, review_on=review_on, status=commitment.status)


@transaction.atomic
def suggest(
    user: User, commitment: Commitment, *, text: str, review_on: date | None, note: str
) -> CommitmentSuggestion:
    """Someone other than the maker suggests new wording, a new day, or both. A person
    has one open suggestion per commitment: sending again changes it."""
    locked = _lock(commitment)
    rules.check_suggest(locked, user.pk, member_ids(locked.relationship_id))
    text = "" if text == locked.text else text
    review_on = None if review_on == locked.review_on else review_on
    open_one = CommitmentSuggestion.objects.filter(
        commitment=locked, suggested_by=user, status=CommitmentSuggestion.Status.OPEN
    ).first()
    if open_one is not None:
        if (open_one.text, open_one.review_on, open_one.note) == (text, review_on, note):
            return open_one
        open_one.text, open_one.review_on, open_one.note = text, review_on, note
        open_one.save(update_fields=["text", "review_on", "note"])
        made = open_one
    else:
        made = CommitmentSuggestion.objects.create(
            commitment=locked, suggested_by=user, text=text, review_on=review_on, note=note
        )
    _emit(RepairEvent.COMMITMENT_SUGGESTED, user, locked)
    return made


def _locked_suggestion(suggestion: CommitmentSuggestion) -> tuple[Commitment, CommitmentSuggestion]:
    commitment = _lock(suggestion.commitment)
    return commitment, CommitmentSuggestion.objects.get(pk=suggestion.pk)


def _close(suggestion: CommitmentSuggestion, status: str) -> None:
    suggestion.status = status
    suggestion.answered_at = timezone.now()
    suggestion.save(update_fields=["status", "answered_at"])


@transaction.atomic
def accept(user: User, suggestion: CommitmentSuggestion) -> None:
    """The maker takes a suggestion up: it becomes a revision of the commitment."""
    commitment, current = _locked_suggestion(suggestion)
    members = member_ids(commitment.relationship_id)
    if current.status == CommitmentSuggestion.Status.ACCEPTED and rules.may_change(
        commitment, user.pk, members
    ):
        return  # sent twice: taken up once
    rules.check_answer(current, commitment, user.pk, members)
    review_on = current.review_on or commitment.review_on
    if current.review_on is not None and current.review_on < timezone.localdate():
        raise Refused(
            _(
                "The day in this suggestion has passed. You can change the commitment "
                "yourself, with a new day."
            )
        )
    _close(current, CommitmentSuggestion.Status.ACCEPTED)
    _revise(
        user,
        commitment,
        text=current.text or commitment.text,
        review_on=review_on,
        status=commitment.status,
    )
    _emit(RepairEvent.COMMITMENT_CHANGED, user, commitment)


@transaction.atomic
def decline(user: User, suggestion: CommitmentSuggestion) -> None:
    commitment, current = _locked_suggestion(suggestion)
    members = member_ids(commitment.relationship_id)
    if current.status == CommitmentSuggestion.Status.DECLINED and rules.may_change(
        commitment, user.pk, members
    ):
        return  # sent twice
    rules.check_answer(current, commitment, user.pk, members)
    _close(current, CommitmentSuggestion.Status.DECLINED)
    _emit(RepairEvent.SUGGESTION_DECLINED, user, commitment)


@transaction.atomic
def withdraw(user: User, suggestion: CommitmentSuggestion) -> None:
    commitment, current = _locked_suggestion(suggestion)
    if (
        current.status == CommitmentSuggestion.Status.WITHDRAWN
        and current.suggested_by_id == user.pk
    ):
        return  # sent twice
    rules.check_withdraw(current, user.pk)
    _close(current, CommitmentSuggestion.Status.WITHDRAWN)
    _emit(RepairEvent.SUGGESTION_WITHDRAWN, user, commitment)


@transaction.atomic
def check_in(user: User, commitment: Commitment, *, answer: str, note: str) -> CommitmentCheckIn:
    """Says how it is going, once per review date each; saying it again (differently)
    changes one's own check-in for that date."""
    locked = _lock(commitment)
    rules.check_check_in(locked, timezone.localdate())
    made, created = CommitmentCheckIn.objects.get_or_create(
        commitment=locked,
        person=user,
        review_on=locked.review_on,
        defaults={"answer": answer, "note": note},
    )
    if not created:
        if (made.answer, made.note) == (answer, note):
            return made
        made.answer, made.note, made.checked_in_at = answer, note, timezone.now()
        made.save(update_fields=["answer", "note", "checked_in_at"])
    _emit(RepairEvent.COMMITMENT_CHECKED_IN, user, locked)
    return made
