"""The one place that answers "may this person see this relationship?".

Every relationship-scoped view and stream goes through here. Non-members get a
404, never a 403, so that nobody learns a relationship exists.
"""

from django.db.models import Model, QuerySet
from django.http import Http404

from tend.accounts.models import User
from tend.core.prepared import Prepared
from tend.gardens.models import Membership, MembershipQuerySet, Relationship

# The URL's <int:...> takes any number of digits; a foreign-key lookup beyond a 64-bit
# integer fails in the database driver (OverflowError on SQLite), not with "no such row".
_LARGEST_ID = 2**63 - 1


def _current(user: User, relationship_id: int) -> MembershipQuerySet:
    """The person's current membership there, as a query: empty for anyone else."""
    if not may_be_member(user, relationship_id):
        return Membership.objects.none()
    return current_membership(user.pk, relationship_id)


def may_be_member(user: User, relationship_id: int) -> bool:
    """Whether to ask at all: signed in, and an id a relationship can have."""
    return user.is_authenticated and 0 < relationship_id <= _LARGEST_ID


def current_membership(user_id: int, relationship_id: int) -> MembershipQuerySet:
    """The membership check as a query, for this module's helpers and for prepared
    queries (tend.core.prepared), which ask `may_be_member` first."""
    return Membership.objects.current().filter(user_id=user_id, relationship_id=relationship_id)


_membership_for = Prepared(
    lambda user_id, relationship_id: current_membership(user_id, relationship_id).select_related(
        "relationship"
    )
)


def member_rows[M: Model](user_id: int, relationship_id: int, rows: QuerySet[M]) -> QuerySet[M]:
    """`rows` (of a model with a `relationship`) of that relationship, and none unless
    the person is a current member of it: the membership check inside the rows' own
    query, for hot paths that would otherwise read the membership first. Its callers
    prepare it (tend.core.prepared) and ask `may_be_member` first."""
    members = current_membership(user_id, relationship_id).values("relationship_id")
    return rows.filter(relationship_id=relationship_id, relationship__in=members)


def is_member(user: User, relationship_id: int) -> bool:
    return _current(user, relationship_id).exists()


def get_membership_for(user: User, relationship_id: int) -> Membership:
    # On (almost) every page: its SQL compiled once (tend.core.prepared).
    if not may_be_member(user, relationship_id):
        raise Http404
    membership = _membership_for.one(user.pk, relationship_id)
    if membership is None:
        raise Http404
    return membership


_relationships_of = Prepared(
    lambda user_id: Relationship.objects.filter(
        memberships__user_id=user_id, memberships__left_at__isnull=True
    ).order_by("name", "pk")
)
_members_of = Prepared(
    lambda relationship_id: User.objects.filter(
        membership__relationship_id=relationship_id, membership__left_at__isnull=True
    ).order_by("membership__joined_at", "pk")
)


def relationships_of(user: User) -> QuerySet[Relationship]:
    return _relationships_of(user.pk)


def current_members(relationship: Relationship | int) -> QuerySet[User]:
    return _members_of(relationship if isinstance(relationship, int) else relationship.pk)
