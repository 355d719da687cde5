"""Invitation links: signed, single use, expiring, revocable by their creator."""

from datetime import timedelta
from urllib.parse import quote

import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from tend.gardens import actions
from tend.gardens.access import current_members
from tend.gardens.models import INVITATION_SALT, Invitation, Membership
from tend.live.models import Event
from tests.conftest import PASSWORD, Cast, client_for, make_user


def link(invitation: Invitation) -> str:
    return reverse("invitation", args=[invitation.token])


def member_ids(cast: Cast) -> set[int]:
    return {u.pk for u in current_members(cast.us)}


# Making links


def test_making_a_link_shows_it_once_on_the_page(cast: Cast) -> None:
    # The token is signed with the time: stop the clock so the page's and ours agree.
    with time_machine.travel(timezone.now(), tick=False):
        response = client_for(cast.ben).post(reverse("invitation_create", args=[cast.us.pk]))
        invitation = Invitation.objects.filter(created_by=cast.ben).get()
        expected = f"http://testserver{link(invitation)}"

    assert response.status_code == 200
    assert invitation.relationship == cast.us
    assert expected in response.content.decode()
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)


def test_making_a_link_with_htmx_returns_only_the_invitations_fragment(cast: Cast) -> None:
    with time_machine.travel(timezone.now(), tick=False):  # the token is signed with the time
        response = client_for(cast.ada).post(
            reverse("invitation_create", args=[cast.us.pk]), HTTP_HX_REQUEST="true"
        )
        newest = Invitation.objects.filter(created_by=cast.ada).latest("pk")
        expected = link(newest)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="invitations"')
    assert 'id="invite-url"' in page
    assert expected in page


def test_the_page_lists_only_your_own_open_links(cast: Cast) -> None:
    actions.create_invitation(cast.ben, cast.us)

    ada_page = client_for(cast.ada).get(reverse("relationship", args=[cast.us.pk]))
    ben_page = client_for(cast.ben).get(reverse("relationship", args=[cast.us.pk]))

    revoke_ada = reverse("invitation_revoke", args=[cast.us.pk, cast.invitation.pk])
    assert revoke_ada in ada_page.content.decode()
    assert revoke_ada not in ben_page.content.decode()


# What the invitee sees


def test_the_invitee_sees_who_invites_them_to_what_before_accepting(cast: Cast, client) -> None:
    here = link(cast.invitation)

    response = client.get(here)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada invites you" in page
    assert "“Us”" in page
    assert "(partner)" in page
    assert f'href="/signup/?next={quote(here, safe="/")}"' in page
    assert f'href="/login/?next={quote(here, safe="/")}"' in page
    cast.invitation.refresh_from_db()
    assert cast.invitation.accepted_at is None


def test_a_newcomer_signs_up_from_the_link_and_comes_back_to_join(cast: Cast, client) -> None:
    here = link(cast.invitation)

    signed_up = client.post(
        "/signup/",
        {"display_name": "Fay", "email": "fay@example.test", "password": PASSWORD, "next": here},
    )
    assert signed_up["Location"] == here
    assert "Ada invites you" in client.get(here).content.decode()
    joined = client.post(here)

    assert joined.status_code == 302
    assert joined["Location"] == reverse("relationship", args=[cast.us.pk])
    assert "Fay" in client.get(joined["Location"]).content.decode()


def test_an_existing_person_logs_in_from_the_link_and_comes_back(cast: Cast, client) -> None:
    here = link(cast.invitation)

    logged_in = client.post(
        "/login/", {"username": "dee@example.test", "password": PASSWORD, "next": here}
    )

    assert logged_in["Location"] == here
    assert client.post(here).status_code == 302
    assert cast.dee.pk in member_ids(cast)


def test_an_anonymous_accept_is_sent_to_log_in_and_uses_nothing(cast: Cast, client) -> None:
    here = link(cast.invitation)

    response = client.post(here)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert client.get(response["Location"]).status_code == 200
    cast.invitation.refresh_from_db()
    assert cast.invitation.accepted_at is None


# Accepting


def test_accepting_joins_and_records_the_event(cast: Cast) -> None:
    last = cast.us.last_seq

    response = client_for(cast.dee).post(link(cast.invitation))

    assert response.status_code == 302
    assert response["Location"] == reverse("relationship", args=[cast.us.pk])
    assert member_ids(cast) == {cast.ada.pk, cast.ben.pk, cast.dee.pk}
    event = Event.objects.get(relationship=cast.us, seq=last + 1)
    assert (event.kind, event.actor_id, event.subject_id) == ("member_joined", *[cast.dee.pk] * 2)
    cast.invitation.refresh_from_db()
    assert cast.invitation.accepted_by == cast.dee


def test_more_than_two_people_can_join(cast: Cast) -> None:
    fay = make_user("fay")
    for person in (cast.cy, cast.dee, fay):
        invitation = actions.create_invitation(cast.ada, cast.us)
        assert client_for(person).post(link(invitation)).status_code == 302

    assert len(member_ids(cast)) == 5
    page = client_for(fay).get(reverse("relationship", args=[cast.us.pk]))
    for name in ("Ada", "Ben", "Cy", "Dee", "Fay"):
        assert name in page.content.decode()


def test_a_member_opening_a_link_sees_they_are_already_in_and_uses_nothing(cast: Cast) -> None:
    client = client_for(cast.ben)

    shown = client.get(link(cast.invitation))
    pressed = client.post(link(cast.invitation))

    assert shown.status_code == 200
    assert "You are already in Us" in shown.content.decode()
    assert pressed.status_code == 302
    cast.invitation.refresh_from_db()
    assert cast.invitation.accepted_at is None
    assert client_for(cast.dee).post(link(cast.invitation)).status_code == 302


# Single use


def test_a_link_works_once(cast: Cast) -> None:
    client_for(cast.dee).post(link(cast.invitation))
    members = member_ids(cast)

    response = client_for(cast.cy).post(link(cast.invitation))

    assert response.status_code == 410
    assert "This invitation has already been used. Each link works once." in (
        response.content.decode()
    )
    assert member_ids(cast) == members
    assert client_for(cast.cy).get(link(cast.invitation)).status_code == 410


def test_a_used_link_still_tells_its_user_they_are_in(cast: Cast) -> None:
    client_for(cast.dee).post(link(cast.invitation))

    response = client_for(cast.dee).get(link(cast.invitation))

    assert response.status_code == 200
    assert "You are already in Us" in response.content.decode()


def test_two_people_racing_for_one_link_only_one_joins(cast: Cast) -> None:
    # Both loaded the invitation while it was open; the conditional UPDATE decides.
    stale = Invitation.objects.get(pk=cast.invitation.pk)
    actions.accept_invitation(cast.dee, cast.invitation)

    try:
        actions.accept_invitation(cast.cy, stale)
    except actions.InvitationUnavailable as error:
        assert "already been used" in str(error)
    else:
        raise AssertionError("the second acceptance went through")
    assert cast.cy.pk not in member_ids(cast)


# Signed tokens


def test_a_tampered_token_is_not_found(cast: Cast) -> None:
    token = cast.invitation.token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert client_for(cast.dee).get(reverse("invitation", args=[tampered])).status_code == 404
    assert client_for(cast.dee).post(reverse("invitation", args=[tampered])).status_code == 404
    assert cast.dee.pk not in member_ids(cast)


def test_a_guessed_token_is_not_found(cast: Cast, client) -> None:
    for guess in (str(cast.invitation.pk), "abc", "x" * 500):
        assert client.get(reverse("invitation", args=[guess])).status_code == 404


def test_a_token_signed_with_another_salt_is_not_found(cast: Cast, client) -> None:
    forged = signing.dumps(cast.invitation.pk, salt="something else", compress=True)

    assert client.get(reverse("invitation", args=[forged])).status_code == 404


def test_a_well_signed_token_for_a_missing_invitation_is_not_found(cast: Cast, client) -> None:
    token = signing.dumps(10**9, salt=INVITATION_SALT, compress=True)

    assert client.get(reverse("invitation", args=[token])).status_code == 404


# Expiry


def test_a_link_works_for_almost_seven_days(cast: Cast) -> None:
    with time_machine.travel(cast.invitation.created_at + timedelta(days=6, hours=23)):
        response = client_for(cast.dee).post(link(cast.invitation))

    assert response.status_code == 302
    assert cast.dee.pk in member_ids(cast)


def test_a_link_expires_after_seven_days(cast: Cast) -> None:
    with time_machine.travel(cast.invitation.created_at + timedelta(days=7, minutes=1)):
        shown = client_for(cast.dee).get(link(cast.invitation))
        pressed = client_for(cast.dee).post(link(cast.invitation))

    assert shown.status_code == pressed.status_code == 410
    assert "This invitation has expired. Links work for 7 days." in pressed.content.decode()
    assert cast.dee.pk not in member_ids(cast)


def test_an_expired_link_is_no_longer_listed_for_its_creator(cast: Cast) -> None:
    revoke = reverse("invitation_revoke", args=[cast.us.pk, cast.invitation.pk])
    with time_machine.travel(cast.invitation.created_at + timedelta(days=7, minutes=1)):
        page = client_for(cast.ada).get(reverse("relationship", args=[cast.us.pk]))

    assert revoke not in page.content.decode()


# Revoking


def test_only_the_creator_can_withdraw_a_link(cast: Cast) -> None:
    url = reverse("invitation_revoke", args=[cast.us.pk, cast.invitation.pk])

    response = client_for(cast.ben).post(url)

    assert response.status_code == 404
    cast.invitation.refresh_from_db()
    assert cast.invitation.revoked_at is None
    assert client_for(cast.dee).get(link(cast.invitation)).status_code == 200


def test_a_withdrawn_link_says_so(cast: Cast) -> None:
    url = reverse("invitation_revoke", args=[cast.us.pk, cast.invitation.pk])

    response = client_for(cast.ada).post(url, follow=True)

    assert "The link no longer works." in response.content.decode()
    shown = client_for(cast.dee).get(link(cast.invitation))
    pressed = client_for(cast.dee).post(link(cast.invitation))
    assert shown.status_code == pressed.status_code == 410
    assert "This invitation was withdrawn by the person who made it." in shown.content.decode()
    assert cast.dee.pk not in member_ids(cast)


def test_withdrawing_with_htmx_returns_the_fragment_without_the_link(cast: Cast) -> None:
    url = reverse("invitation_revoke", args=[cast.us.pk, cast.invitation.pk])

    response = client_for(cast.ada).post(url, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert url not in page


def test_withdrawing_a_used_link_changes_nothing(cast: Cast) -> None:
    client_for(cast.dee).post(link(cast.invitation))

    client_for(cast.ada).post(reverse("invitation_revoke", args=[cast.us.pk, cast.invitation.pk]))

    cast.invitation.refresh_from_db()
    assert cast.invitation.revoked_at is None
    assert Membership.objects.current().filter(user=cast.dee, relationship=cast.us).exists()
