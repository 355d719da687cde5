"""Starting a relationship."""

import re

import pytest
from django.urls import reverse

from tend.gardens.access import current_members
from tend.gardens.models import Relationship
from tend.live.models import Event
from tests.conftest import Cast, client_for

CREATE = "/r/new/"


def test_creating_a_relationship_makes_you_its_first_member(cast: Cast) -> None:
    response = client_for(cast.dee).post(CREATE, {"name": "  Book club  ", "kind": "friend"})

    relationship = Relationship.objects.get(name="Book club")
    assert response.status_code == 302
    assert response["Location"] == reverse("relationship", args=[relationship.pk])
    assert relationship.kind == "friend"
    assert list(current_members(relationship)) == [cast.dee]
    assert [
        (e.seq, e.kind, e.subject_id) for e in Event.objects.filter(relationship=relationship)
    ] == [(1, "member_joined", cast.dee.pk)]
    page = client_for(cast.dee).get(response["Location"]).content.decode()
    assert "Book club" in page
    assert "Nobody else yet" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"name": "", "kind": "friend"}, "This field is required.", id="empty-name"),
        pytest.param(
            {"name": "   \t ", "kind": "friend"}, "This field is required.", id="blank-name"
        ),
        pytest.param({"kind": "friend"}, "This field is required.", id="missing-name"),
        pytest.param(
            {"name": "x" * 81, "kind": "friend"},
            "Ensure this value has at most 80 characters",
            id="over-long-name",
        ),
        pytest.param(
            {"name": "Book club", "kind": "enemy"}, "Select a valid choice.", id="bad-kind"
        ),
        pytest.param({"name": "Book club"}, "This field is required.", id="missing-kind"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    cast: Cast, data: dict[str, str], message: str
) -> None:
    before = Relationship.objects.count()

    response = client_for(cast.dee).post(CREATE, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    assert Relationship.objects.count() == before


def test_the_longest_allowed_name_is_accepted(cast: Cast) -> None:
    response = client_for(cast.dee).post(CREATE, {"name": "y" * 80, "kind": "other"})

    assert response.status_code == 302
    assert Relationship.objects.filter(name="y" * 80).exists()


def test_a_new_relationship_appears_on_home_for_its_creator_only(cast: Cast) -> None:
    client_for(cast.dee).post(CREATE, {"name": "Book club", "kind": "friend"})

    assert "Book club" in client_for(cast.dee).get(reverse("home")).content.decode()
    assert "Book club" not in client_for(cast.ada).get(reverse("home")).content.decode()


def test_the_kind_has_no_blank_choice_and_none_picked(cast: Cast) -> None:
    page = client_for(cast.dee).get(CREATE).content.decode()
    assert 'name="kind" value=""' not in page
    assert "Select an option" not in page and "---------" not in page
    assert 'name="kind" value="friend"' in page
    assert not re.search(r"<input[^>]*\bchecked\b", page)  # no radio picked
