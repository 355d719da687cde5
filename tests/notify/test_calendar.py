"""The calendar file of an agreed time: it parses, in the person's own time zone, with
neutral words."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from tend.repairs import actions
from tests.conftest import Cast
from tests.notify.helpers import agree_plan


def _calendar(client, cast: Cast, plan_id: int) -> Calendar:  # type: ignore[no-untyped-def]
    response = client.get(reverse("plan_calendar", args=[cast.us.pk, cast.repair.pk, plan_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return Calendar.from_ical(response.content)


def test_the_agreed_time_in_the_persons_own_time_zone(cast: Cast, as_user) -> None:
    cast.ben.time_zone = "Asia/Tokyo"
    cast.ben.save()
    ada = actions.participation_of(cast.repair, cast.ada)
    meet_at = datetime(2030, 3, 1, 11, 0, tzinfo=UTC)  # 20:00 in Tokyo
    plan = actions.propose_plan(cast.repair, ada, meet_at, "the bench by the river")
    cast.plan = plan
    agree_plan(cast)

    (event,) = _calendar(as_user(cast.ben), cast, plan.pk).events
    start = event.decoded("dtstart")
    assert start == meet_at
    assert start.tzinfo is not None and str(start.tzinfo) in ("Asia/Tokyo", "JST")
    assert (start.hour, start.minute) == (20, 0)
    assert start.astimezone(ZoneInfo("Asia/Tokyo")).hour == 20
    assert str(event["summary"]) == "Time together (tend)"
    assert str(event["location"]) == "the bench by the river"
    assert str(event["status"]) == "CONFIRMED"
    assert f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/" in str(event["description"])
    assert event.decoded("dtend") - start == __import__("datetime").timedelta(hours=1)


def test_the_words_are_neutral(cast: Cast, as_user) -> None:
    (event,) = _calendar(as_user(cast.ada), cast, cast.plan.pk).events
    link = f"http://127.0.0.1:8000/r/{cast.us.pk}/repairs/{cast.repair.pk}/"
    words = " ".join(
        str(event[name]).replace(link, "<link>") for name in ("summary", "description", "url")
    )
    for word in ("Ada", "Ben", "Us", "repair", "trigger", "hurt", "space"):
        assert word not in words
    assert str(event["status"]) == "TENTATIVE"  # proposed, not yet agreed


def test_a_replaced_time_has_no_file(cast: Cast, as_user) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    actions.propose_plan(cast.repair, ada, datetime(2030, 1, 1, tzinfo=UTC), "")
    response = as_user(cast.ada).get(
        reverse("plan_calendar", args=[cast.us.pk, cast.repair.pk, cast.plan.pk])
    )
    assert response.status_code == 404


def test_a_plan_of_another_relationship_is_not_found(cast: Cast, as_user) -> None:
    from tend.repairs.models import Repair

    theirs = actions.open_repair(cast.dee, cast.dees, Repair.Opening.HURT)
    plan = actions.propose_plan(
        theirs, actions.participation_of(theirs, cast.dee), datetime(2030, 1, 1, tzinfo=UTC), ""
    )
    url = reverse("plan_calendar", args=[cast.us.pk, cast.repair.pk, plan.pk])
    assert as_user(cast.ada).get(url).status_code == 404


def test_the_notifications_page_offers_the_file_for_an_agreed_time(cast: Cast, as_user) -> None:
    before = as_user(cast.ben).get("/notifications/").content.decode()
    assert "Add to your calendar" not in before  # only proposed, and ben has not joined
    agree_plan(cast)
    url = reverse("plan_calendar", args=[cast.us.pk, cast.repair.pk, cast.plan.pk])
    for person in (cast.ada, cast.ben):
        page = as_user(person).get("/notifications/").content.decode()
        assert f'href="{url}"' in page
    assert "Add to your calendar" not in as_user(cast.cy).get("/notifications/").content.decode()


def test_an_id_past_the_largest_the_database_holds_is_not_found(cast: Cast, as_user) -> None:
    # Found by the fuzz: a repair id of 2**63 reached SQLite, which cannot hold it (a 500).
    huge = 2**63
    for args in ([cast.us.pk, huge, cast.plan.pk], [cast.us.pk, cast.repair.pk, huge]):
        assert as_user(cast.ada).get(reverse("plan_calendar", args=args)).status_code == 404
