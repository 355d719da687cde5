"""Gardens' part of a person's export and of deleting their account: their relationships.

The features above add to each relationship's entry in the export (repairs its
commitments, care the person's own safety answer) through `relationship_part`, so
gardens knows none of them.
"""

from collections.abc import Callable
from typing import Any

from tend.accounts import contributions
from tend.accounts.models import User
from tend.gardens.access import current_members, relationships_of
from tend.gardens.actions import leave_relationship
from tend.gardens.models import Invitation, Membership, Relationship

Data = dict[str, Any]
# Given the person, what to add to the entry of each of their memberships (one
# function per person, so a part can read all it needs at once rather than per entry).
RelationshipPart = Callable[[User], Callable[[Membership], Data]]

_relationship_parts: dict[str, RelationshipPart] = {}


def relationship_part(owner: str, part: RelationshipPart) -> None:
    _relationship_parts[owner] = part


def export(user: User) -> Data:
    """Every relationship the person was ever in; the members only of those they are in."""
    parts = [part(user) for part in _relationship_parts.values()]
    memberships = Membership.objects.filter(user=user).select_related("relationship")
    found = []
    for membership in memberships.order_by("joined_at", "pk"):
        relationship = membership.relationship
        current = membership.left_at is None
        entry: Data = {
            "name": relationship.name,
            "kind": str(relationship.get_kind_display()),
            "joined_at": membership.joined_at,
            "left_at": membership.left_at,
            "members": [u.display_name for u in current_members(relationship)] if current else [],
        }
        for part in parts:
            entry |= part(membership)
        found.append(entry)
    return {"relationships": found}


def delete(user: User) -> None:
    """They leave each relationship, so the others see a departure as for any other, and
    a relationship left with nobody in it goes entirely: nobody could open it. Their
    memberships (past ones too) and the invitations they made go with them."""
    was_in = list(relationships_of(user))
    for relationship in was_in:
        leave_relationship(user, relationship)
    still_used = Membership.objects.current().values("relationship_id")
    Relationship.objects.filter(pk__in=[r.pk for r in was_in]).exclude(pk__in=still_used).delete()
    Invitation.objects.filter(created_by=user).delete()
    Membership.objects.filter(user=user).delete()


contributions.contribute(__name__, export=export, delete=delete)
