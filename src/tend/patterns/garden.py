"""The relationship's shared patterns, for one member: only the repairs that member may
see (`repairs.visibility.past_repairs_seen_by`, and the open one), only what was shared
in them, and never a word anyone wrote (counts, dates and statuses only)."""

from collections import Counter
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.gardens.models import Membership
from tend.patterns import svg
from tend.patterns.charts import (
    Chart,
    about,
    and_list,
    day,
    in_unit,
    last_months,
    legend,
    long_month,
    month_end,
    month_of,
    number,
    short_month,
    unit_for,
    usual,
)
from tend.repairs import content
from tend.repairs.models import (
    Commitment,
    CommitmentRevision,
    NeedRequest,
    Participation,
    Repair,
)
from tend.repairs.visibility import past_repairs_seen_by

NEED_LABELS = {need.key: need.label for need in content.NEEDS}
MOST_REBONDS = 12  # the newest completed repairs the timing chart shows


def repairs_seen(membership: Membership) -> list[Repair]:
    """The repairs this member's charts count: the past ones they may see, and the open
    one by the same rule (opened since they joined, or joined by them), so a repair
    counts the same before and after it ends."""
    fields = ("id", "stage", "opened_at", "completed_at")
    past = past_repairs_seen_by(membership).only(*fields)
    open_one = Repair.objects.open().filter(
        Q(opened_at__gte=membership.joined_at)
        | Q(
            participations__user_id=membership.user_id,
            participations__status=Participation.Status.JOINED,
        ),
        relationship_id=membership.relationship_id,
    )
    return sorted({*past, *open_one.only(*fields)}, key=lambda r: (r.opened_at, r.pk))


def charts_for(membership: Membership) -> list[Chart]:
    repairs = repairs_seen(membership)
    ids = [r.pk for r in repairs]
    return [
        repairs_per_month(repairs),
        time_to_rebond(repairs),
        needs_asked(ids),
        commitments_over_time(membership, ids),
    ]


def repairs_per_month(repairs: list[Repair]) -> Chart:
    months = last_months()
    counts = Counter(month_of(r.opened_at) for r in repairs)
    values = tuple(float(counts[m]) for m in months)
    title = _("Repairs, month by month")
    total = int(sum(values))
    if not total:
        return Chart(
            "repairs",
            title,
            empty=_("No repairs in the last twelve months. When one comes, it will show here."),
        )
    most = max(values)
    busiest = [long_month(m) for m, v in zip(months, values, strict=True) if v == most]
    summary = ngettext(
        "%(total)d repair in the last twelve months.",
        "%(total)d repairs in the last twelve months.",
        total,
    ) % {"total": total}
    if total > 1:
        summary += " " + _("Most came in %(months)s.") % {"months": and_list(busiest)}
    series = [svg.Series(_("Repairs"), values)]
    return Chart(
        "repairs",
        title,
        summary=summary,
        drawing=svg.columns([short_month(m) for m in months], series, labelledby="repairs-words"),
        head=(_("Month"), _("Repairs")),
        rows=tuple((long_month(m), number(v)) for m, v in zip(months, values, strict=True)),
    )


def time_to_rebond(repairs: list[Repair]) -> Chart:
    ends = {
        r: r.completed_at
        for r in repairs
        if r.stage == Repair.Stage.COMPLETED and r.completed_at is not None
    }
    done = sorted(ends, key=lambda r: ends[r])[-MOST_REBONDS:]
    title = _("From opening a repair to rebonding")
    if not done:
        return Chart(
            "rebond",
            title,
            empty=_(
                "Once you have come all the way through a repair together, "
                "how long it took will show here."
            ),
        )
    durations = [ends[r] - r.opened_at for r in done]
    unit = unit_for(durations)
    values = tuple(in_unit(d, unit) for d in durations)
    if len(done) == 1:
        summary = _("Your one repair so far took %(time)s from opening to rebonding.")
    else:
        summary = _("Coming back together usually took %(time)s from opening to rebonding.")
    summary %= {"time": about(usual(durations))}
    series = [svg.Series(unit.name, values)]
    return Chart(
        "rebond",
        title,
        summary=summary,
        drawing=svg.dots([day(r.opened_at) for r in done], series, labelledby="rebond-words"),
        head=(_("Opened"), _("Time to rebond")),
        rows=tuple((day(r.opened_at), about(d)) for r, d in zip(done, durations, strict=True)),
        notes=(_("The scale is in %(unit)s.") % {"unit": unit.name},),
    )


def needs_asked(repair_ids: list[int]) -> Chart:
    # Only the need's key: never the own words someone gave with it.
    asked = Counter(
        NeedRequest.objects.filter(repair_id__in=repair_ids).values_list("need", flat=True)
    )
    title = _("What you asked each other for in step 1")
    if not asked:
        return Chart(
            "needs",
            title,
            empty=_("When you ask each other for what helps you settle, it will show here."),
        )
    order = [n.key for n in content.NEEDS if asked[n.key]]
    order += sorted(k for k in asked if k not in NEED_LABELS)  # a need no longer offered
    labels = [str(NEED_LABELS.get(k, _("Something else"))) for k in order]
    values = tuple(float(asked[k]) for k in order)
    most = max(values)
    often = [label for label, v in zip(labels, values, strict=True) if v == most]
    summary = (
        _("%(needs)s came up most often.") % {"needs": and_list(often)}
        if len(order) > 1
        else _("%(need)s is what you asked for.") % {"need": labels[0]}
    )
    series = [svg.Series(_("Times asked"), values)]
    return Chart(
        "needs",
        title,
        summary=summary,
        drawing=svg.rows(labels, series, labelledby="needs-words"),
        head=(_("Need"), _("Times asked")),
        rows=tuple((label, number(v)) for label, v in zip(labels, values, strict=True)),
    )


STATUSES = (Commitment.Status.ACTIVE, Commitment.Status.KEPT, Commitment.Status.LET_GO)


def commitments_over_time(membership: Membership, repair_ids: list[int]) -> Chart:
    """At the end of each month, how many commitments stood where: from each one's
    history of revisions. Only those of repairs this member may see, and those made
    outside a repair since they joined."""
    seen = Q(repair_id__in=repair_ids) | Q(
        repair__isnull=True, created_at__gte=membership.joined_at
    )
    made = dict(
        Commitment.objects.filter(seen, relationship_id=membership.relationship_id).values_list(
            "id", "created_at"
        )
    )
    title = _("Commitments, month by month")
    if not made:
        return Chart(
            "commitments",
            title,
            empty=_("Commitments you make when you come back together will show here."),
        )
    history: dict[int, list[tuple[datetime, str]]] = {pk: [] for pk in made}
    for pk, status, at in (
        CommitmentRevision.objects.filter(commitment_id__in=list(made))
        .order_by("edited_at", "pk")
        .values_list("commitment_id", "status", "edited_at")
    ):
        history[pk].append((at, status))
    months = last_months()
    counts = [_standing(made, history, month_end(m)) for m in months]
    series = [svg.Series(str(s.label), tuple(float(c[s]) for c in counts)) for s in STATUSES]
    now = counts[-1]
    summary = _("Now: %(active)s, %(kept)s, %(let_go)s.") % {
        "active": ngettext("%d being worked on", "%d being worked on", now[STATUSES[0]])
        % now[STATUSES[0]],
        "kept": ngettext("%d done", "%d done", now[STATUSES[1]]) % now[STATUSES[1]],
        "let_go": ngettext("%d let go of", "%d let go of", now[STATUSES[2]]) % now[STATUSES[2]],
    }
    return Chart(
        "commitments",
        title,
        summary=summary,
        drawing=svg.dots([short_month(m) for m in months], series, labelledby="commitments-words"),
        head=(_("Month"), *(str(s.label) for s in STATUSES)),
        rows=tuple(
            (long_month(m), *(str(c[s]) for s in STATUSES))
            for m, c in zip(months, counts, strict=True)
        ),
        legend=legend(series, bar=False),
    )


def _standing(
    made: dict[int, datetime], history: dict[int, list[tuple[datetime, str]]], until: datetime
) -> Counter[str]:
    """How many commitments stood in each status just before `until`."""
    until = min(until, timezone.now())
    standing: Counter[str] = Counter()
    for pk, created in made.items():
        if created >= until:
            continue
        status: str = Commitment.Status.ACTIVE
        for at, revised in history[pk]:
            if at >= until:
                break
            status = revised
        standing[status] += 1
    return standing
