"""Passkeys: adding, naming, removing, and signing in with one (tend.accounts.passkeys)."""

import json

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from webauthn.helpers import base64url_to_bytes

from tend.accounts.models import DeviceSession, Passkey, PasskeyVaultKey, PasswordThrottle, User
from tend.accounts.passkeys import user_handle
from tests.accounts.authenticator import SoftPasskey
from tests.accounts.test_vault import give_key, wrapped
from tests.conftest import Cast, client_for

LIST = "/account/passkeys/"


def _json(client: Client, url: str, body: object | None = None, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body or {})
    return client.post(url, data, content_type="application/json")


def add_passkey(
    client: Client, passkey: SoftPasskey, name: str = "My phone", **extra: object
) -> Passkey:
    options = _json(client, reverse("passkey_add_options")).json()
    response = _json(
        client,
        reverse("passkey_add"),
        {"credential": passkey.create(options), "name": name, **extra},
    )
    assert response.status_code == 201, response.content
    return Passkey.objects.get(credential_id=passkey.id)


def sign_in_with(client: Client, passkey: SoftPasskey, url: str = "/login/passkey/"):
    options = _json(client, reverse("passkey_sign_in_options")).json()
    return _json(client, url, {"credential": passkey.get(options)})


@pytest.fixture
def ada_key(cast: Cast) -> SoftPasskey:
    passkey = SoftPasskey()
    add_passkey(client_for(cast.ada), passkey)
    return passkey


def test_adding_a_passkey_keeps_only_its_public_part(cast: Cast) -> None:
    phone = client_for(cast.ada)
    passkey = add_passkey(phone, SoftPasskey(), "Ada's phone")
    assert passkey.user == cast.ada
    assert passkey.name == "Ada's phone"
    assert passkey.sign_count == 1
    assert passkey.transports == ["internal"]
    page = phone.get(LIST).content.decode()
    assert "Ada&#x27;s phone" in page
    assert 'src="/static/tend/js/passkeys.' in page  # a static file: no inline script


def test_registration_options_ask_for_a_discoverable_verified_passkey(cast: Cast) -> None:
    options = _json(client_for(cast.ada), reverse("passkey_add_options")).json()
    assert options["rp"]["id"] == "testserver"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    # A keyed digest, not the account's number: the same on every passkey of the account.
    assert base64url_to_bytes(options["user"]["id"]) == user_handle(cast.ada)
    assert len(user_handle(cast.ada)) == 32


@pytest.mark.parametrize("who", ["ben", "cy", "dee", "eli"])
def test_each_person_sees_only_their_own_passkeys(
    cast: Cast, ada_key: SoftPasskey, who: str
) -> None:
    page = client_for(cast.people()[who]).get(LIST)
    assert page.status_code == 200
    assert "My phone" not in page.content.decode()


@pytest.mark.parametrize(
    "url", [LIST, "/account/passkeys/options/", "/account/passkeys/add/", "/unlock/"]
)
def test_anonymous_is_sent_to_log_in(db: None, url: str) -> None:
    client = Client()
    response = client.get(url) if url == LIST or url == "/unlock/" else client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"[]",
        b'{"credential": "x"}',
        b'{"credential": {}}',
        b'{"credential": {"id": 1}}',
        b'{"credential": {"id": "\\u0000"}}',
        b"NaN",
    ],
)
def test_malformed_answers_are_a_400(cast: Cast, raw: bytes) -> None:
    phone = client_for(cast.ada)
    _json(phone, reverse("passkey_add_options"))
    assert _json(phone, reverse("passkey_add"), raw=raw).status_code == 400
    _json(phone, reverse("passkey_sign_in_options"))
    assert _json(Client(), reverse("passkey_sign_in"), raw=raw).status_code == 400
    assert not Passkey.objects.exists()


def test_an_answer_without_a_challenge_asked_is_a_400(cast: Cast) -> None:
    phone = client_for(cast.ada)
    other = client_for(cast.ada)
    options = _json(other, reverse("passkey_add_options")).json()
    credential = SoftPasskey().create(options)
    # The challenge is in the other session, not this one.
    assert _json(phone, reverse("passkey_add"), {"credential": credential}).status_code == 400


def test_an_answer_to_another_challenge_is_a_400(cast: Cast) -> None:
    phone = client_for(cast.ada)
    first = _json(phone, reverse("passkey_add_options")).json()
    _json(phone, reverse("passkey_add_options"))  # a newer challenge replaces it
    response = _json(phone, reverse("passkey_add"), {"credential": SoftPasskey().create(first)})
    assert response.status_code == 400
    assert not Passkey.objects.exists()


def test_another_sites_answer_is_a_400(cast: Cast) -> None:
    phone = client_for(cast.ada)
    options = _json(phone, reverse("passkey_add_options")).json()
    credential = SoftPasskey().create(options, origin="https://evil.example")
    assert _json(phone, reverse("passkey_add"), {"credential": credential}).status_code == 400


def test_a_replayed_registration_is_a_400(cast: Cast) -> None:
    phone = client_for(cast.ada)
    options = _json(phone, reverse("passkey_add_options")).json()
    credential = SoftPasskey().create(options)
    assert _json(phone, reverse("passkey_add"), {"credential": credential}).status_code == 201
    assert _json(phone, reverse("passkey_add"), {"credential": credential}).status_code == 400
    assert Passkey.objects.count() == 1


def test_signing_in_with_a_passkey_counts_like_a_password(cast: Cast, ada_key: SoftPasskey) -> None:
    phone = Client()
    options = _json(phone, reverse("passkey_sign_in_options")).json()
    assert options["allowCredentials"] == []  # discoverable: no email asked first
    before = phone.session.session_key
    response = _json(
        phone, "/login/passkey/?next=/go/triggered/", {"credential": ada_key.get(options)}
    )
    assert response.status_code == 200
    assert response.json() == {"next": "/go/triggered/"}
    assert get_user(phone) == cast.ada
    assert phone.session.session_key != before  # a new session key, as with a password
    assert DeviceSession.objects.filter(
        user=cast.ada, session_key=phone.session.session_key
    ).exists()
    passkey = Passkey.objects.get(credential_id=ada_key.id)
    assert passkey.sign_count == 2 and passkey.last_used_at is not None
    assert phone.get("/home/").status_code == 200


def test_a_replayed_sign_in_is_refused(cast: Cast, ada_key: SoftPasskey) -> None:
    phone = Client()
    options = _json(phone, reverse("passkey_sign_in_options")).json()
    credential = ada_key.get(options)
    assert _json(phone, "/login/passkey/", {"credential": credential}).status_code == 200
    thief = Client()
    _json(thief, reverse("passkey_sign_in_options"))
    assert _json(thief, "/login/passkey/", {"credential": credential}).status_code == 400
    assert not get_user(thief).is_authenticated


def test_an_unknown_passkey_is_refused(cast: Cast) -> None:
    response = sign_in_with(Client(), SoftPasskey())
    assert response.status_code == 400
    assert "did not work" in response.json()["error"]


def test_a_wrong_signature_counts_as_a_failed_attempt(cast: Cast, ada_key: SoftPasskey) -> None:
    phone = Client()
    options = _json(phone, reverse("passkey_sign_in_options")).json()
    credential = ada_key.get(options)
    credential["response"]["signature"] = SoftPasskey().get(options)["response"]["signature"]
    assert _json(phone, "/login/passkey/", {"credential": credential}).status_code == 400
    assert not get_user(phone).is_authenticated
    assert PasswordThrottle.objects.get().failures == 1


def test_a_locked_out_account_cannot_use_its_passkey_from_there(
    cast: Cast, ada_key: SoftPasskey, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    Client().post("/login/", {"username": cast.ada.email, "password": "wrong one"})
    response = sign_in_with(Client(), ada_key)
    assert response.status_code == 403
    assert "Too many tries" in response.json()["error"]


def test_renaming_ones_own_passkey(cast: Cast, ada_key: SoftPasskey) -> None:
    passkey = Passkey.objects.get()
    url = reverse("passkey_rename", args=[passkey.pk])
    assert client_for(cast.ada).post(url, {"name": "Old phone"}).status_code == 302
    assert Passkey.objects.get().name == "Old phone"
    assert client_for(cast.ada).post(url, {"name": "  "}).status_code == 400
    assert client_for(cast.ada).post(url, {"name": "x" * 61}).status_code == 400


@pytest.mark.parametrize("who", ["ben", "cy", "dee", "eli"])
def test_nobody_else_can_rename_or_remove_it(cast: Cast, ada_key: SoftPasskey, who: str) -> None:
    passkey = Passkey.objects.get()
    client = client_for(cast.people()[who])
    assert (
        client.post(reverse("passkey_rename", args=[passkey.pk]), {"name": "x"}).status_code == 404
    )
    assert client.post(reverse("passkey_remove", args=[passkey.pk])).status_code == 404
    assert client.post(f"/account/passkeys/{2**63}/remove/").status_code == 404
    assert Passkey.objects.get().name == "My phone"


def test_removing_a_passkey_while_a_password_remains(cast: Cast, ada_key: SoftPasskey) -> None:
    passkey = Passkey.objects.get()
    response = client_for(cast.ada).post(reverse("passkey_remove", args=[passkey.pk]))
    assert response.status_code == 302
    assert not Passkey.objects.exists()


def test_the_last_way_to_sign_in_is_not_removed(cast: Cast, ada_key: SoftPasskey) -> None:
    User.objects.filter(pk=cast.ada.pk).update(password="!")  # no usable password
    passkey = Passkey.objects.get()
    phone = client_for(User.objects.get(pk=cast.ada.pk))
    response = phone.post(reverse("passkey_remove", args=[passkey.pk]), follow=True)
    assert "only way to sign in" in response.content.decode()
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    second = add_passkey(phone, SoftPasskey(), "Laptop")
    assert phone.post(reverse("passkey_remove", args=[passkey.pk])).status_code == 302
    assert list(Passkey.objects.all()) == [second]


def test_options_and_answers_are_post_only(cast: Cast) -> None:
    phone = client_for(cast.ada)
    for name in (
        "passkey_add_options",
        "passkey_add",
        "passkey_sign_in_options",
        "passkey_sign_in",
    ):
        assert phone.get(reverse(name)).status_code == 405


def test_the_export_lists_names_and_dates_never_keys(cast: Cast, ada_key: SoftPasskey) -> None:
    from tend.accounts.export import collect

    data = collect(cast.ada)
    assert [p["name"] for p in data["passkeys"]] == ["My phone"]
    assert set(data["passkeys"][0]) == {"name", "added_at", "last_used_at"}
    assert collect(cast.ben)["passkeys"] == []


def test_deleting_the_account_deletes_its_passkeys(cast: Cast, ada_key: SoftPasskey) -> None:
    from tend.accounts.actions import delete_account

    delete_account(cast.ada)
    assert not Passkey.objects.exists()


# The private-data key wrapped by a passkey's PRF output (docs/keys.md): sent wrapped
# when the passkey is added, kept for that passkey only, and given back, still wrapped,
# to whoever signs in or unlocks with that same passkey.


def test_a_passkey_added_with_the_key_keeps_it_wrapped_for_itself(cast: Cast) -> None:
    give_key(cast.ada)
    by_prf = wrapped()
    passkey = add_passkey(client_for(cast.ada), SoftPasskey(), vault_wrapped=by_prf)
    assert PasskeyVaultKey.objects.get().passkey == passkey
    assert passkey.vault_key.wrapped == by_prf


def test_signing_in_with_it_gives_back_that_passkeys_wrapped_key_only(cast: Cast) -> None:
    give_key(cast.ada)
    give_key(cast.ben)
    by_prf = wrapped()
    with_key, without = SoftPasskey(), SoftPasskey()
    add_passkey(client_for(cast.ada), with_key, vault_wrapped=by_prf)
    add_passkey(client_for(cast.ada), without, "Laptop")
    bens = SoftPasskey()
    add_passkey(client_for(cast.ben), bens, vault_wrapped=wrapped())
    answer = sign_in_with(Client(), with_key).json()
    assert answer == {"next": "/home/", "vault": {"user": str(cast.ada.pk), "wrapped": by_prf}}
    # Her other passkey has no PRF key: signing in works as before, the key stays locked.
    assert sign_in_with(Client(), without).json() == {"next": "/home/"}
    assert sign_in_with(Client(), bens).json()["vault"]["wrapped"] != by_prf


@pytest.mark.parametrize(
    "bad", ["", "kw1.short", "kw1." + "A" * 55, "e2e1." + "A" * 16 + "." + "A" * 22, 42, [], {}]
)
def test_a_wrapped_key_not_in_its_form_adds_nothing(cast: Cast, bad: object) -> None:
    give_key(cast.ada)
    phone = client_for(cast.ada)
    options = _json(phone, reverse("passkey_add_options")).json()
    body = {"credential": SoftPasskey().create(options), "vault_wrapped": bad}
    response = _json(phone, reverse("passkey_add"), body)
    assert response.status_code == 400
    assert "went wrong" in response.json()["error"]
    assert not Passkey.objects.exists() and not PasskeyVaultKey.objects.exists()


def test_a_wrapped_key_without_a_key_on_the_server_adds_nothing(cast: Cast) -> None:
    # Dropped by a reset without the recovery code while this page was open.
    phone = client_for(cast.ada)
    options = _json(phone, reverse("passkey_add_options")).json()
    body = {"credential": SoftPasskey().create(options), "vault_wrapped": wrapped()}
    response = _json(phone, reverse("passkey_add"), body)
    assert response.status_code == 409 and response.json()["error"]
    assert not Passkey.objects.exists() and not PasskeyVaultKey.objects.exists()


def test_a_refused_passkey_keeps_no_wrapped_key(cast: Cast) -> None:
    give_key(cast.ada)
    phone = client_for(cast.ada)
    options = _json(phone, reverse("passkey_add_options")).json()
    credential = SoftPasskey().create(options, origin="https://evil.example")
    body = {"credential": credential, "vault_wrapped": wrapped()}
    assert _json(phone, reverse("passkey_add"), body).status_code == 400
    assert not PasskeyVaultKey.objects.exists()


def test_removing_the_passkey_removes_its_wrapped_key(cast: Cast) -> None:
    give_key(cast.ada)
    phone = client_for(cast.ada)
    passkey = add_passkey(phone, SoftPasskey(), vault_wrapped=wrapped())
    assert phone.post(reverse("passkey_remove", args=[passkey.pk])).status_code == 302
    assert not PasskeyVaultKey.objects.exists()


def test_the_page_asks_for_the_password_only_of_someone_with_a_key(cast: Cast) -> None:
    phone = client_for(cast.ada)
    assert 'id="passkey-password"' not in phone.get(LIST).content.decode()
    give_key(cast.ada)
    add_passkey(phone, SoftPasskey(), "Plain")
    add_passkey(phone, SoftPasskey(), "Opener", vault_wrapped=wrapped())
    page = phone.get(LIST).content.decode()
    field = page[page.index('<input id="passkey-password"') :]
    assert ' name="' not in field[: field.index(">")]  # used on the device, never sent
    # Only the passkey that wraps the key says it opens the private entries.
    cards = {card.split("</p>")[0]: card for card in page.split('<p class="card-title">')[1:]}
    assert "Also opens your private entries" in cards["Opener"]
    assert "Also opens your private entries" not in cards["Plain"]
