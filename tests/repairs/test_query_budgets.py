"""Query budgets of the hot views and moves: what a page or a move costs in queries
stays within a stated number, so a loop of one-row reads cannot creep back in.

Each budget is the count measured when it was set (SQLite and PostgreSQL alike) with
one or two queries of room; raise one only with a reason. Before these budgets, in the
same situation: the repair page 28, the stage 27, a redraw 28, a step-5 move 50."""

import pytest
from django.urls import reverse

from tests.conftest import Cast, client_for
from tests.repairs.test_together_flow import Room, first, ready_room

HTMX = {"HX-Request": "true"}
REDRAW = {"HX-Request": "true", "HX-Target": "div#repair-screen"}


@pytest.fixture
def room(cast: Cast) -> Room:
    """Two people in step 5, listening: ada speaks, ben reflects."""
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    room.everyone("done")
    room.move("ada", "propose", text="the kitchen table", choice="indoors")
    room.move("ben", "accept", proposal=first(room.stage("ben"), "proposal"))
    room.move("ben", "propose", text="Find our way back to trust.")
    room.move("ada", "accept", proposal=first(room.stage("ada"), "proposal"))
    room.everyone("done")
    room.everyone("done")
    room.move("ada", "first-speaker", speaker=room.ids["ada"])
    return room


def test_the_relationship_page(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for(cast.ada)
    url = reverse("relationship", args=[cast.us.pk])
    client.get(url)  # the session's first-request bookkeeping, out of the count
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "headers", "budget"),
    [
        ("repair", {}, 20),
        ("repair_stage", HTMX, 19),
        ("repair", REDRAW, 20),  # the whole-screen redraw on every live event
    ],
    ids=["repair-page", "stage-fragment", "redraw"],
)
def test_reading_the_repair_in_step_five(  # type: ignore[no-untyped-def]
    room: Room, name: str, headers: dict[str, str], budget: int, django_assert_max_num_queries
) -> None:
    ben = room.clients["ben"]
    with django_assert_max_num_queries(budget):
        assert ben.get(room.url(name), headers=headers).status_code == 200


def test_a_step_five_move_and_its_redraw(room: Room, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    ben = room.clients["ben"]
    turn = first(room.stage("ben"), "turn")
    data = {"phase": "listening", "turn": turn, "heard": "You felt alone."}
    with django_assert_max_num_queries(42):
        response = ben.post(room.url("repair_move", "reflect"), data, headers=REDRAW)
    assert response.status_code == 200
