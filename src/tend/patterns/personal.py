"""A person's own patterns, from their own data across all their repairs: how long their
steps 1-4 took (the practices they used and how strong things felt are sealed on their
device, see `sealed_practices`). Read for the signed-in person only; nothing here names anyone else.

tend records no moment at which each of steps 1-4 ends. What exists: when the person
joined the repair, when each practice started and finished, and when they said they
were ready (the `ready_changed` event they caused, kept in the relationship's log; when
it is missing, the moment step 5 began, when everyone was ready). So steps 1-4 are
measured together, from joining to ready, with the practices' own time beside it.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.live.models import Event
from tend.patterns import svg
from tend.patterns.charts import (
    Chart,
    about,
    day,
    in_unit,
    unit_for,
    usual,
)
from tend.repairs import content
from tend.repairs.events import RepairEvent
from tend.repairs.models import Participation, PracticeSession

# One practice session, as the server can read it: start, finish, and the participation
# it belongs to. Which practice, and how strong things felt before and after, are sealed
# on the person's device (`tend.core.e2e`): the server cannot read them, so it does not
# draw them.
type Session = tuple[datetime, datetime | None, int]


def charts_for(user: User) -> list[Chart]:
    sessions = list(
        PracticeSession.objects.filter(participation__user=user).values_list(
            "started_at", "finished_at", "participation_id"
        )
    )
    return [sealed_practices(), steps_time(user, sessions)]


def sealed_sessions(user: User) -> list[dict[str, str]]:
    """The person's OWN practice sessions as the server holds them: ciphertext only, with
    the additional data each was sealed with, for their device to open and draw
    (`static/tend/js/patterns-private.js`). Never anyone else's."""
    rows = (
        PracticeSession.objects.filter(participation__user=user)
        .exclude(before="")
        .order_by("started_at", "pk")
        .values_list("before", "after", "participation__repair_id")
    )
    return [
        {"before": before, "after": after, "aad": f"{user.pk}:practice:repair-{repair_id}"}
        for before, after, repair_id in rows
    ]


def practice_titles() -> dict[str, str]:
    return {p.key: str(p.title) for p in content.PRACTICES}


def sealed_practices() -> Chart:
    return Chart(
        "practices",
        _("The practices you used, and how strong it felt"),
        empty=_(
            "Which practices you used and how strong things felt are sealed on your own "
            "device, so the server cannot draw them here."
        ),
    )


def steps_time(user: User, sessions: list[Session]) -> Chart:
    title = _("How long your steps 1 to 4 took")
    # (participation, repair, joined, step 5 began), for each repair that reached step 5.
    joined = [
        (pk, repair_id, joined_at, together_at)
        for pk, repair_id, joined_at, together_at in Participation.objects.filter(
            user=user,
            status=Participation.Status.JOINED,
            joined_at__isnull=False,
            repair__together_at__isnull=False,
        )
        .order_by("joined_at", "pk")
        .values_list("pk", "repair_id", "joined_at", "repair__together_at")
        if joined_at is not None and together_at is not None
    ]
    if not joined:
        return Chart(
            "steps",
            title,
            empty=_("Once you have gone through steps 1 to 4 of a repair, it will show here."),
        )
    # When they said they were ready: their last "ready" before step 5 began.
    together = {repair_id: at for _p, repair_id, _j, at in joined}
    ready: dict[int, datetime] = {}
    said = Event.objects.filter(
        actor=user, kind=RepairEvent.READY_CHANGED, repair_id__in=list(together)
    ).values_list("repair_id", "created_at")
    for repair_id, at in said:
        if (
            repair_id is not None
            and at <= together[repair_id]
            and at > ready.get(repair_id, at - timedelta(1))
        ):
            ready[repair_id] = at
    practising: dict[int, timedelta] = defaultdict(timedelta)
    for started, finished, participation_id in sessions:
        if finished is not None:
            practising[participation_id] += finished - started
    durations: list[timedelta] = []
    for _pk, repair_id, joined_at, together_at in joined:
        end = ready.get(repair_id, together_at)
        durations.append(max(end - joined_at, timedelta(0)))
    unit = unit_for(durations)
    summary = _("From joining a repair to feeling ready usually took you %(time)s.") % {
        "time": about(usual(durations))
    }
    practice_times = [practising[pk] for pk, *_rest in joined if practising[pk]]
    if practice_times:
        summary += " " + _("Your practices in step 2 usually took %(time)s of that.") % {
            "time": about(usual(practice_times))
        }
    labels = [day(joined_at) for _p, _r, joined_at, _t in joined]
    return Chart(
        "steps",
        title,
        summary=summary,
        drawing=svg.dots(
            labels,
            [svg.Series(unit.name, tuple(in_unit(d, unit) for d in durations))],
            labelledby="steps-words",
        ),
        head=(_("Repair"), _("Joining to ready"), _("Practices")),
        rows=tuple(
            (label, about(d), about(practising[pk]) if practising[pk] else "—")
            for label, d, (pk, *_rest) in zip(labels, durations, joined, strict=True)
        ),
        notes=(
            _("The scale is in %(unit)s.") % {"unit": unit.name},
            _(
                "tend does not note when each step ends, so this counts from when you "
                "joined the repair until you said you were ready."
            ),
        ),
    )
