"""Who may do what with a commitment, and when (the rules the actions and the ledger ask).

Only its maker changes a commitment. When the maker is no longer here (a guest, or
someone who left), any current member may, so that nothing stays stuck. The others
suggest a change, which the maker takes up or not, and the one who suggested may take
it back. On and after its review date, while it is being worked on, everyone checks in.
"""

from collections.abc import Collection
from datetime import date

from django.utils.translation import gettext as _

from tend.repairs.machine.kinds import Refused
from tend.repairs.models import Commitment, CommitmentSuggestion


class NotYours(Refused):
    """Refused because the move belongs to someone else (a 403, not a 409)."""


def maker_is_here(commitment: Commitment, members: Collection[int]) -> bool:
    return commitment.owner_id is not None and commitment.owner_id in members


def may_change(commitment: Commitment, user_id: int, members: Collection[int]) -> bool:
    return commitment.owner_id == user_id or not maker_is_here(commitment, members)


def may_suggest(commitment: Commitment, user_id: int, members: Collection[int]) -> bool:
    return (
        commitment.status == Commitment.Status.ACTIVE
        and maker_is_here(commitment, members)
        and commitment.owner_id != user_id
    )


def is_due(commitment: Commitment, today: date) -> bool:
    """Its review date has come: time for everyone's check-in."""
    return commitment.status == Commitment.Status.ACTIVE and commitment.review_on <= today


def check_change(commitment: Commitment, user_id: int, members: Collection[int]) -> None:
    if not may_change(commitment, user_id, members):
        raise NotYours(
            _("Only %(name)s changes this commitment. You can suggest a change, and they decide.")
            % {"name": commitment.owner_name}
        )


def check_suggest(commitment: Commitment, user_id: int, members: Collection[int]) -> None:
    if commitment.owner_id == user_id:
        raise NotYours(_("This commitment is yours: you can change it directly."))
    if not maker_is_here(commitment, members):
        raise NotYours(_("Its maker is no longer here, so you can change it directly."))
    if commitment.status != Commitment.Status.ACTIVE:
        raise Refused(_("This commitment is no longer being worked on."))


def check_check_in(commitment: Commitment, today: date) -> None:
    if commitment.status != Commitment.Status.ACTIVE:
        raise Refused(_("This commitment is no longer being worked on."))
    if commitment.review_on > today:
        raise Refused(_("It is not time to look at this one together yet."))


def check_answer(
    suggestion: CommitmentSuggestion, commitment: Commitment, user_id: int, members: Collection[int]
) -> None:
    """Taking up or declining a suggestion: the maker's, while it waits."""
    check_change(commitment, user_id, members)
    if suggestion.status != CommitmentSuggestion.Status.OPEN:
        raise Refused(_("This suggestion has already been answered."))


def check_withdraw(suggestion: CommitmentSuggestion, user_id: int) -> None:
    if suggestion.suggested_by_id != user_id:
        raise NotYours(_("Only the person who suggested this can take it back."))
    if suggestion.status != CommitmentSuggestion.Status.OPEN:
        raise Refused(_("This suggestion has already been answered."))
