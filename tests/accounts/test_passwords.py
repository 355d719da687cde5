"""Password rules (OWASP ASVS 5.0 §6.2) and how passwords are stored."""

import pytest
from django.test import Client, override_settings

from tend import settings as tend_settings
from tend.accounts.models import User

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def sign_up_with(client: Client, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/signup/",
        {"display_name": "Fay", "email": "fay@example.test", "password": password},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    [
        pytest.param("a7#kq2!", id="seven-characters"),
        pytest.param("password123", id="common"),
        pytest.param("12345678", id="common-digits"),
        pytest.param("x" * 129, id="over-the-cap"),
    ],
)
def test_weak_or_unreasonable_passwords_are_refused(client: Client, password: str) -> None:
    response = sign_up_with(client, password)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    [
        pytest.param("q7#kx2!m", id="eight-characters"),
        pytest.param("k" * 30 + "q" * 34, id="sixty-four-characters"),
        pytest.param("the kettle sings at dawn", id="passphrase-with-spaces"),
        pytest.param("quietlylongerwords", id="lowercase-only-no-composition-rule"),
    ],
)
def test_reasonable_passwords_are_accepted(client: Client, password: str) -> None:
    response = sign_up_with(client, password)

    assert response.status_code == 302
    assert User.objects.get().check_password(password)


@pytest.mark.django_db
def test_a_password_like_the_email_is_refused(client: Client) -> None:
    response = client.post(
        "/signup/",
        {"display_name": "Fay", "email": "fayfayfay@example.test", "password": "fayfayfay"},
    )

    assert response.status_code == 400
    assert not User.objects.exists()


def test_the_real_settings_hash_with_argon2_first() -> None:
    # The autouse fixture swaps hashers for speed; the module keeps the real value.
    assert tend_settings.PASSWORD_HASHERS[0] == ARGON2


@pytest.mark.django_db
def test_passwords_are_stored_as_argon2_hashes(client: Client) -> None:
    with override_settings(PASSWORD_HASHERS=tend_settings.PASSWORD_HASHERS):
        response = sign_up_with(client, "the kettle sings at dawn")
        user = User.objects.get()

        assert response.status_code == 302
        assert user.password.startswith("argon2")
        assert "the kettle sings at dawn" not in user.password
        assert user.check_password("the kettle sings at dawn")
