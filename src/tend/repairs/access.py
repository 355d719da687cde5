"""The one way into a repair: through a current membership of its relationship."""

from django.http import Http404

from tend.accounts.models import User
from tend.gardens.access import get_membership_for, of_member
from tend.repairs import visibility
from tend.repairs.models import Participation, Repair

# What every repair page shows of the repair besides its own row.
REPAIR_RELATED = ("relationship", "opened_by")


def get_repair_for(
    user: User, relationship_id: int, repair_id: int
) -> tuple[Repair, Participation]:
    """The repair and this member's part in it; 404 for anyone not a current member, and
    for a past repair they may not see (`visibility.past_repairs_seen_by`).

    A member who arrived after the repair opened has no part saved yet: they get an
    unsaved one ("asked"), which their first move saves (`repair_view`), so reading a
    repair never writes."""
    repairs = Repair.objects.select_related(*REPAIR_RELATED)
    try:
        repair = of_member(user, relationship_id, repairs).get(pk=repair_id)
    except Repair.DoesNotExist:
        raise Http404 from None
    # A past repair is reached only as the history shows it: not one from before they
    # joined, unless it was shared with them.
    if not repair.is_open:
        membership = get_membership_for(user, relationship_id)
        if not visibility.past_repairs_seen_by(membership).filter(pk=repair.pk).exists():
            raise Http404
    # Unordered: a person has at most one part in a repair (one_participation_each).
    found = Participation.objects.filter(repair=repair, user=user)[:1]
    participation = next(iter(found), None) or Participation(repair=repair, user=user)
    participation.repair = repair  # both already read: spares two queries per page
    participation.user = user
    return repair, participation


def open_repair_of(relationship_id: int) -> Repair | None:
    """The repair under way in this relationship, if any (there is at most one)."""
    return (
        Repair.objects.open()
        .filter(relationship_id=relationship_id)
        .select_related("opened_by")
        .first()
    )
