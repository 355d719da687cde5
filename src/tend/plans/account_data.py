"""Plans' part of a person's export and of deleting their account.

Export: per relationship, the versions of its plan the person could read there (those
proposed while they were a member, and the plan in force while they are one), with
their own answers. Deletion: their usual needs, answers and "Not now", and their name
on what they proposed; the relationship keeps its plan.
"""

from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from tend.accounts import contributions
from tend.accounts.models import User
from tend.gardens import account_data as gardens
from tend.gardens.models import Membership
from tend.plans import catalogue
from tend.plans.models import OfferSetAside, PlanAnswer, PlanVersion, UsualNeeds


def _version(version: PlanVersion, user: User) -> gardens.Data:
    own = next((n for n in version.needs.all() if n.user_id == user.pk), None)
    answer = next((a for a in version.answers.all() if a.user_id == user.pk), None)
    return {
        "proposed_at": version.proposed_at,
        "status": version.status,
        "flooded_word": version.flooded_word,
        "places": version.place_lines,
        "agreements": version.agreement_lines,
        "rebond_ways": catalogue.labels(catalogue.rebond_ways(), version.rebond_ways),
        "your_usual_needs": catalogue.labels(catalogue.needs(), own.needs) if own else [],
        "your_usual_minutes": own.minutes if own else None,
        "your_answer": None if answer is None else ("agreed" if answer.agrees else "declined"),
    }


def _plans(user: User) -> Callable[[Membership], gardens.Data]:
    def part(membership: Membership) -> gardens.Data:
        until = membership.left_at or timezone.now()
        seen = Q(proposed_at__gte=membership.joined_at, proposed_at__lte=until)
        if membership.left_at is None:
            seen |= Q(status=PlanVersion.Status.AGREED)
        versions = (
            PlanVersion.objects.filter(seen, relationship_id=membership.relationship_id)
            .prefetch_related("needs", "answers")
            .order_by("proposed_at", "pk")
        )
        return {"repair_plan_versions": [_version(v, user) for v in versions]}

    return part


def delete(user: User) -> None:
    UsualNeeds.objects.filter(user=user).delete()
    PlanAnswer.objects.filter(user=user).delete()
    OfferSetAside.objects.filter(user=user).delete()
    PlanVersion.objects.filter(proposed_by=user).update(proposed_by=None)


gardens.relationship_part(__name__, _plans)
contributions.contribute(__name__, delete=delete)
