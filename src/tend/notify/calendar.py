"""A calendar file for a time to come back together, in neutral words.

The summary says only "Time together (tend)"; the place is there because the person
downloads the file for themselves, to see where. No names, no relationship, nothing
anyone wrote besides the place.
"""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tend.repairs.models import ReconvenePlan

DURATION = timedelta(hours=1)


def ics(plan: ReconvenePlan, relationship_id: int, zone: zoneinfo.ZoneInfo) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//tend//reconvene//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    # Stable per plan: saving a file again updates the one entry rather than adding one.
    event.add("uid", f"tend-plan-{plan.pk}@{settings.SITE_ORIGIN.split('//', 1)[-1]}")
    event.add("dtstamp", timezone.now())
    # In the person's own time zone (described in the file), as they agreed it.
    event.add("dtstart", plan.meet_at.astimezone(zone))
    event.add("dtend", (plan.meet_at + DURATION).astimezone(zone))
    event.add("summary", _("Time together (tend)"))
    if plan.place:
        event.add("location", plan.place)
    link = settings.SITE_ORIGIN + reverse("repair", args=[relationship_id, plan.repair_id])
    event.add("description", _("Open tend when it is time: %(link)s") % {"link": link})
    event.add("url", link)
    status = "CONFIRMED" if plan.status == ReconvenePlan.Status.AGREED else "TENTATIVE"
    event.add("status", status)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
