"""The server's side of each person's private-data key (tend.accounts.vault).

The server only ever holds the key wrapped (in the browser: static/tend/js/vault.js);
here it is checked that it takes keys only in their form, only from their owner, never
replaces one by the back door, keeps them through a password change, an email change
and a reset with the recovery code, drops them on a reset without it (after the person
agreed on the form), and deletes them with the account. Wrong input is a 4xx, never a 500.
"""

import base64
import hashlib
import html
import json
import os
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tend.accounts import vault
from tend.accounts.models import Passkey, PasskeyVaultKey, User, VaultKey
from tend.core.bundles import BUNDLES
from tests.accounts.helpers import signed_in
from tests.conftest import PASSWORD, Cast


def wrapped() -> str:
    """What the browser sends: "kw1." and 40 bytes (here random; the server cannot tell)."""
    return "kw1." + base64.urlsafe_b64encode(os.urandom(40)).rstrip(b"=").decode()


def give_key(user: User) -> VaultKey:
    key = vault.create(user, wrapped(), wrapped())
    assert key is not None
    return key


def body_attrs(client: Client, url: str = "/profile/") -> str:
    page = client.get(url).content.decode()
    return page[page.index("<body") : page.index(">", page.index("<body"))]


def test_wrapped_keys_have_one_form() -> None:
    assert vault.is_wrapped(wrapped())
    envelope = "e2e1." + "A" * 16 + "." + "A" * 22
    for bad in ["", "kw1.", "kw1." + "A" * 53, "kw1." + "A" * 55, "kw2." + "A" * 54,
                "kw1." + "+" * 54, envelope, None, 42]:  # fmt: skip
        assert not vault.is_wrapped(bad), bad


def test_the_salt_is_the_browsers() -> None:
    # The same bytes vault.js derives (tests/e2e/test_vault_vectors.py checks that side).
    expected = hashlib.sha256(b"tend-vault salt v1\x00ada@example.org").digest()
    assert vault.salt_for("  Ada@Example.ORG ") == (
        base64.urlsafe_b64encode(expected).rstrip(b"=").decode()
    )


def test_a_first_key_is_made_once_and_only_by_its_owner(cast: Cast) -> None:
    ada = signed_in(cast.ada)
    first, recovery = wrapped(), wrapped()
    made = ada.post(reverse("vault_create"), {"wrapped": first, "recovery_wrapped": recovery})
    assert made.status_code == 201
    key = VaultKey.objects.get(user=cast.ada)
    assert (key.wrapped, key.recovery_wrapped) == (first, recovery)
    assert key.salt == vault.salt_for(cast.ada.email) and key.iterations == 600_000
    # A second one does not replace it: the first is given back, wrapped.
    again = ada.post(reverse("vault_create"), {"wrapped": wrapped(), "recovery_wrapped": wrapped()})
    assert again.status_code == 409
    assert json.loads(again.content)["wrapped"] == first
    assert VaultKey.objects.get(user=cast.ada).wrapped == first
    # Ben's request makes Ben's key, never touches Ada's.
    ben = signed_in(cast.ben)
    assert (
        ben.post(
            reverse("vault_create"), {"wrapped": wrapped(), "recovery_wrapped": wrapped()}
        ).status_code
        == 201
    )
    assert VaultKey.objects.get(user=cast.ada).wrapped == first
    assert Client().post(reverse("vault_create"), {"wrapped": first}).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"wrapped": "kw1.short", "recovery_wrapped": "kw1.short"},
        {"wrapped": "not a key at all", "recovery_wrapped": "x"},
        {"wrapped": "kw1." + "A" * 54},
        {"wrapped": "kw1." + "A" * 54 + "\x00", "recovery_wrapped": "kw1." + "A" * 54},
        {"wrapped": "A" * 5000, "recovery_wrapped": "A" * 5000},
    ],
)
def test_a_key_not_in_its_form_is_refused_plainly(cast: Cast, data: dict[str, str]) -> None:
    ada = signed_in(cast.ada)
    answer = ada.post(reverse("vault_create"), data)
    assert answer.status_code == 400
    assert json.loads(answer.content)["error"]
    assert not VaultKey.objects.filter(user=cast.ada).exists()


def test_making_a_key_without_a_sign_in_checks_the_password(cast: Cast) -> None:
    ada = signed_in(cast.ada)
    fields = {"wrapped": wrapped(), "recovery_wrapped": wrapped()}
    wrong = ada.post(reverse("vault_create"), {**fields, "password": "not it"})
    assert wrong.status_code == 400 and "password" in json.loads(wrong.content)["error"]
    assert not VaultKey.objects.filter(user=cast.ada).exists()
    assert ada.post(reverse("vault_create"), {**fields, "password": PASSWORD}).status_code == 201


def test_the_signed_in_pages_carry_only_their_own_persons_key(cast: Cast) -> None:
    key = give_key(cast.ada)
    give_key(cast.ben)
    ada = signed_in(cast.ada)
    attrs = body_attrs(ada)
    assert f'data-vault-user="{cast.ada.pk}"' in attrs
    assert f'data-vault-wrapped="{key.wrapped}"' in attrs
    assert f'data-vault-recovery="{key.recovery_wrapped}"' in attrs
    assert f'data-vault-salt="{key.salt}"' in attrs and 'data-vault-iterations="600000"' in attrs
    assert cast.ben.vault_key.wrapped not in ada.get("/profile/").content.decode()
    # Signed out: nothing of anyone's.
    assert "data-vault" not in body_attrs(Client(), "/help/")


def test_someone_without_a_key_yet_is_told_to_make_one(cast: Cast) -> None:
    attrs = body_attrs(signed_in(cast.ada))
    assert f'data-vault-user="{cast.ada.pk}"' in attrs and "data-vault-wrapped" not in attrs
    assert 'data-vault-create="/account/key/create/"' in attrs


def test_a_session_from_before_keys_reads_them_without_writing(cast: Cast) -> None:
    ada = signed_in(cast.ada)
    key = give_key(cast.ada)  # made elsewhere; this session never remembered it
    session = ada.session
    session.pop(vault.SESSION_KEY, None)
    session.save()
    assert f'data-vault-wrapped="{key.wrapped}"' in body_attrs(ada)


def test_a_new_recovery_code_needs_the_password_and_a_key(cast: Cast) -> None:
    ada = signed_in(cast.ada)
    url = reverse("account_vault")
    assert ada.get(url).status_code == 200
    assert ada.post(url, {"password": PASSWORD, "recovery_wrapped": wrapped()}).status_code == 409
    key = give_key(cast.ada)
    wrong = ada.post(url, {"password": "not it", "recovery_wrapped": wrapped()})
    assert wrong.status_code == 400 and "password" in json.loads(wrong.content)["error"]
    assert ada.post(url, {"password": PASSWORD, "recovery_wrapped": "nope"}).status_code == 400
    new = wrapped()
    done = ada.post(url, {"password": PASSWORD, "recovery_wrapped": new})
    assert done.status_code == 200 and json.loads(done.content)["recovery"] == new
    key.refresh_from_db()
    assert key.recovery_wrapped == new
    assert f'data-vault-recovery="{new}"' in body_attrs(ada)


def test_a_password_change_keeps_the_key_wrapped_anew(cast: Cast) -> None:
    key = give_key(cast.ada)
    ada = signed_in(cast.ada)
    new_password = "a new and long passphrase"
    form = {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password}
    # Without the key wrapped anew (no JavaScript), nothing changes.
    refused = ada.post(reverse("password_change"), form)
    assert refused.status_code == 400
    assert "needs JavaScript" in refused.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(PASSWORD)
    bad = ada.post(reverse("password_change"), {**form, "vault_wrapped": "kw1.nope"})
    assert bad.status_code == 400
    rewrapped = wrapped()
    done = ada.post(reverse("password_change"), {**form, "vault_wrapped": rewrapped})
    assert done.status_code == 302
    key.refresh_from_db()
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(new_password)
    assert key.wrapped == rewrapped
    assert f'data-vault-wrapped="{rewrapped}"' in body_attrs(ada)


def test_a_password_change_without_a_key_needs_none(cast: Cast) -> None:
    ada = signed_in(cast.ada)
    new_password = "a new and long passphrase"
    form = {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password}
    assert ada.post(reverse("password_change"), form).status_code == 302
    assert not VaultKey.objects.filter(user=cast.ada).exists()


def test_an_email_change_wraps_the_key_for_the_new_salt(cast: Cast) -> None:
    key = give_key(cast.ada)
    ada = signed_in(cast.ada)
    form = {"email": "ada.new@example.org", "password": PASSWORD}
    assert ada.post(reverse("account_email"), form).status_code == 400
    cast.ada.refresh_from_db()
    assert cast.ada.email != "ada.new@example.org"
    rewrapped = wrapped()
    assert (
        ada.post(reverse("account_email"), {**form, "vault_wrapped": rewrapped}).status_code == 302
    )
    key.refresh_from_db()
    assert key.wrapped == rewrapped and key.salt == vault.salt_for("ada.new@example.org")


def _reset_page(client: Client, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    first = client.get(reverse("password_reset_confirm", args=[uid, token]))
    assert first.status_code == 302  # Django puts the token in the session
    return first["Location"]


def test_a_reset_says_before_it_drops_the_key_and_keeps_it_with_the_code(cast: Cast) -> None:
    key = give_key(cast.ada)
    browser = Client()
    url = _reset_page(browser, cast.ada)
    page = browser.get(url).content.decode()
    assert "will become unreadable" in page
    assert f'data-vault-recovery="{key.recovery_wrapped}"' in page
    new_password = "a new and long passphrase"
    form = {"new_password1": new_password, "new_password2": new_password}
    # Neither the code's key nor the agreement: refused, the key and password unchanged.
    refused = browser.post(url, form)
    assert refused.status_code == 400
    assert VaultKey.objects.filter(user=cast.ada).exists()
    # With the code: the key wrapped by the new password, the recovery copy unchanged.
    rewrapped = wrapped()
    assert browser.post(url, {**form, "vault_wrapped": rewrapped}).status_code == 302
    key.refresh_from_db()
    assert key.wrapped == rewrapped and key.recovery_wrapped
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(new_password)


def test_a_reset_without_the_code_drops_the_key_once_agreed(cast: Cast) -> None:
    give_key(cast.ada)
    passkey = Passkey.objects.create(
        user=cast.ada, credential_id="abc", public_key=b"x", name="Phone"
    )
    vault.keep_for_passkey(passkey, wrapped())
    browser = Client()
    url = _reset_page(browser, cast.ada)
    new_password = "a new and long passphrase"
    form = {"new_password1": new_password, "new_password2": new_password, "drop_private": "on"}
    assert browser.post(url, form).status_code == 302
    assert not VaultKey.objects.filter(user=cast.ada).exists()
    assert not PasskeyVaultKey.objects.filter(passkey__user=cast.ada).exists()
    # The next sign-in's page asks the browser to make a new key.
    assert "data-vault-wrapped" not in body_attrs(signed_in_with(cast.ada, new_password))


def signed_in_with(user: User, password: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": user.email, "password": password}).status_code == 302
    return client


def test_a_reset_for_someone_without_a_key_asks_nothing_more(cast: Cast) -> None:
    browser = Client()
    url = _reset_page(browser, cast.ada)
    page = browser.get(url).content.decode()
    assert "unreadable" not in page
    new_password = "a new and long passphrase"
    assert (
        browser.post(
            url, {"new_password1": new_password, "new_password2": new_password}
        ).status_code
        == 302
    )


def test_deleting_the_account_deletes_its_wrapped_keys(cast: Cast) -> None:
    give_key(cast.ada)
    passkey = Passkey.objects.create(
        user=cast.ada, credential_id="abc", public_key=b"x", name="Phone"
    )
    vault.keep_for_passkey(passkey, wrapped())
    ada = signed_in(cast.ada)
    assert ada.post(reverse("account_delete"), {"password": PASSWORD}).status_code == 302
    assert (
        not VaultKey.objects.exists() or not VaultKey.objects.filter(user_id=cast.ada.pk).exists()
    )
    assert not PasskeyVaultKey.objects.filter(passkey__user_id=cast.ada.pk).exists()


def scripts(client: Client, url: str) -> set[str]:
    """The names of tend's own scripts a page loads ("vault", "private", ...), those
    collected as one file (tend.core.bundles) by their own names too."""
    page = client.get(url).content.decode()
    names = set(re.findall(r'<script src="/static/tend/js/([a-z-]+)\.[0-9a-f]{12}\.js"', page))
    for name in list(names):
        parts = BUNDLES.get(f"tend/js/{name}.js", ())
        names |= {part.removeprefix("tend/js/").removesuffix(".js") for part in parts}
    return names


def test_the_key_s_scripts_come_where_the_key_is_used_and_after_signing_in(cast: Cast) -> None:
    give_key(cast.ada)
    repair = f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/"
    ada = signed_in(cast.ada)
    # The page after signing in, whatever it is, takes the key over; then only the pages
    # that use the key load its scripts.
    assert {"vault", "vault-panel"} <= scripts(ada, reverse("notifications"))
    assert not {"vault", "vault-panel", "vault-keys", "private"} & scripts(ada, reverse("home"))
    assert {"vault", "vault-panel", "private", "guides"} <= scripts(ada, repair)
    assert {"vault", "vault-panel", "vault-keys"} <= scripts(ada, reverse("password_change"))
    assert "vault-keys" not in scripts(ada, repair)
    # A page that uses the key takes it over as well: the next one is light again.
    ada = signed_in(cast.ada)
    assert "vault-panel" in scripts(ada, repair)
    assert "vault-panel" not in scripts(ada, reverse("home"))
    # Signed out: the sign-in's forms, not the signed-in page's panel.
    assert {"vault", "vault-keys"} <= scripts(Client(), reverse("login"))
    assert "vault-panel" not in scripts(Client(), reverse("login"))
    assert not {"vault", "vault-keys"} & scripts(Client(), reverse("help"))


def test_the_panel_is_a_fragment_for_the_signed_in(cast: Cast) -> None:
    page = signed_in(cast.ada).get(reverse("vault_panel")).content.decode()
    assert 'id="vault-panel"' in page and "<html" not in page
    # Its fields have no name: what is typed there is never sent.
    assert ' name="' not in page


def test_the_panel_carries_the_key_as_only_ones_own_passkeys_wrap_it(cast: Cast) -> None:
    give_key(cast.ada)
    ada = signed_in(cast.ada)
    assert "data-vault-passkey" not in ada.get(reverse("vault_panel")).content.decode()
    opener = Passkey.objects.create(user=cast.ada, credential_id="opener", public_key=b"x")
    Passkey.objects.create(user=cast.ada, credential_id="plain", public_key=b"x")
    bens = Passkey.objects.create(user=cast.ben, credential_id="bens", public_key=b"x")
    by_opener, by_bens = wrapped(), wrapped()
    vault.keep_for_passkey(opener, by_opener)
    vault.keep_for_passkey(bens, by_bens)
    page = ada.get(reverse("vault_panel")).content.decode()
    carried = json.loads(html.unescape(page.split('data-vault-passkey="')[1].split('"')[0]))
    assert carried == {"opener": by_opener}
    assert "Open them with a passkey" in page


def test_the_export_says_a_key_exists_but_not_its_bytes(cast: Cast) -> None:
    from tests.accounts.test_export import export

    assert export(signed_in(cast.ben))[0]["private_key"] is None
    key = give_key(cast.ada)
    data, as_json, as_html = export(signed_in(cast.ada))
    assert data["private_key"]["wrapped_by"] == ["password", "recovery code"]
    assert "600000 iterations" in data["private_key"]["password_kdf"]
    for secret in (key.wrapped, key.recovery_wrapped, key.wrapped[4:20]):
        assert secret not in as_json and secret not in as_html
