"""Past repairs for the history's tests, built in the database like the export's scenes
(`tests.accounts.scenes.written_repair`: a marker in every field anyone can write)."""

from datetime import timedelta

from django.utils import timezone

from tend.accounts.models import User
from tend.gardens.models import Membership, Relationship
from tend.repairs.models import Proposal, Repair
from tests.accounts.scenes import written_repair
from tests.conftest import join, make_user


def past_repair(
    relationship: Relationship,
    people: list[User],
    *,
    tag: str = "",
    days_ago: int = 0,
    took: timedelta = timedelta(days=2),
    completed: bool = True,
    joined: tuple[str, ...] | None = None,
) -> Repair:
    """A completed (or closed) repair opened `days_ago` days ago, its intention agreed."""
    repair = written_repair(relationship, people, tag=tag, together=completed, joined=joined)
    opened = timezone.now() - timedelta(days=days_ago) - took
    Repair.objects.filter(pk=repair.pk).update(
        opened_at=opened,
        completed_at=opened + took if completed else None,
        closed_at=None if completed else opened + took,
    )
    # Everyone asked was a member when it opened.
    Membership.objects.filter(
        relationship=relationship, user__in=people, joined_at__gt=opened
    ).update(joined_at=opened - timedelta(days=1))
    repair.proposals.filter(kind=Proposal.Kind.INTENTION).update(status=Proposal.Status.AGREED)
    repair.refresh_from_db()
    return repair


def later_joiner(relationship: Relationship, inviter: User, name: str = "fay") -> User:
    """Someone who joins the relationship now, after its past repairs."""
    user = make_user(name)
    join(user, relationship, inviter)
    return user
