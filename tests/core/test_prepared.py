"""Prepared queries (tend.core.prepared): compiled once, run with new ids, read as the
ORM reads them; and refused when their SQL depends on more than their ids."""

import threading

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tend.accounts.models import User
from tend.core.prepared import NotPrepared, Prepared
from tend.gardens.models import Invitation, Membership, Relationship
from tests.conftest import Cast


def memberships() -> Prepared[Membership]:
    return Prepared(
        lambda user_id, relationship_id: (
            Membership.objects.current()
            .filter(user_id=user_id, relationship_id=relationship_id)
            .select_related("relationship", "user")
        )
    )


def test_it_finds_what_the_orm_finds_with_each_new_id(cast: Cast) -> None:
    prepared = memberships()
    for user, relationship in [
        (cast.ada, cast.us),
        (cast.ben, cast.family),
        (cast.dee, cast.dees),
        (cast.cy, cast.us),  # not a member: nothing
        (cast.eli, cast.us),  # left: nothing
    ]:
        expected = list(Membership.objects.current().filter(user=user, relationship=relationship))
        found = list(prepared(user.pk, relationship.pk))
        assert [m.pk for m in found] == [m.pk for m in expected]
        for mine, theirs in zip(found, expected, strict=True):
            assert mine.joined_at == theirs.joined_at  # converted back to a datetime
            assert mine.relationship.name == relationship.name  # select_related
            assert mine.user.email == user.email


def test_it_compiles_once_and_runs_one_query_a_time(cast: Cast) -> None:
    prepared = memberships()
    prepared.one(cast.ada.pk, cast.us.pk)
    with CaptureQueriesContext(connection) as queries:
        membership = prepared.one(cast.ben.pk, cast.us.pk)
        assert membership is not None
        assert membership.relationship.name == "Us"  # read with it
    assert len(queries) == 1


def test_values_come_back_as_the_orm_gives_them(cast: Cast) -> None:
    members = Prepared(
        lambda relationship_id: (
            Membership.objects.filter(relationship_id=relationship_id)
            .values("relationship_id")
            .annotate(people=Count("pk"))
            .values("relationship_id", "people")
        )
    )
    assert members.one(cast.family.pk) == {"relationship_id": cast.family.pk, "people": 3}
    assert members.one(cast.family.pk + 1000) is None


def test_a_change_to_the_queryset_is_compiled_as_ever(cast: Cast) -> None:
    prepared = Prepared(
        lambda relationship_id: Membership.objects.filter(relationship_id=relationship_id)
    )
    assert prepared(cast.family.pk).count() == 3
    assert prepared(cast.family.pk).filter(user=cast.cy).get().user_id == cast.cy.pk
    assert prepared(cast.family.pk).exists()
    assert len(prepared(cast.family.pk)[:2]) == 2
    assert len(prepared(cast.family.pk)) == 3


def test_one_refuses_two_rows(cast: Cast) -> None:
    prepared = Prepared(
        lambda relationship_id: Membership.objects.filter(relationship_id=relationship_id)
    )
    with pytest.raises(Membership.MultipleObjectsReturned):
        prepared.one(cast.family.pk)


def test_only_ids_are_taken(cast: Cast) -> None:
    prepared = memberships()
    for wrong in ["1", 1.0, True, None, cast.ada]:
        with pytest.raises(TypeError):
            prepared(wrong, cast.us.pk)  # type: ignore[arg-type]


def test_a_text_key_is_prepared_and_found_like_a_number(cast: Cast) -> None:
    by_email = Prepared(lambda email: User.objects.filter(email=email), key=str)
    assert by_email.one(cast.ada.email) == cast.ada
    with CaptureQueriesContext(connection) as queries:
        assert by_email.one(cast.ben.email) == cast.ben
        assert by_email.one("nobody@example.org") is None
    assert len(queries) == 2
    for wrong in [cast.ada.pk, None, b"ada@example.org"]:
        with pytest.raises(TypeError):
            by_email(wrong)  # type: ignore[arg-type]
    # Text is checked like numbers: one changed on its way into the SQL is refused.
    with pytest.raises(NotPrepared):
        Prepared(lambda email: User.objects.filter(email=email[::-1]), key=str)("a@b.c")


def test_an_id_past_any_key_finds_nothing_rather_than_failing(cast: Cast) -> None:
    prepared = memberships()
    assert prepared.one(cast.ada.pk, 2**63) is None
    assert prepared.one(-(2**63) - 1, cast.us.pk) is None
    assert prepared.one(cast.ada.pk, cast.us.pk) is not None


def test_a_value_read_when_the_query_is_built_is_refused(cast: Cast) -> None:
    # Invitation.objects.open() compares with timezone.now(): compiled once, it would
    # keep the moment of its first use.
    prepared = Prepared(
        lambda relationship_id: Invitation.objects.open().filter(relationship_id=relationship_id)
    )
    with pytest.raises(NotPrepared):
        list(prepared(cast.us.pk))


def test_a_shape_that_depends_on_the_ids_is_refused(cast: Cast) -> None:
    prepared = Prepared(
        lambda user_id: (
            User.objects.filter(pk=user_id)
            if user_id % 2
            else User.objects.filter(pk=user_id, is_active=True)
        )
    )
    with pytest.raises(NotPrepared):
        prepared(cast.ada.pk)


def test_an_id_that_does_not_reach_the_sql_is_refused(cast: Cast) -> None:
    prepared = Prepared(lambda user_id, unused: User.objects.filter(pk=user_id))
    with pytest.raises(NotPrepared):
        prepared(cast.ada.pk, 1)


def test_an_id_changed_on_its_way_into_the_sql_is_refused(cast: Cast) -> None:
    for changed in [
        Prepared(lambda user_id: User.objects.filter(pk=user_id + 1)),
        Prepared(lambda user_id: User.objects.filter(display_name=str(user_id))),
    ]:
        with pytest.raises(NotPrepared):
            changed(cast.ada.pk)


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_it_on_its_own_connection() -> None:
    ada = User.objects.create_user(email="ada@example.test", password="x" * 12)
    relationship = Relationship.objects.create(name="Us", kind="partner")
    Membership.objects.create(user=ada, relationship=relationship, joined_at=timezone.now())
    prepared = memberships()
    prepared.one(ada.pk, relationship.pk)  # compiled here, in this thread
    found: list[object] = []

    def elsewhere() -> None:
        from django.db import connections

        try:
            found.append(prepared.one(ada.pk, relationship.pk))
        except Exception as error:
            found.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert isinstance(found[0], Membership)
