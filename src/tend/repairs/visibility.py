"""What one person in a repair may see of another's part: the one place for the rule.

The stage, the summary and the export all ask here (privacy.md, "What the others see
of you"):

- everything of one's own, private or brought;
- of the others' steps 1-4, only the step-4 reflections they marked to bring, not
  empty, and only in step 5 (and its summary), among those who joined it. A noticing, a
  honor-the-pain page or an unbrought reflection is never shown to anyone else,
  whatever its flags say (PROCESS.md: "Nothing written here is ever shown to anyone
  else");
- step 5 itself is shared only among those who joined, once it has begun; so are
  the words a speaker types there when the people are apart (`typed_share`);
- of the relationship's past repairs, a member sees that one happened (when, who took
  part, how it ended) if it opened while they were a member or they joined it; never
  one from before they joined (issue 10, "Privacy of the past"), and a former member
  none, since they are no member;
- what was shared in a past repair (its step 5, the reflections brought there, what
  was learned, its theme) only those who joined it read, as in step 5 itself, and a
  member every one of them agreed to share it with (`PastShare`): a member at the time
  who did not join sees that it happened, not what was said. A repair someone took
  part in as a guest, with no account to agree with, cannot be shared.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from tend.gardens.models import Membership
from tend.repairs.models import OPEN_STAGES, Entry, Participation, PastShare, Repair, Turn

REFLECTION = "reflect:"  # the key prefix of step 4's answers, the only ones bringable


def sees_together(viewer: Participation | None, repair: Repair) -> bool:
    """Step 5 and its summary: only for those who joined, once it has begun."""
    return viewer is not None and viewer.joined and repair.together_at is not None


def typed_share(viewer: Participation | None, repair: Repair, turn: Turn) -> str:
    """What a speaker typed for their turn, apart: shared with those who joined step 5
    of this repair, as their spoken words would be; nobody else, by any path."""
    if viewer is None or viewer.repair_id != repair.pk or turn.repair_id != repair.pk:
        return ""
    if not sees_together(viewer, repair):
        return ""
    return turn.shared


def typed_shares(viewer: Participation | None, repair: Repair) -> QuerySet[Turn]:
    """Every turn of `repair` with typed words that `viewer` may read (the summary, the
    export)."""
    if viewer is None or viewer.repair_id != repair.pk or not sees_together(viewer, repair):
        return Turn.objects.none()
    return repair.turns.exclude(shared="").select_related("speaker__user")


def brought(owners: Iterable[Participation]) -> QuerySet[Entry]:
    """The reflections these people chose to bring: all of their own writing that step 5
    may show the others. What the others read is `shared`, the copy its owner's device
    made when they ticked "bring" (their own `text` is sealed, for them alone)."""
    return Entry.objects.filter(
        participation__in=list(owners),
        participation__status=Participation.Status.JOINED,
        bring=True,
        key__startswith=REFLECTION,
    ).exclude(shared="")


def entries_seen_by(viewer: Participation, owner: Participation, repair: Repair) -> QuerySet[Entry]:
    """What `viewer` may see of what `owner` wrote in steps 1-4 of `repair`."""
    if viewer.pk == owner.pk:
        return Entry.objects.filter(participation=owner)
    if owner.repair_id != repair.pk or not sees_together(viewer, repair):
        return Entry.objects.none()
    return brought([owner])


def _took_part(user_id: int) -> Q:
    return Q(
        participations__user_id=user_id,
        participations__status=Participation.Status.JOINED,
    )


def _shared_with(user_id: int) -> Q:
    """Past repairs every participant agreed to show this person: at least one consent
    for them, and no one who took part (a guest included) without one."""
    consents = PastShare.objects.filter(repair=OuterRef("pk"), member_id=user_id)
    without_consent = Participation.objects.filter(
        repair=OuterRef("pk"), status=Participation.Status.JOINED
    ).exclude(
        Exists(
            PastShare.objects.filter(
                repair=OuterRef(OuterRef("pk")), member_id=user_id, by=OuterRef("user")
            )
        )
    )
    return Q(Exists(consents)) & ~Q(Exists(without_consent))


def past_repairs_seen_by(membership: Membership) -> QuerySet[Repair]:
    """The completed or closed repairs of this member's relationship that they may see:
    every history list, record and chart of past repairs reads through here."""
    return (
        Repair.objects.filter(relationship_id=membership.relationship_id)
        .exclude(stage__in=OPEN_STAGES)
        .filter(
            Q(opened_at__gte=membership.joined_at)
            | _took_part(membership.user_id)
            | _shared_with(membership.user_id)
        )
        .distinct()
    )


def past_content_seen_by(membership: Membership) -> QuerySet[Repair]:
    """Of those, the ones whose shared content this member may read: they joined it, or
    everyone who took part shared it with them."""
    return past_repairs_seen_by(membership).filter(
        _took_part(membership.user_id) | _shared_with(membership.user_id)
    )
