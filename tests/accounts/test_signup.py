"""Sign-up: who it creates, where it leads, and what it refuses."""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.test import Client
from django.urls import reverse

from tend.accounts.models import User
from tests.conftest import Cast

SIGNUP = "/signup/"


def sign_up(client: Client, next_url: str | None = None, **fields: str):  # type: ignore[no-untyped-def]
    data = {
        "display_name": "Fay",
        "email": "fay@example.test",
        "password": "a quiet morning",
        **fields,
    }
    if next_url is not None:
        data["next"] = next_url
    return client.post(SIGNUP, data)


@pytest.mark.django_db
def test_sign_up_creates_the_person_and_logs_them_in(client: Client) -> None:
    response = sign_up(client, email="Fay@Example.TEST")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get()
    assert user.email == "fay@example.test"
    assert user.display_name == "Fay"
    assert user.check_password("a quiet morning")
    assert get_user(client).pk == user.pk


@pytest.mark.django_db
def test_sign_up_follows_a_safe_next(client: Client) -> None:
    response = sign_up(client, next_url="/r/new/")

    assert response.status_code == 302
    assert response["Location"] == "/r/new/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/home/", "javascript:alert(1)"]
)
def test_sign_up_ignores_an_off_site_next(client: Client, next_url: str) -> None:
    response = sign_up(client, next_url=next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_sign_up_page_keeps_a_safe_next_and_drops_an_off_site_one(client: Client) -> None:
    kept = client.get(SIGNUP, {"next": "/r/new/"}).content.decode()
    dropped = client.get(SIGNUP, {"next": "https://evil.example/"}).content.decode()

    assert 'name="next" value="/r/new/"' in kept
    assert "evil.example" not in dropped


@pytest.mark.parametrize("email", ["ada@example.test", "ADA@EXAMPLE.TEST", "Ada@Example.Test"])
def test_sign_up_with_a_taken_email_in_any_case_is_refused(
    cast: Cast, client: Client, email: str
) -> None:
    before = User.objects.count()

    response = sign_up(client, email=email)

    assert response.status_code == 400
    assert "There is already an account with this email" in response.content.decode()
    assert User.objects.count() == before
    assert not get_user(client).is_authenticated


@pytest.mark.django_db
@pytest.mark.parametrize("display_name", ["", "   "])
def test_sign_up_without_a_display_name_is_refused(client: Client, display_name: str) -> None:
    response = sign_up(client, display_name=display_name)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_up_with_a_bad_email_is_refused(client: Client) -> None:
    response = sign_up(client, email="not an email")

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not User.objects.exists()


def test_the_password_is_hashed_before_the_transaction_begins(
    transactional_db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hashing is deliberately slow; on SQLite a transaction holds the one write lock
    # that every other person's move waits for.
    hashed_inside: list[bool] = []
    set_password = AbstractBaseUser.set_password

    def watched(user: AbstractBaseUser, raw: str) -> None:
        hashed_inside.append(connection.in_atomic_block)
        set_password(user, raw)

    monkeypatch.setattr(AbstractBaseUser, "set_password", watched)

    assert sign_up(client).status_code == 302
    assert hashed_inside == [False]
