"""The agreed time to come back together reads as a time, in each person's own zone."""

import zoneinfo
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from tend.repairs import actions
from tend.repairs.templatetags.repair_tags import meeting_time
from tests.conftest import Cast, client_for


def _shown(moment: datetime, zone: str) -> str:
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    year = f" {local.year}" if local.year != timezone.now().astimezone(local.tzinfo).year else ""
    return f"{local:%A} {local.day} {local:%B}{year} at {local:%H:%M}"


def test_the_time_has_its_hour_and_a_year_only_when_not_this_one() -> None:
    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        this_year = timezone.localtime().replace(month=6, day=1, hour=9, minute=5)
        assert meeting_time(this_year) == f"{this_year:%A} 1 June at 09:05"
        later = this_year.replace(year=this_year.year + 1)
        assert meeting_time(later) == f"{later:%A} 1 June {later.year} at 09:05"


def test_each_person_sees_the_agreed_time_in_their_own_zone(cast: Cast) -> None:
    cast.ada.time_zone, cast.ben.time_zone = "America/New_York", "Pacific/Auckland"
    cast.ada.save(update_fields=["time_zone"])
    cast.ben.save(update_fields=["time_zone"])
    repair = cast.repair
    ben = actions.participation_of(repair, cast.ben)
    actions.join(repair, ben)
    actions.accept_plan(repair, ben, cast.plan)
    for user in (cast.ada, cast.ben):
        actions.mark_ready(repair, actions.participation_of(repair, user), True)
    meet_at = cast.plan.meet_at
    for user in (cast.ada, cast.ben):
        client = client_for(user)
        args = [cast.us.pk, repair.pk]
        shown = _shown(meet_at, user.time_zone)
        page = client.get(reverse("repair", args=args)).content.decode()
        assert f"Agreed:</strong> {shown}" in page
        stage = client.get(reverse("repair_stage", args=args)).content.decode()
        assert f"You agreed to meet on {shown};" in stage
