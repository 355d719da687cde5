"""A person's own patterns, from their own private data across all their repairs: the
practices they used, how strong things felt before and after, and how long their
steps 1-4 took. Read for the signed-in person only; nothing here names anyone else.

tend records no moment at which each of steps 1-4 ends. What exists: when the person
joined the repair, when each practice started and finished, and when they said they
were ready (the `ready_changed` event they caused, kept in the relationship's log; when
it is missing, the moment step 5 began, when everyone was ready). So steps 1-4 are
measured together, from joining to ready, with the practices' own time beside it.
"""

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from statistics import median

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.accounts.models import User
from tend.live.models import Event
from tend.patterns import svg
from tend.patterns.charts import (
    Chart,
    about,
    day,
    in_unit,
    legend,
    number,
    unit_for,
    usual,
)
from tend.repairs import content
from tend.repairs.events import RepairEvent
from tend.repairs.models import Participation, PracticeSession

INTENSITY_TOP = 10  # the 0-10 scale people answer on

# One practice session: its practice, intensity before and after, start, finish, and
# the participation it belongs to.
type Session = tuple[str, int | None, int | None, datetime, datetime | None, int]


def charts_for(user: User) -> list[Chart]:
    sessions = list(
        PracticeSession.objects.filter(participation__user=user).values_list(
            "practice",
            "intensity_before",
            "intensity_after",
            "started_at",
            "finished_at",
            "participation_id",
        )
    )
    return [practices_used(sessions), before_and_after(sessions), steps_time(user, sessions)]


def _title(key: str) -> str:
    practice = content.get_practice(key)
    return str(practice.title) if practice else _("A practice no longer offered")


def practices_used(sessions: list[Session]) -> Chart:
    title = _("The practices you used")
    used = Counter(key for key, *_rest in sessions)
    if not used:
        return Chart(
            "practices",
            title,
            empty=_("When you try a practice in step 2, it will show here."),
        )
    order = [key for key, _n in used.most_common()]
    labels = [_title(k) for k in order]
    values = tuple(float(used[k]) for k in order)
    summary = (
        _("You turned to %(practice)s most often.") % {"practice": labels[0]}
        if len(order) > 1 and values[0] > values[1]
        else _("You have tried %(count)s.") % {"count": _count_practices(len(order))}
    )
    return Chart(
        "practices",
        title,
        summary=summary,
        drawing=svg.rows(labels, [svg.Series(_("Times"), values)], labelledby="practices-words"),
        head=(_("Practice"), _("Times")),
        rows=tuple((label, number(v)) for label, v in zip(labels, values, strict=True)),
    )


def _count_practices(count: int) -> str:
    return ngettext("%(n)d practice", "%(n)d different practices", count) % {"n": count}


def before_and_after(sessions: list[Session]) -> Chart:
    title = _("How strong it felt, before and after a practice")
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key, said_before, said_after, *_rest in sessions:
        if said_before is not None and said_after is not None:
            pairs[key].append((said_before, said_after))
    if not pairs:
        return Chart(
            "intensity",
            title,
            empty=_(
                "When you say how strong it feels before and after a practice, "
                "you will see here how it went."
            ),
        )
    order = sorted(pairs, key=lambda k: (-len(pairs[k]), _title(k)))
    labels = [_title(k) for k in order]
    befores = tuple(float(median(b for b, _a in pairs[k])) for k in order)
    afters = tuple(float(median(a for _b, a in pairs[k])) for k in order)
    everything = [pair for k in order for pair in pairs[k]]
    before, after = median(b for b, _a in everything), median(a for _b, a in everything)
    words = {"before": number(before), "after": number(after)}
    if after < before:
        summary = _("Usually it went from about %(before)s to about %(after)s, out of 10.")
    elif after == before:
        summary = _("Usually it stayed about the same, around %(before)s out of 10.")
    else:
        summary = _(
            "Usually it went from about %(before)s to about %(after)s, out of 10. "
            "It is fine to stop a practice that does not help."
        )
    series = [svg.Series(_("Before"), befores), svg.Series(_("After"), afters)]
    return Chart(
        "intensity",
        title,
        summary=summary % words,
        drawing=svg.rows(labels, series, labelledby="intensity-words", maximum=INTENSITY_TOP),
        head=(_("Practice"), _("Before"), _("After")),
        rows=tuple(
            (label, number(b), number(a))
            for label, b, a in zip(labels, befores, afters, strict=True)
        ),
        legend=legend(series, bar=True),
        notes=(_("Each number is the usual one, out of 10, when you said both."),),
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
    for *_key, started, finished, participation_id in sessions:
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
