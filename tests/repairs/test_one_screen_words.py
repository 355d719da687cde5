"""One shared screen: the Together panel names a guest, and the words speak to everyone
sitting at the screen, not to one person."""

from django.urls import reverse

from tend.repairs.models import Repair
from tests.conftest import Cast, people_panel
from tests.repairs.test_next_repair import complete
from tests.repairs.test_together_flow import ready_room


def test_the_together_panel_names_a_guest(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    screen = room.clients["ada"]
    screen.post(room.url("repair_one_screen"), {"guest-name": "Sam"})
    for client in (screen, room.clients["ben"]):
        panel = people_panel(client, room.url("repair"))
        assert "<li>Sam: " in panel
        assert "<li>: " not in panel


def test_the_together_panel_stops_saying_everyone_is_ready_once_completed(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    url = room.url("repair")
    assert "Everyone who joined is ready" in people_panel(room.clients["ada"], url)
    complete(room)
    assert room.repair.stage == Repair.Stage.COMPLETED
    for client in room.clients.values():
        panel = people_panel(client, url)
        assert "Everyone who joined is ready" not in panel
        assert "the repair has ended" in panel


def test_considerations_speak_to_everyone_at_a_shared_screen(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    assert "Only you see your answers here." in room.stage("ada")
    room.clients["ada"].post(room.url("repair_one_screen"), {"guest-name": "Sam"})
    page = room.stage("ada")
    assert "Only you see your answers here." not in page
    assert "Everyone at this screen sees these ticks; nobody else does." in page
    assert reverse("repair_move", args=[cast.us.pk, room.repair.pk, "consider"]) in page
