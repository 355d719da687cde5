"""Bad input never gets a 500: every form refuses garbage with a message, and keeps data.

Each case posts what a careless client, a fuzzer or a confused phone might send:
very long values, missing fields, NUL characters, bytes that are not UTF-8.
"""

from collections.abc import Callable

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client
from django.urls import reverse

from tend.accounts.models import User
from tend.gardens.models import Relationship
from tests.conftest import PASSWORD, Cast, client_for, make_user

HUGE = "x" * 10_000
# A syntactically valid address longer than the 254 characters an email column holds.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".test"
NUL = "ada\x00@example.test"

GARBAGE: dict[str, Callable[[str], dict[str, str]]] = {
    "huge": lambda field: {field: HUGE},
    "long-email": lambda field: {field: LONG_EMAIL},
    "nul": lambda field: {field: NUL},
    "spaces": lambda field: {field: "   "},
    "emoji": lambda field: {field: "🌱" * 300},
    "missing": lambda field: {},
}

FORMS: dict[str, tuple[str | None, Callable[[], str], dict[str, str]]] = {
    # name: (who posts, url, a valid submission to spoil one field of)
    "signup": (
        None,
        lambda: reverse("signup"),
        {"display_name": "Fay", "email": "fay@example.test", "password": "a quiet morning"},
    ),
    "login": (
        None,
        lambda: reverse("login"),
        {"username": "ada@example.test", "password": PASSWORD},
    ),
    "password_reset": (None, lambda: reverse("password_reset"), {"email": "ada@example.test"}),
    "password_change": (
        "ada",
        lambda: reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new phrase",
            "new_password2": "a brand new phrase",
        },
    ),
    "profile": (
        "ada",
        lambda: reverse("profile"),
        {"display_name": "Ada", "time_zone": "Europe/London"},
    ),
    "account_delete": ("ada", lambda: reverse("account_delete"), {"password": PASSWORD}),
    "relationship_create": (
        "ada",
        lambda: reverse("relationship_create"),
        {"name": "Book club", "kind": "friend"},
    ),
}


@pytest.fixture
def ada(db: None) -> User:
    # These forms need one person only; the full cast would only slow a hundred cases.
    return make_user("ada")


def poster(who: str | None, ada: User) -> Client:
    return client_for(ada if who == "ada" else None)


def form_cases() -> list[tuple[str, str, str]]:
    return [
        (form, field, kind)
        for form, (_, _, valid) in FORMS.items()
        for field in valid
        for kind in GARBAGE
    ]


@pytest.mark.parametrize(("form", "field", "kind"), form_cases())
def test_garbage_in_any_field_gets_a_message_not_an_error(
    ada: User, form: str, field: str, kind: str
) -> None:
    who, url, valid = FORMS[form]
    data = {k: v for k, v in valid.items() if k != field} | GARBAGE[kind](field)
    users_before = set(User.objects.values_list("pk", "email", "display_name", "time_zone"))
    relationships_before = Relationship.objects.count()

    response = poster(who, ada).post(url(), data)

    # Every one of these values breaks some rule (length, NUL, required, format).
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert set(User.objects.values_list("pk", "email", "display_name", "time_zone")) == (
        users_before
    )
    assert Relationship.objects.count() == relationships_before


@pytest.mark.parametrize("form", sorted(FORMS))
def test_bytes_that_are_not_utf8_get_a_message_not_an_error(ada: User, form: str) -> None:
    who, url, valid = FORMS[form]
    body = "&".join(f"{key}=%FF%FE%00{key}" for key in valid).encode() + b"&raw=\xff\xfe\xfd"

    response = poster(who, ada).post(url(), body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("form", sorted(FORMS))
def test_too_many_fields_are_refused(ada: User, form: str) -> None:
    who, url, valid = FORMS[form]
    data = valid | {f"field{i}": "x" for i in range(1_500)}

    response = poster(who, ada).post(url(), data)

    assert response.status_code == 400


def test_a_long_valid_looking_email_at_login_is_refused_before_anything_is_stored(
    ada: User, client: Client
) -> None:
    # The rate limiter stores the attempted account in a 255-character column: on
    # PostgreSQL a longer name used to fail the whole request.
    response = client.post(reverse("login"), {"username": LONG_EMAIL, "password": "whatever"})

    assert response.status_code == 400
    assert "Ensure this value has at most 254 characters" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        HUGE,
        "%00",
        "..",
        "eyJhbGciOiJub25lIn0:abc",
        ".eJwzAAAAMgAy:1abc:xyz",
        "🌱" * 50,
    ],
)
@pytest.mark.parametrize("who", ["ada", None])
def test_a_garbage_invitation_token_is_not_found(ada: User, token: str, who: str | None) -> None:
    client = poster(who, ada)
    url = f"/invite/{token}/"

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/r/{huge}/",
        "/r/{huge}/members/",
        "/r/{huge}/leave/",
        "/r/{us}/invitations/{huge}/revoke/",
        "/r/{huge}/invitations/1/revoke/",
        "/r/{huge}/invitations/",
    ],
)
def test_ids_beyond_any_number_are_not_found(cast: Cast, path: str) -> None:
    url = path.format(huge=10**30, us=cast.us.pk)
    client = client_for(cast.ada)

    statuses = {client.get(url).status_code, client.post(url).status_code}

    assert statuses <= {404, 405}
    assert 404 in statuses


def test_a_stream_id_beyond_any_number_is_not_found(cast: Cast) -> None:
    async def fetch() -> int:
        client = AsyncClient()
        await client.aforce_login(cast.ada, backend="django.contrib.auth.backends.ModelBackend")
        response = await client.get(f"/r/{10**30}/events/")
        assert not response.streaming
        return response.status_code

    assert async_to_sync(fetch)() == 404


@pytest.mark.django_db
def test_a_garbage_password_reset_link_says_it_no_longer_works(client: Client) -> None:
    for uid, token in [("MQ", "x"), ("%FF", HUGE[:300]), ("A" * 500, "set-password")]:
        response = client.get(f"/password/reset/{uid}/{token}/")

        assert response.status_code < 500
        assert "This link no longer works" in response.content.decode()
        assert client.post(f"/password/reset/{uid}/{token}/", {}).status_code < 500


def test_an_off_site_or_garbage_next_is_ignored_everywhere(ada: User, client: Client) -> None:
    for next_url in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:///evil.example",
        HUGE,
    ]:
        response = client.post(
            reverse("login"),
            {"username": "ada@example.test", "password": PASSWORD, "next": next_url},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        client.post(reverse("logout"))
