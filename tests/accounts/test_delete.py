"""Deleting an account: confirmed by password, and felt by the others as a departure."""

from django.contrib.auth import get_user
from django.urls import reverse

from tend.accounts.models import User
from tend.gardens.access import current_members
from tend.gardens.models import Membership
from tend.live.models import Event
from tests.conftest import PASSWORD, Cast, client_for, without_tokens

DELETE = "/account/delete/"


def test_a_wrong_password_keeps_the_account(cast: Cast) -> None:
    client = client_for(cast.ben)

    response = client.post(DELETE, {"password": "not the right one"})

    assert response.status_code == 400
    assert "That password is not right. Your account is unchanged." in response.content.decode()
    assert User.objects.filter(pk=cast.ben.pk).exists()
    assert Membership.objects.current().filter(user=cast.ben).count() == 2
    assert get_user(client).pk == cast.ben.pk


def test_a_missing_password_keeps_the_account(cast: Cast) -> None:
    response = client_for(cast.ben).post(DELETE, {})

    assert response.status_code == 400
    assert User.objects.filter(pk=cast.ben.pk).exists()


def test_the_right_password_deletes_the_account_and_logs_out(cast: Cast) -> None:
    client = client_for(cast.ben)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("landing")
    assert not User.objects.filter(pk=cast.ben.pk).exists()
    assert not get_user(client).is_authenticated
    assert client.get(reverse("home"))["Location"].startswith("/login/")
    assert "Your account and what you wrote are deleted." in client.get("/").content.decode()


def test_the_others_see_the_deleted_person_leave(cast: Cast) -> None:
    ben_id = cast.ben.pk
    last_seen = {r.pk: r.last_seq for r in (cast.us, cast.family)}

    client_for(cast.ben).post(DELETE, {"password": PASSWORD})

    for relationship in (cast.us, cast.family):
        new = Event.objects.filter(relationship=relationship, seq__gt=last_seen[relationship.pk])
        assert [(e.kind, e.subject_id) for e in new] == [("member_left", ben_id)]
        assert ben_id not in {u.pk for u in current_members(relationship)}
    for viewer, relationship in ((cast.ada, cast.us), (cast.cy, cast.family)):
        members = client_for(viewer).get(reverse("relationship_members", args=[relationship.pk]))
        assert members.status_code == 200
        assert "Ben" not in without_tokens(members.content.decode())


def test_deleting_leaves_other_accounts_and_relationships_alone(cast: Cast) -> None:
    client_for(cast.ben).post(DELETE, {"password": PASSWORD})

    assert User.objects.count() == 4
    assert {u.pk for u in current_members(cast.us)} == {cast.ada.pk}
    assert {u.pk for u in current_members(cast.family)} == {cast.ada.pk, cast.cy.pk}
