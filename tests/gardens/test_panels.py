"""The relationship's page: gardens draws members and invitations, features add panels."""

from django.urls import reverse

from tend.repairs.models import Repair
from tests.conftest import Cast, client_for


def test_each_panel_is_drawn_in_its_place(cast: Cast) -> None:
    page = client_for(cast.ada).get(reverse("relationship", args=[cast.us.pk])).content.decode()

    places = [
        'id="repair-title"',  # repairs: the call-out, above the members
        'id="members-title"',
        'id="invite-title"',
        'id="commitments-title"',  # repairs: the commitments, below the invitations
        reverse("safety_check", args=[cast.us.pk]),  # care: the private question
        reverse("relationship_leave", args=[cast.us.pk]),
    ]
    found = [page.find(place) for place in places]
    assert -1 not in found, dict(zip(places, found, strict=True))
    assert found == sorted(found)
    assert "Say when I need space." in page  # ben's commitment


def test_the_repair_call_out_alone_follows_the_open_repair(cast: Cast) -> None:
    url = reverse("relationship_repair", args=[cast.us.pk])
    client = client_for(cast.ben)

    assert "A repair is open" in client.get(url).content.decode()
    Repair.objects.filter(pk=cast.repair.pk).update(stage=Repair.Stage.CLOSED)
    callout = client.get(url).content.decode()
    assert "Did something hurt?" in callout
    assert callout.lstrip().startswith('<section id="repair"')
