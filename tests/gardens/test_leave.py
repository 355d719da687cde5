"""Leaving a relationship: at once, felt by the others, and reversible only by a new invitation."""

from asgiref.sync import async_to_sync
from django.test import AsyncClient
from django.urls import reverse

from tend.gardens import actions
from tend.gardens.access import current_members
from tend.gardens.models import Membership
from tend.live.models import Event
from tests.conftest import Cast, client_for, without_tokens


def leave_url(cast: Cast) -> str:
    return reverse("relationship_leave", args=[cast.us.pk])


def stream_status(user, url: str) -> int:  # type: ignore[no-untyped-def]
    async def fetch() -> int:
        client = AsyncClient()
        await client.aforce_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = await client.get(url)
        # A 404 is a plain response; only a member would get the (endless) stream.
        assert not response.streaming
        return response.status_code

    return async_to_sync(fetch)()


def test_the_leave_page_asks_first_and_changes_nothing(cast: Cast) -> None:
    response = client_for(cast.ben).get(leave_url(cast))

    assert response.status_code == 200
    assert "Leave Us?" in response.content.decode()
    assert cast.ben in current_members(cast.us)


def test_leaving_takes_effect_at_once(cast: Cast) -> None:
    client = client_for(cast.ben)

    response = client.post(leave_url(cast))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "You have left Us." in client.get(reverse("home")).content.decode()
    assert client.get(reverse("relationship", args=[cast.us.pk])).status_code == 404
    assert client.get(reverse("relationship_members", args=[cast.us.pk])).status_code == 404
    assert client.post(reverse("invitation_create", args=[cast.us.pk])).status_code == 404
    assert stream_status(cast.ben, reverse("relationship_events", args=[cast.us.pk])) == 404


def test_leaving_one_relationship_keeps_the_others(cast: Cast) -> None:
    client = client_for(cast.ben)

    client.post(leave_url(cast))

    assert client.get(reverse("relationship", args=[cast.family.pk])).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert "Family" in home
    assert ">Us<" not in home


def test_the_others_see_the_departure(cast: Cast) -> None:
    last = cast.us.last_seq

    client_for(cast.ben).post(leave_url(cast))

    events = list(Event.objects.filter(relationship=cast.us, seq__gt=last))
    assert [(e.seq, e.kind, e.actor_id, e.subject_id) for e in events] == [
        (last + 1, "member_left", cast.ben.pk, cast.ben.pk)
    ]
    members = client_for(cast.ada).get(reverse("relationship_members", args=[cast.us.pk]))
    assert "Ben" not in without_tokens(members.content.decode())
    assert "Nobody else yet" in members.content.decode()


def test_the_leavers_open_links_stop_working(cast: Cast) -> None:
    bens_link = actions.create_invitation(cast.ben, cast.us)

    client_for(cast.ben).post(leave_url(cast))

    response = client_for(cast.dee).post(reverse("invitation", args=[bens_link.token]))
    assert response.status_code == 410
    assert cast.dee not in current_members(cast.us)
    # Links made by those who stay still work.
    assert (
        client_for(cast.dee).get(reverse("invitation", args=[cast.invitation.token])).status_code
        == 200
    )


def test_leaving_twice_records_one_departure(cast: Cast) -> None:
    actions.leave_relationship(cast.ben, cast.us)
    actions.leave_relationship(cast.ben, cast.us)

    assert (
        Event.objects.filter(
            relationship=cast.us, kind="member_left", subject_id=cast.ben.pk
        ).count()
        == 1
    )


def test_a_former_member_can_rejoin_with_a_new_invitation(cast: Cast) -> None:
    client_for(cast.ben).post(leave_url(cast))
    invitation = actions.create_invitation(cast.ada, cast.us)

    response = client_for(cast.ben).post(reverse("invitation", args=[invitation.token]))

    assert response.status_code == 302
    rows = Membership.objects.filter(user=cast.ben, relationship=cast.us).order_by("joined_at")
    assert len(rows) == 2
    assert rows[0].left_at is not None
    assert rows[1].left_at is None
    assert client_for(cast.ben).get(reverse("relationship", args=[cast.us.pk])).status_code == 200


def test_eli_who_left_earlier_is_not_a_member(cast: Cast) -> None:
    assert cast.eli not in current_members(cast.us)
    assert Membership.objects.filter(user=cast.eli, relationship=cast.us).get().left_at is not None
