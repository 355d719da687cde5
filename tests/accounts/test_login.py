"""Logging in, the kind wrong-password message, and rate limiting (django-axes)."""

from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, Cast

LOGIN = "/login/"
WRONG = "not the right one"


def log_in(client: Client, email: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_with_the_right_password_signs_in(cast: Cast, client: Client) -> None:
    response = log_in(client, "ada@example.test", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert get_user(client).pk == cast.ada.pk


def test_login_ignores_the_case_of_the_email(cast: Cast, client: Client) -> None:
    response = log_in(client, "ADA@Example.Test", PASSWORD)

    assert response.status_code == 302
    assert get_user(client).pk == cast.ada.pk


def test_login_follows_a_safe_next(cast: Cast, client: Client) -> None:
    target = reverse("relationship", args=[cast.us.pk])

    response = log_in(client, "ada@example.test", PASSWORD, next=target)

    assert response["Location"] == target


def test_login_ignores_an_off_site_next(cast: Cast, client: Client) -> None:
    response = log_in(client, "ada@example.test", PASSWORD, next="https://evil.example/")

    assert response["Location"] == reverse("home")


def test_a_wrong_password_gets_the_kind_message(cast: Cast, client: Client) -> None:
    response = log_in(client, "ada@example.test", WRONG)

    assert response.status_code == 400
    assert "That email and password do not match an account" in response.content.decode()
    assert not get_user(client).is_authenticated


def test_an_unknown_email_gets_the_same_message(cast: Cast, client: Client) -> None:
    response = log_in(client, "nobody@example.test", PASSWORD)

    assert response.status_code == 400
    assert "That email and password do not match an account" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    cast: Cast, client: Client
) -> None:
    for _ in range(5):
        log_in(client, "ada@example.test", WRONG)

    response = log_in(client, "ada@example.test", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait a little" in page
    assert "paused for 15 minutes" in page
    assert not get_user(client).is_authenticated


def test_changing_the_case_of_the_email_does_not_dodge_the_lockout(
    cast: Cast, client: Client
) -> None:
    for email in ("ada@example.test", "Ada@example.test", "ADA@example.test", "aDa@example.test"):
        log_in(client, email, WRONG)
    log_in(client, "adA@example.test", WRONG)

    response = log_in(client, "ada@example.test", PASSWORD)

    assert response.status_code == 429


def test_four_wrong_passwords_do_not_lock_the_account(cast: Cast, client: Client) -> None:
    for _ in range(4):
        log_in(client, "ada@example.test", WRONG)

    response = log_in(client, "ada@example.test", PASSWORD)

    assert response.status_code == 302
    assert get_user(client).pk == cast.ada.pk


def test_a_locked_account_does_not_lock_another(cast: Cast, client: Client) -> None:
    for _ in range(6):
        log_in(client, "ada@example.test", WRONG)

    response = log_in(client, "ben@example.test", PASSWORD)

    assert response.status_code == 302
    assert get_user(client).pk == cast.ben.pk
