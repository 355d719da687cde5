"""Quiet hours: a daily span in the person's own time zone when email and push wait."""

import zoneinfo
from datetime import datetime, time, timedelta

from tend.accounts.models import User
from tend.notify.models import Preference


def preferences_of(user: User) -> Preference:
    """The person's saved choices, or the defaults (unsaved) when they made none."""
    try:
        return user.notify_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _inside(clock: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end  # across midnight, e.g. 22:00-07:00


def quiet_until(user: User, preference: Preference, moment: datetime) -> datetime | None:
    """When the quiet hours around `moment` end, or None if `moment` is not in them."""
    start, end = preference.quiet_start, preference.quiet_end
    if start is None or end is None:
        return None
    zone = zone_of(user)
    local = moment.astimezone(zone)
    if not _inside(local.time().replace(tzinfo=None), start, end):
        return None
    day = local.date()
    if local.time().replace(tzinfo=None) >= end:  # before midnight: they end tomorrow
        day += timedelta(days=1)
    # Built in the zone, so a change of clocks overnight is accounted for.
    return datetime.combine(day, end, tzinfo=zone)


def local_morning(user: User, day: object, hour: int = 9) -> datetime:
    """`hour` o'clock on `day`, in the person's time zone."""
    return datetime.combine(day, time(hour, 0), tzinfo=zone_of(user))  # type: ignore[arg-type]
