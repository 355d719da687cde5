"""What a repair takes from the relationship's plan (`tend.plans`), made in calm times.

Step 1: the person's usual needs, with the plan's places, are one tap each (they post
the ordinary step-1 form, so the same rules and actions apply). Step 5: the plan's
standing agreements are there from the start, marked as the plan's; its preferred
ways to rebond come first. Plans sits below repairs, so repairs gives it the needs
and ways to choose from, and says when a relationship has come through a repair.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.plans import actions as plans
from tend.plans import catalogue
from tend.repairs import content
from tend.repairs.models import AgreementItem, Participation, Repair

# The key of an agreement that came from the plan (the defaults' keys are their own).
FROM_PLAN = "from_plan"
# When the plan says no usual time, a space of half an hour is offered.
USUAL_MINUTES = 30


def _repaired() -> Exists:
    """Over a relationship's row (`OuterRef("pk")`): has it come through a repair?"""
    return Exists(Repair.objects.filter(relationship=OuterRef("pk"), stage=Repair.Stage.COMPLETED))


def offer_choices() -> None:
    """Called from `RepairsConfig.ready`: what a plan may choose from (not "in your own
    words": a plan keeps no such need or way), and when the offer to make one appears."""
    catalogue.offer(
        needs=[catalogue.Choice(n.key, n.label) for n in content.NEEDS if not n.own_words],
        rebond_ways=[
            catalogue.Choice(w.key, w.label) for w in content.REBOND_WAYS if not w.own_words
        ],
        repaired=_repaired,
    )


@dataclass(frozen=True)
class OneTap:
    """A filled-in step-1 form: the need, and with space, when and where to meet."""

    label: str
    need: str
    meet_at: str = ""
    place: str = ""


def one_taps(repair: Repair, participation: Participation) -> list[OneTap]:
    plan = plans.agreed(repair.relationship_id)
    if plan is None or participation.user_id is None:
        return []
    own = plan.needs.filter(user_id=participation.user_id).first()
    if own is None:
        return []
    needs = {n.key: n for n in content.NEEDS}
    meet_at = timezone.localtime(timezone.now() + timedelta(minutes=own.minutes or USUAL_MINUTES))
    taps = []
    for key in own.needs:
        need = needs.get(key)
        if need is None or need.own_words:
            continue
        if not need.asks_for_plan:
            taps.append(OneTap(str(need.label), need.key))
            continue
        when = meet_at.strftime("%Y-%m-%dT%H:%M")
        for place in plan.place_lines or [""]:
            label = _("%(need)s, until %(time)s") % {
                "need": need.label,
                "time": meet_at.strftime("%H:%M"),
            }
            if place:
                label = _("%(need)s, then %(place)s") % {"need": label, "place": place}
            taps.append(OneTap(label, need.key, when, place))
    return taps


def add_agreements(repair: Repair) -> None:
    """As step 5 begins: the plan's standing agreements join the defaults, already
    there for everyone to accept like the others."""
    plan = plans.agreed(repair.relationship_id)
    if plan is not None:
        AgreementItem.objects.bulk_create(
            AgreementItem(repair=repair, key=FROM_PLAN, text=line) for line in plan.agreement_lines
        )


def agreement_texts(agreements: QuerySet[AgreementItem]) -> set[str]:
    """The texts of the agreements that came from the plan, to mark them as such."""
    return {item.text for item in agreements if item.key == FROM_PLAN}


def rebond_ways(
    repair: Repair, offered: Sequence[content.RebondWay] = content.REBOND_WAYS
) -> tuple[list[content.RebondWay], set[str]]:
    """The ways to rebond offered (together or apart: the machine says which), the
    plan's preferred ones first; and which those are."""
    plan = plans.agreed(repair.relationship_id)
    preferred = list(plan.rebond_ways) if plan is not None else []
    order = {key: index for index, key in enumerate(preferred)}
    ways = sorted(offered, key=lambda w: order.get(w.key, len(order)))
    return ways, set(preferred)
