"""What a chart on a patterns page is made of, and the small helpers both pages share:
months, durations said in words, the usual (middle) value."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.patterns import svg


@dataclass(frozen=True)
class Chart:
    """One figure: a title, a sentence in words (the chart's name for a screen reader),
    the drawing, and the same numbers as a table. `empty` replaces all of it, in kind
    words, when there is nothing to show yet."""

    key: str
    title: str
    summary: str = ""
    drawing: SafeString | None = None
    head: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    legend: tuple[tuple[SafeString, str], ...] = ()
    empty: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def legend(series: Sequence[svg.Series], *, bar: bool) -> tuple[tuple[SafeString, str], ...]:
    return tuple((svg.swatch(k, bar=bar), one.name) for k, one in enumerate(series))


def last_months(count: int = 12) -> list[date]:
    """The first day of each of the last `count` months, this one last, in the person's
    own time zone (the middleware activates it)."""
    today = timezone.localdate()
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_of(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def month_end(month: date) -> datetime:
    """The first moment after `month`, in the current time zone."""
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return timezone.make_aware(datetime(following.year, following.month, 1))


def short_month(month: date) -> str:
    return date_format(month, "M")


def long_month(month: date) -> str:
    return date_format(month, "F Y")


def day(moment: datetime) -> str:
    # Translators: a date format (Django's `date` filter letters), e.g. German "j. M".
    return date_format(timezone.localtime(moment), _("j M"))


def usual(durations: Sequence[timedelta]) -> timedelta:
    """The middle one: what it usually takes, without one long time pulling it along."""
    return timedelta(seconds=median(d.total_seconds() for d in durations))


@dataclass(frozen=True)
class Unit:
    seconds: int
    name: str  # for the scale and the table's head


def unit_for(durations: Sequence[timedelta]) -> Unit:
    """Minutes, hours or days: whichever keeps the numbers small and plain."""
    longest = max((d.total_seconds() for d in durations), default=0)
    if longest < 2 * 3600:
        return Unit(60, _("minutes"))
    if longest < 3 * 86400:
        return Unit(3600, _("hours"))
    return Unit(86400, _("days"))


def in_unit(duration: timedelta, unit: Unit) -> float:
    return round(duration.total_seconds() / unit.seconds, 1)


def about(duration: timedelta) -> str:
    """A duration in words, rounded as a person would say it."""
    minutes = round(duration.total_seconds() / 60)
    if minutes < 1:
        return _("less than a minute")
    if 55 <= minutes < 90:
        return _("about an hour")
    if minutes < 55:
        return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("about %(n)d hour", "about %(n)d hours", hours) % {"n": hours}
    days = round(hours / 24)
    return ngettext("about %(n)d day", "about %(n)d days", days) % {"n": days}


def number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def and_list(words: Sequence[str]) -> str:
    """ "March", "March and May", "March, May and June"."""
    if len(words) < 2:
        return "".join(words)
    return _("%(some)s and %(last)s") % {"some": ", ".join(words[:-1]), "last": words[-1]}
