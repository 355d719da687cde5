"""Input crafted to break things gets a 4xx and leaves nothing half-done.

Found by fuzzing: a `next` of "NaN" (which Django's redirect() looks up as a view
name), JSON strings holding a lone surrogate or a NUL (which a form's decoding never
lets through, but a JSON body does).
"""

import json

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from tend.accounts.models import User
from tend.notify.models import PushSubscription
from tests.conftest import Cast, client_for
from tests.sealed import sealed

SIGNUP = {"display_name": "Fay", "email": "fay@example.test", "password": "a quiet morning"}
BAD_NEXTS = ["NaN", "home", "evil.example", "//evil.example/", "https://evil.example/", "/x\n"]


@pytest.mark.parametrize("target", BAD_NEXTS)
def test_signup_with_a_bad_next_signs_in_and_goes_home(db: None, target: str) -> None:
    client = Client()

    response = client.post(reverse("signup") + "?next=x", {**SIGNUP, "next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert get_user(client).is_authenticated


def test_signup_follows_a_next_on_this_site(db: None) -> None:
    response = Client().post(reverse("signup"), {**SIGNUP, "next": "/help/"})

    assert response["Location"] == "/help/"


def test_a_signup_that_fails_after_saving_leaves_no_account(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_login(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something after the save went wrong")

    monkeypatch.setattr("tend.accounts.views.login", broken_login)

    response = Client(raise_request_exception=False).post(reverse("signup"), SIGNUP)

    assert response.status_code == 500
    assert not User.objects.filter(email="fay@example.test").exists()
    monkeypatch.undo()
    assert Client().post(reverse("signup"), SIGNUP).status_code == 302  # not "email taken"


@pytest.mark.parametrize("target", BAD_NEXTS)
def test_the_safety_check_ignores_a_bad_next(cast: Cast, target: str) -> None:
    url = reverse("safety_check", args=[cast.us.pk])

    response = client_for(cast.ada).post(url, {"sealed": sealed(), "proceed": "on", "next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse("relationship", args=[cast.us.pk])


def _subscribe(client: Client, body: str) -> object:
    return client.post(reverse("push_subscribe"), body, content_type="application/json")


def _subscription(endpoint: str = "https://push.example/abc", **keys: str) -> str:
    return json.dumps({"endpoint": endpoint, "keys": {"p256dh": "BPk", "auth": "au", **keys}})


@pytest.mark.parametrize(
    "body",
    [
        _subscription("https://push.example/\ud800"),
        _subscription("https://push.example/\x00"),
        _subscription("https://push.example/a b"),
        _subscription("https://push.example/\u0085"),
        _subscription("https://"),
        _subscription(p256dh="BP\ud800k"),
        _subscription(auth="a\x00u"),
        _subscription(auth="not base64!"),
        '{"endpoint": NaN, "keys": {}}',
        json.dumps({"endpoint\ud800": "https://push.example/abc"}),
    ],
)
def test_a_malformed_push_subscription_is_a_400(cast: Cast, body: str) -> None:
    response = _subscribe(client_for(cast.ada), body)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "That is not a push subscription." in response.content.decode()  # type: ignore[attr-defined]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("endpoint", ["https://push.example/\ud800", "https://push.example/\x00"])
def test_unsubscribing_a_malformed_endpoint_is_a_400(cast: Cast, endpoint: str) -> None:
    response = client_for(cast.ada).post(
        reverse("push_unsubscribe"), json.dumps({"endpoint": endpoint}), "application/json"
    )

    assert response.status_code == 400


def _nested(depth: int) -> str:
    """A push subscription carrying an array nested `depth` deep beside it."""
    nested = "[" * depth + "]" * depth
    return _subscription()[:-1] + f', "a": {nested}}}'


# Found by the stress fuzz: 5,000 deep parsed but broke the recursive check of every
# string (RecursionError, a 500); 50,000 deep broke the parser itself. What the
# app's scripts send is a few levels deep.
@pytest.mark.parametrize("depth", [32, 5_000, 50_000])
@pytest.mark.parametrize("route", ["push_subscribe", "push_unsubscribe", "passkey_add"])
def test_json_nested_too_deep_is_a_400(cast: Cast, route: str, depth: int) -> None:
    response = client_for(cast.ada).post(reverse(route), _nested(depth), "application/json")

    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_json_nested_as_deep_as_allowed_is_read(cast: Cast) -> None:
    response = _subscribe(client_for(cast.ada), _nested(31))

    assert response.status_code == 201  # type: ignore[attr-defined]
    assert PushSubscription.objects.count() == 1
