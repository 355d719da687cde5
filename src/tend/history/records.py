"""Reading the history: the list of past repairs and one repair's shared record.

Everything here reads through `tend.repairs.visibility`: which past repairs a member
sees (`past_repairs_seen_by`) and which of them they may read (`past_content_seen_by`);
of anyone's steps 1-4, only what they brought to step 5 (`brought`).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from tend.core.prepared import Prepared
from tend.gardens.models import Membership
from tend.history.models import LearnedNote, Theme
from tend.repairs import content, visibility
from tend.repairs.models import OPEN_STAGES, Participation, Proposal, Repair, Request


@dataclass
class Past:
    repair: Repair
    people: list[Participation]
    readable: bool  # may this member read what was shared
    theme: Theme | None = None
    # Other repairs this member may read with the same theme, oldest first.
    same_theme: list[Repair] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return self.repair.stage == Repair.Stage.COMPLETED

    @property
    def ended_at(self) -> datetime | None:
        return self.repair.completed_at or self.repair.closed_at

    @property
    def took(self) -> timedelta | None:
        """From opening to rebond; a closed repair did not rebond."""
        if self.repair.completed_at is None:
            return None
        return self.repair.completed_at - self.repair.opened_at

    @property
    def theme_count(self) -> int:
        return len(self.same_theme) + 1

    @property
    def theme_since(self) -> datetime:
        return min([self.repair.opened_at, *(r.opened_at for r in self.same_theme)])


def _seen(membership: Membership) -> QuerySet[Repair]:
    return (
        visibility.past_repairs_seen_by(membership)
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(
                    status=Participation.Status.JOINED
                ).select_related("user"),
                to_attr="took_part",
            )
        )
        .order_by("-opened_at", "-pk")
    )


def _themes(readable: set[int]) -> dict[int, Theme]:
    """The agreed theme of each readable repair (the latest, if changed)."""
    found: dict[int, Theme] = {}
    for theme in Theme.objects.filter(repair_id__in=readable, status=Theme.Status.AGREED):
        found[theme.repair_id] = theme
    return found


def _has_past(membership: Membership) -> bool:
    """Whether the relationship has any past repair at all, seen by this member or not.

    A plain EXISTS on one table: the visibility query below is several nested
    subqueries, and building it is most of a relationship page's time while that page
    has no history yet (a new relationship, or one whose first repair is under way)."""
    return _any_past.one(membership.relationship_id) is not None


# On every relationship page: its SQL compiled once (tend.core.prepared).
_any_past = Prepared(
    lambda relationship_id: (
        Repair.objects.filter(relationship_id=relationship_id)
        .exclude(stage__in=OPEN_STAGES)
        .order_by()
        .values_list("pk", flat=True)[:1]
    )
)


def history(membership: Membership, limit: int | None = None) -> list[Past]:
    """The past repairs this member sees, newest first, each with its theme and the
    other repairs (that they may read) where the same theme came up."""
    if not _has_past(membership):
        return []
    repairs = list(_seen(membership))
    if not repairs:
        return []  # none that this member may see: no more queries
    readable = set(visibility.past_content_seen_by(membership).values_list("pk", flat=True))
    themes = _themes(readable)
    by_key: dict[str, list[Repair]] = {}
    for repair in sorted(repairs, key=lambda r: (r.opened_at, r.pk)):
        if repair.pk in themes:
            by_key.setdefault(themes[repair.pk].key, []).append(repair)
    found = []
    for repair in repairs[:limit]:
        theme = themes.get(repair.pk)
        same = [r for r in by_key.get(theme.key, []) if r.pk != repair.pk] if theme else []
        found.append(Past(repair, repair.took_part, repair.pk in readable, theme, same))
    return found


def past_of(membership: Membership, repair_id: int) -> Past | None:
    """One past repair as this member sees it, or None when they may not see it."""
    for past in history(membership):
        if past.repair.pk == repair_id:
            return past
    return None


def _agreements(repair: Repair) -> list[str]:
    defaults = {a.key: a.text for a in content.DEFAULT_AGREEMENTS}
    return [str(defaults.get(a.key, "")) or a.text for a in repair.agreements.all()]


def shared_record(past: Past) -> dict[str, Any]:
    """What was shared in the repair: only for a member who may read it."""
    assert past.readable
    repair = past.repair
    agreed = {p.kind: p for p in repair.proposals.filter(status=Proposal.Status.AGREED)}
    rebond = agreed.get(Proposal.Kind.REBOND)
    ways = {w.key: w.label for w in content.REBOND_WAYS}
    prompts = {f"{visibility.REFLECTION}{p.key}": p.text for p in content.REFLECT_PROMPTS}
    together = repair.together_at is not None
    return {
        "together": together,
        "intention": agreed[Proposal.Kind.INTENTION].text
        if Proposal.Kind.INTENTION in agreed
        else "",
        "rebond_way": ways.get(rebond.choice, "") if rebond else "",
        "rebond_words": rebond.text if rebond else "",
        "agreements": _agreements(repair) if together else [],
        # Only what each person chose to bring: never an unbrought note.
        "brought": [
            (p, [(prompts.get(e.key, ""), e.shared) for e in visibility.brought([p])])
            for p in past.people
        ]
        if together
        else [],
        "requests": list(
            Request.objects.filter(repair=repair)
            .select_related("requester__user")
            .prefetch_related("answers__responder__user")
        ),
        "commitments": list(repair.commitments.order_by("pk")),
        "notes": list(LearnedNote.objects.filter(repair=repair).select_related("author")),
        "pending_theme": repair.themes.filter(status=Theme.Status.PROPOSED).last(),
    }
