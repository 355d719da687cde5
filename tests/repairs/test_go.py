"""Straight into a repair: the app's shortcuts, the home page's two buttons."""

import json

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from tend.live.models import Event
from tend.repairs.events import RepairEvent
from tend.repairs.models import Repair
from tests.conftest import Cast, client_for


def test_the_manifest_offers_the_two_shortcuts() -> None:
    path = settings.BASE_DIR / "static" / "tend" / "manifest.webmanifest"
    shortcuts = json.loads(path.read_text())["shortcuts"]
    assert [s["name"] for s in shortcuts] == ["I'm triggered", "Something hurt between us"]
    for shortcut, opening in zip(shortcuts, ("triggered", "hurt"), strict=True):
        assert resolve(shortcut["url"]).url_name == "repair_go"
        assert resolve(shortcut["url"]).kwargs == {"opening": opening}


def test_one_relationship_one_button(cast: Cast) -> None:
    page = client_for(cast.cy).get("/go/hurt/").content.decode()
    assert page.count('name="relationship"') == 1
    assert f'value="{cast.family.pk}"' in page
    assert "Open a repair and tell the others" in page


def test_several_relationships_ask_which(cast: Cast) -> None:
    page = client_for(cast.ada).get("/go/triggered/").content.decode()
    assert "Which relationship?" in page
    assert page.count('name="relationship"') == 2
    assert f'value="{cast.dees.pk}"' not in page


def test_no_relationship_says_how_to_start(cast: Cast) -> None:
    page = client_for(cast.eli).get("/go/triggered/").content.decode()
    assert "Start a relationship" in page
    assert 'name="relationship"' not in page


def test_one_tap_opens_the_repair_and_tells_the_others(cast: Cast) -> None:
    response = client_for(cast.cy).post("/go/hurt/", {"relationship": cast.family.pk})
    repair = Repair.objects.open().get(relationship=cast.family)
    assert repair.opened_by == cast.cy and repair.opening == "hurt"
    assert response.status_code == 302
    assert response["Location"].startswith(f"/r/{cast.family.pk}/repairs/{repair.pk}/")
    assert Event.objects.filter(kind=RepairEvent.REPAIR_OPENED, repair_id=repair.pk).exists()


@pytest.mark.parametrize("value", ["", "x", "1e3", str(2**70)])
def test_a_made_up_relationship_is_a_4xx(cast: Cast, value: str) -> None:
    response = client_for(cast.cy).post("/go/hurt/", {"relationship": value})
    assert response.status_code in (400, 404)
    assert not Repair.objects.open().filter(relationship=cast.family).exists()


def test_someone_elses_relationship_is_a_404(cast: Cast) -> None:
    response = client_for(cast.cy).post("/go/hurt/", {"relationship": cast.dees.pk})
    assert response.status_code == 404
    assert not Repair.objects.filter(relationship=cast.dees).exists()


def test_a_made_up_opening_is_a_404(cast: Cast) -> None:
    assert client_for(cast.cy).get("/go/angry/").status_code == 404


def test_the_home_page_shows_the_two_buttons_with_one_relationship(cast: Cast) -> None:
    page = client_for(cast.cy).get(reverse("home")).content.decode()
    assert f'action="{reverse("repair_go", args=["triggered"])}"' in page
    assert f'action="{reverse("repair_go", args=["hurt"])}"' in page
    for person in (cast.ada, cast.eli):  # several relationships, or none
        assert 'action="/go/' not in client_for(person).get(reverse("home")).content.decode()
