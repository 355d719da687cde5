"""A plan version as people read it: labels for keys, names for members, no ids."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.plans import catalogue
from tend.plans.forms import DURATIONS
from tend.plans.models import PlanVersion

_DURATION_LABELS = {value: label for value, label in DURATIONS if value}


@dataclass(frozen=True)
class PersonNeeds:
    name: str
    needs: list[str]
    how_long: str


@dataclass(frozen=True)
class Answer:
    name: str
    agrees: bool
    answered_at: object


@dataclass(frozen=True)
class Shown:
    version: PlanVersion
    proposed_by: str
    people: list[PersonNeeds]
    rebond_ways: list[str]
    answers: list[Answer]
    waiting_for: list[str]


def _name(user: User | None) -> str:
    return user.display_name if user is not None else _("Someone who left")


def shown(version: PlanVersion, members: list[User]) -> Shown:
    """The version with each current member's usual needs; answers of anyone who ever
    answered (its history), and who is still to answer while it waits."""
    by_user = {n.user_id: n for n in version.needs.all()}
    people = []
    for member in members:
        own = by_user.get(member.pk)
        if own is None or not (own.needs or own.minutes):
            continue
        people.append(
            PersonNeeds(
                member.display_name,
                catalogue.labels(catalogue.needs(), own.needs),
                str(_DURATION_LABELS.get(str(own.minutes), "")),
            )
        )
    answers = list(version.answers.select_related("user"))
    answered = {a.user_id for a in answers}
    waiting = (
        [m.display_name for m in members if m.pk not in answered]
        if version.status == PlanVersion.Status.PENDING
        else []
    )
    return Shown(
        version,
        _name(version.proposed_by),
        people,
        catalogue.labels(catalogue.rebond_ways(), version.rebond_ways),
        [Answer(_name(a.user), a.agrees, a.answered_at) for a in answers],
        waiting,
    )
