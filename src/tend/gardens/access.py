"""The one place that answers "may this person see this relationship?".

Every relationship-scoped view and stream goes through here. Non-members get a
404, never a 403, so that nobody learns a relationship exists.
"""

from django.db.models import Model, QuerySet
from django.http import Http404

from tend.accounts.models import User
from tend.gardens.models import Membership, MembershipQuerySet, Relationship

# The URL's <int:...> takes any number of digits; a foreign-key lookup beyond a 64-bit
# integer fails in the database driver (OverflowError on SQLite), not with "no such row".
_LARGEST_ID = 2**63 - 1


def _current(user: User, relationship_id: int) -> MembershipQuerySet:
    """The person's current membership there, as a query: empty for anyone else."""
    if not user.is_authenticated or not 0 < relationship_id <= _LARGEST_ID:
        return Membership.objects.none()
    return Membership.objects.current().filter(user=user, relationship_id=relationship_id)


def of_member[M: Model](user: User, relationship_id: int, rows: QuerySet[M]) -> QuerySet[M]:
    """`rows` (of a model with a `relationship`) of that relationship, and none unless
    the person is a current member of it: the membership check inside the rows' own
    query, for hot paths that would otherwise read the membership first."""
    members = _current(user, relationship_id).values("relationship_id")
    return rows.filter(relationship_id=relationship_id, relationship__in=members)


def is_member(user: User, relationship_id: int) -> bool:
    return _current(user, relationship_id).exists()


def get_membership_for(user: User, relationship_id: int) -> Membership:
    try:
        return _current(user, relationship_id).select_related("relationship").get()
    except Membership.DoesNotExist:
        raise Http404 from None


def relationships_of(user: User) -> QuerySet[Relationship]:
    return Relationship.objects.filter(
        memberships__user=user, memberships__left_at__isnull=True
    ).order_by("name", "pk")


def current_members(relationship: Relationship) -> QuerySet[User]:
    return User.objects.filter(
        membership__relationship=relationship, membership__left_at__isnull=True
    ).order_by("membership__joined_at", "pk")
