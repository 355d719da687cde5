"""After a repair is completed (or closed) the relationship offers the next one, and
everyone who opens one then meets in the same new repair."""

from django.test import Client
from django.urls import reverse

from tend.repairs.models import OPEN_STAGES, Repair
from tests.conftest import Cast, client_for
from tests.repairs.test_together_flow import Room, first, ready_room


def to_requests(room: Room) -> None:
    """Two people from the start of step 5 to its needs and requests."""
    room.everyone("done")  # considerations
    room.move("ada", "propose", text="the kitchen table", choice="indoors")
    room.move("ben", "accept", proposal=first(room.stage("ben"), "proposal"))
    room.move("ben", "propose", text="Find our way back.")
    room.move("ada", "accept", proposal=first(room.stage("ada"), "proposal"))
    room.everyone("done")  # agreements
    room.everyone("done")  # tips
    room.move("ada", "first-speaker", speaker=room.ids["ada"])
    room.move("ben", "reflect", turn=first(room.stage("ben"), "turn"), heard="You felt alone.")
    room.move(
        "ada", "answer-reflection", reflection=first(room.stage("ada"), "reflection"), heard="yes"
    )
    room.move("ada", "reflect", turn=first(room.stage("ada"), "turn"), said_aloud="on")
    room.move(
        "ben", "answer-reflection", reflection=first(room.stage("ben"), "reflection"), heard="yes"
    )
    assert room.phase == "requests"


def complete(room: Room) -> None:
    """Two people through step 5 by the shortest honest path."""
    to_requests(room)
    room.everyone("done")  # requests
    room.everyone("clear", clear="yes")
    room.move("ada", "propose", choice="long_hug")
    room.move("ben", "accept", proposal=first(room.stage("ben"), "proposal"))
    room.everyone("rebonded")
    room.repair.refresh_from_db()
    assert room.repair.stage == Repair.Stage.COMPLETED
    summary = room.stage("ada")
    assert "How long it took" in summary and "less than a minute" in summary
    assert "Everyone who joined is ready" not in summary


def relationship_page(client: Client, cast: Cast) -> str:
    response = client.get(reverse("relationship", args=[cast.us.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_open_stages_are_every_stage_but_the_two_endings() -> None:
    ended = {Repair.Stage.COMPLETED, Repair.Stage.CLOSED}
    assert set(OPEN_STAGES) == set(Repair.Stage.values) - ended


def test_open_complete_and_open_again_three_times(cast: Cast) -> None:
    ada, ben = client_for(cast.ada), client_for(cast.ben)
    repair = cast.repair
    seen = {repair.pk}
    for opener, client, other in (("Ben", ben, ada), ("Ada", ada, ben), ("Ben", ben, ada)):
        cast.repair = repair
        complete(ready_room(cast, {"ada": cast.ada, "ben": cast.ben}))
        for page in (relationship_page(ada, cast), relationship_page(ben, cast)):
            assert "A repair is open" not in page
            assert 'name="opening" value="hurt"' in page
        response = client.post(reverse("repair_open", args=[cast.us.pk]), {"opening": "hurt"})
        assert response.status_code == 302
        repair = Repair.objects.open().get(relationship=cast.us)
        assert repair.pk not in seen
        seen.add(repair.pk)
        assert relationship_page(client, cast).count("You opened it.") == 1
        page = relationship_page(other, cast)
        assert "A repair is open" in page and f"{opener} opened it." in page
        assert reverse("repair", args=[cast.us.pk, repair.pk]) in page
        # The other pressing too joins the same repair rather than failing.
        response = other.post(reverse("repair_open", args=[cast.us.pk]), {"opening": "triggered"})
        assert response.status_code == 302
        assert Repair.objects.open().filter(relationship=cast.us).count() == 1
    assert Repair.objects.filter(relationship=cast.us, stage="completed").count() == 3


def test_a_closed_repair_also_makes_room_for_the_next(cast: Cast) -> None:
    ada = client_for(cast.ada)
    ada.post(reverse("repair_close", args=[cast.us.pk, cast.repair.pk]))
    cast.repair.refresh_from_db()
    assert cast.repair.stage == Repair.Stage.CLOSED
    assert 'name="opening" value="hurt"' in relationship_page(ada, cast)
