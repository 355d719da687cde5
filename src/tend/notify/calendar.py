"""A calendar file for a time to come back together, in neutral words.

The summary says only "Time together (tend)"; the place is there because the person
downloads the file for themselves, to see where. No names, no relationship, nothing
anyone wrote besides the place. The app that owns the time (repairs) asks for it.
"""

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# icalendar (with python-dateutil) is imported where a file is made: the URLs import
# this module, and it would otherwise lengthen every start of `tend serve`.

DURATION = timedelta(hours=1)


def ics(
    *,
    uid: str,
    start: datetime,
    place: str,
    path: str,
    confirmed: bool,
    zone: zoneinfo.ZoneInfo,
    language: str,
) -> bytes:
    """`uid` names the time for good (saving a file again updates the one entry rather
    than adding one); `path` is the page to open in tend when it is time; `language` is
    the person's own (its words are in it)."""
    with translation.override(language):
        return _ics(uid=uid, start=start, place=place, path=path, confirmed=confirmed, zone=zone)


def _ics(
    *, uid: str, start: datetime, place: str, path: str, confirmed: bool, zone: zoneinfo.ZoneInfo
) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//tend//reconvene//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"tend-{uid}@{settings.SITE_ORIGIN.split('//', 1)[-1]}")
    event.add("dtstamp", timezone.now())
    # In the person's own time zone (described in the file), as they agreed it.
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", (start + DURATION).astimezone(zone))
    event.add("summary", _("Time together (tend)"))
    if place:
        event.add("location", place)
    link = settings.SITE_ORIGIN + path
    event.add("description", _("Open tend when it is time: %(link)s") % {"link": link})
    event.add("url", link)
    event.add("status", "CONFIRMED" if confirmed else "TENTATIVE")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def response(content: bytes) -> HttpResponse:
    """The file as a download."""
    answer = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = 'attachment; filename="tend-time-together.ics"'
    return answer
