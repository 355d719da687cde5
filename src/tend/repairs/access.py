"""The one way into a repair: through a current membership of its relationship."""

from django.http import Http404

from tend.accounts.models import User
from tend.core.prepared import Prepared
from tend.gardens.access import get_membership_for, may_be_member, member_rows
from tend.repairs import visibility
from tend.repairs.models import Participation, Repair

# What every repair page shows of the repair besides its own row.
REPAIR_RELATED = ("relationship", "opened_by")

# Read on every repair page and move: their SQL compiled once (tend.core.prepared).
_repair_of_member = Prepared(
    lambda user_id, relationship_id, repair_id: member_rows(
        user_id,
        relationship_id,
        Repair.objects.select_related(*REPAIR_RELATED).filter(pk=repair_id),
    )
)
# Unordered: a person has at most one part in a repair (one_participation_each).
_part_of = Prepared(
    lambda repair_id, user_id: Participation.objects.filter(repair_id=repair_id, user_id=user_id)
)


def get_repair_for(
    user: User, relationship_id: int, repair_id: int
) -> tuple[Repair, Participation]:
    """The repair and this member's part in it; 404 for anyone not a current member, and
    for a past repair they may not see (`visibility.past_repairs_seen_by`).

    A member who arrived after the repair opened has no part saved yet: they get an
    unsaved one ("asked"), which their first move saves (`repair_view`), so reading a
    repair never writes."""
    if not may_be_member(user, relationship_id):
        raise Http404
    repair = _repair_of_member.one(user.pk, relationship_id, repair_id)
    if repair is None:
        raise Http404
    # A past repair is reached only as the history shows it: not one from before they
    # joined, unless it was shared with them.
    if not repair.is_open:
        membership = get_membership_for(user, relationship_id)
        if not visibility.past_repairs_seen_by(membership).filter(pk=repair.pk).exists():
            raise Http404
    participation = _part_of.one(repair.pk, user.pk) or Participation(repair=repair, user=user)
    participation.repair = repair  # both already read: spares two queries per page
    participation.user = user
    return repair, participation


# On every relationship page, and live when a repair opens or ends.
_open_repair = Prepared(
    lambda relationship_id: (
        Repair.objects.open().filter(relationship_id=relationship_id).select_related("opened_by")
    )
)


def open_repair_of(relationship_id: int) -> Repair | None:
    """The repair under way in this relationship, if any (there is at most one)."""
    return _open_repair.one(relationship_id)
