"""Reading never writes: no GET of a repair's pages changes the database, for anyone.

A GET that wrote would take SQLite's write lock on a read, and would tell the others
that someone looked. The session's own bookkeeping (the session row, the device list,
kept by `accounts`' middleware at most once a minute) is not the page's doing and is
left out here; `tests/accounts` covers it.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tend.gardens import actions as garden_actions
from tests.conftest import Cast, client_for, feel_safe
from tests.sealed import sealed
from tests.test_access import PEOPLE, ROUTES

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
SESSION_TABLES = {"django_session", "accounts_devicesession"}
REPAIR_PAGES = sorted(
    name
    for name, route in ROUTES.items()
    if (name.startswith("repair") or name == "relationship_repair")
    and not route.streaming
    and name != "repair_open"
)
HTMX = {"HX-Request": "true"}
REDRAW = {"HX-Request": "true", "HX-Target": "div#repair-screen"}


def writes(queries: CaptureQueriesContext) -> list[str]:
    found = []
    for query in queries.captured_queries:
        match = WRITE.match(query["sql"])
        if match and match.group(2).lower() not in SESSION_TABLES:
            found.append(query["sql"][:200])
    return found


@pytest.mark.parametrize("headers", [{}, HTMX, REDRAW], ids=["page", "htmx", "redraw"])
@pytest.mark.parametrize("route_name", REPAIR_PAGES)
def test_no_get_of_a_repair_page_writes(cast: Cast, route_name: str, headers: dict) -> None:
    route = ROUTES[route_name]
    url = route.url(cast)
    for person in PEOPLE:
        client = client_for(cast.people()[person])
        client.get("/")  # the session's own first-request bookkeeping, out of the way
        with CaptureQueriesContext(connection) as queries:
            client.get(url, headers=headers)
        assert not writes(queries), f"{person} GET {url} wrote: {writes(queries)}"


def test_a_member_who_came_later_can_read_the_repair_and_join_it(cast: Cast) -> None:
    """cy joins "Us" after the repair opened: reading it makes no part for her; her
    first move does."""
    garden_actions.accept_invitation(cast.cy, garden_actions.create_invitation(cast.ada, cast.us))
    feel_safe(cast.us, cast.cy)
    cy = client_for(cast.cy)
    base = f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/"
    for path in ("", "together/"):
        assert cy.get(base + path).status_code == 200
    assert not cast.repair.participations.filter(user=cast.cy).exists()
    assert cy.post(base + "join/").status_code == 302
    assert cast.repair.participations.get(user=cast.cy).joined


def test_where_a_person_is_is_recorded_by_their_moves_not_by_reading(cast: Cast) -> None:
    from tend.repairs.models import Participation

    Step = Participation.Step
    ada = client_for(cast.ada)
    base = f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/"
    mine = cast.repair.participations.get(user=cast.ada)

    page = ada.get(base + "honor/").content.decode()
    assert 'aria-current="step">3.' in page  # drawn as being there ...
    mine.refresh_from_db()
    assert mine.step == Step.ACKNOWLEDGE  # ... but reading recorded nothing
    ada.post(base + "answers/honor:what_hurts/", {"text": sealed()})
    mine.refresh_from_db()
    assert mine.step == Step.HONOR  # writing there did
    assert ada.get(base).content.decode().count(f'href="{base}honor/"') >= 1  # "Continue"
    ada.post(base + "ready/", {"ready": "no"})
    mine.refresh_from_db()
    assert mine.step == Step.REFLECT
