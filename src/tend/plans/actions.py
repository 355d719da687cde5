"""Every change to a relationship's repair plan.

Each action takes the relationship's row lock first, so two members answering at the
same instant queue and a version is settled once; it writes, settles, and records its
event in the same transaction.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.gardens.access import current_members
from tend.gardens.models import Relationship
from tend.live.events import emit
from tend.live.models import Event
from tend.plans.events import PlanEvent
from tend.plans.models import OfferSetAside, PlanAnswer, PlanVersion, UsualNeeds

Status = PlanVersion.Status


class Refused(Exception):
    """The change no longer applies (the version was settled meanwhile); said kindly."""


@dataclass(frozen=True)
class Draft:
    """What a proposal says: the shared parts, and the proposer's own usual needs."""

    flooded_word: str = ""
    places: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    rebond_ways: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    minutes: int | None = None


def agreed(relationship_id: int) -> PlanVersion | None:
    """The plan: the newest version everyone agreed to."""
    return PlanVersion.objects.filter(relationship_id=relationship_id, status=Status.AGREED).first()


def pending(relationship_id: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(
        relationship_id=relationship_id, status=Status.PENDING
    ).first()


def _lock(relationship: Relationship) -> None:
    Relationship.objects.select_for_update().filter(pk=relationship.pk).first()


def _same(version: PlanVersion, user: User, draft: Draft) -> bool:
    own = version.needs.filter(user=user).first()
    return (
        version.proposed_by_id == user.pk
        and version.flooded_word == draft.flooded_word
        and version.place_lines == draft.places
        and version.agreement_lines == draft.agreements
        and version.rebond_ways == draft.rebond_ways
        and own is not None
        and own.needs == draft.needs
        and own.minutes == draft.minutes
    )


def _settle(version: PlanVersion) -> None:
    """A declined answer from a current member ends the version; every current member's
    yes makes it the plan. Those who left no longer count; those who joined now do."""
    if version.status != Status.PENDING:
        return
    members = {u.pk for u in current_members(version.relationship)}
    answers = {a.user_id: a.agrees for a in version.answers.filter(user_id__in=members)}
    if False in answers.values():
        version.status = Status.DECLINED
    elif members and members <= answers.keys():
        version.status = Status.AGREED
    else:
        return
    version.decided_at = timezone.now()
    version.save(update_fields=["status", "decided_at"])


@transaction.atomic
def propose(user: User, relationship: Relationship, draft: Draft) -> PlanVersion:
    """A new version, built on the newest one (pending, else agreed): the proposer's own
    usual needs are theirs to change; everyone else's are carried over as they were."""
    _lock(relationship)
    waiting = pending(relationship.pk)
    if waiting is not None and _same(waiting, user, draft):
        return waiting  # the second press of a double tap
    base = waiting or agreed(relationship.pk)
    if waiting is not None:
        waiting.status = Status.REPLACED
        waiting.decided_at = timezone.now()
        waiting.save(update_fields=["status", "decided_at"])
    version = PlanVersion.objects.create(
        relationship=relationship,
        proposed_by=user,
        flooded_word=draft.flooded_word,
        places="\n".join(draft.places),
        agreements="\n".join(draft.agreements),
        rebond_ways=draft.rebond_ways,
    )
    others = base.needs.exclude(user=user) if base is not None else UsualNeeds.objects.none()
    UsualNeeds.objects.bulk_create(
        [
            UsualNeeds(version=version, user_id=n.user_id, needs=n.needs, minutes=n.minutes)
            for n in others
        ]
        + [UsualNeeds(version=version, user=user, needs=draft.needs, minutes=draft.minutes)]
    )
    PlanAnswer.objects.create(version=version, user=user, agrees=True)  # proposing is agreeing
    _settle(version)
    emit(relationship.pk, PlanEvent.REPAIR_PLAN_PROPOSED, actor_id=user.pk, subject_id=version.pk)
    return version


@transaction.atomic
def answer(user: User, relationship: Relationship, version_id: int, agrees: bool) -> PlanVersion:
    _lock(relationship)
    version = PlanVersion.objects.get(pk=version_id, relationship=relationship)
    earlier = version.answers.filter(user=user).first()
    if earlier is not None and earlier.agrees == agrees:
        return version  # said already: a double tap, or a second device
    if version.status != Status.PENDING:
        raise Refused(_("This change has already been settled. Here is the plan as it is now."))
    PlanAnswer.objects.update_or_create(version=version, user=user, defaults={"agrees": agrees})
    _settle(version)
    if agrees:
        emit(relationship.pk, PlanEvent.REPAIR_PLAN_AGREED, actor_id=user.pk, subject_id=version.pk)
    else:
        emit(
            relationship.pk, PlanEvent.REPAIR_PLAN_DECLINED, actor_id=user.pk, subject_id=version.pk
        )
    return version


@transaction.atomic
def set_offer_aside(user: User, relationship: Relationship) -> None:
    """ "Not now" to the offer to make a plan: personal, so it records no event."""
    OfferSetAside.objects.get_or_create(user=user, relationship=relationship)


def members_changed(event: Event) -> None:
    """Someone left or joined: the pending version now needs the new set of members.
    Runs in the transaction of the change (a `tend.live.events` subscriber)."""
    waiting = pending(event.relationship_id)
    if waiting is not None:
        _settle(waiting)
