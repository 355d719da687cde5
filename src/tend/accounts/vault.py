"""The server's side of each person's private-data key: it only ever stores it wrapped.

The key is made, wrapped and unwrapped in the browser (static/tend/js/vault.js,
vault-keys.js, vault-panel.js; docs/keys.md). Here: the format a wrapped key must have, the salt the
browser derives the password's wrapping key with, and what the signed-in pages carry
so the browser can unwrap the key there.

The wrapped key and its parameters are kept in the session as well, set at sign-in and
whenever they change, so that every signed-in page can carry them without a query.
A wrapped key is useless without the password, the recovery code or a passkey.
"""

import base64
import hashlib
import re
from typing import TypedDict

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from tend.accounts.models import Passkey, PasskeyVaultKey, User, VaultKey

# "kw1." and base64url (no padding) of 40 bytes: AES-KW of a 32-byte key.
WRAPPED = re.compile(r"kw1\.[A-Za-z0-9_-]{54}")
SALT_LABEL = b"tend-vault salt v1\x00"
ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256 (2023 and still current)
SESSION_KEY = "tend_vault"


class Carried(TypedDict, total=False):
    wrapped: str
    salt: str
    iterations: int
    recovery: str


def is_wrapped(value: object) -> bool:
    return isinstance(value, str) and WRAPPED.fullmatch(value) is not None


def salt_for(email: str) -> str:
    """The password KDF's salt: base64url of SHA-256 of a label and the normalized email.

    Derived, not random, so the browser has it when the password is typed, before any
    sign-in; a random salt would need an endpoint that answers for any email, which
    would tell who has an account. Per person all the same (emails are unique).
    """
    normalized = email.strip().lower().encode()
    digest = hashlib.sha256(SALT_LABEL + normalized).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def carried(key: VaultKey | None) -> Carried:
    if key is None:
        return {}
    return {
        "wrapped": key.wrapped,
        "salt": key.salt,
        "iterations": key.iterations,
        "recovery": key.recovery_wrapped,
    }


def remember(request: HttpRequest, key: VaultKey | None) -> None:
    """Keeps what the pages carry in the session (sign-in, and each change)."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = carried(key)


def for_pages(request: HttpRequest) -> Carried:
    """What this signed-in person's pages carry; {} when they have no key yet."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        return session[SESSION_KEY]
    # A session from before keys: read, not written (a read must not write).
    return carried(VaultKey.objects.filter(user=request.user).first())


def create(user: User, wrapped: str, recovery_wrapped: str) -> VaultKey | None:
    """The person's first key; None when they already have one (it is never replaced
    this way: a second device racing the first must not orphan what the first wrote)."""
    with transaction.atomic():
        key, made = VaultKey.objects.get_or_create(
            user=user,
            defaults={
                "wrapped": wrapped,
                "recovery_wrapped": recovery_wrapped,
                "salt": salt_for(user.email),
                "iterations": ITERATIONS,
            },
        )
    return key if made else None


def rewrap(user: User, wrapped: str, *, email: str | None = None) -> VaultKey | None:
    """The key wrapped anew (new password, or new email and so new salt). Call inside
    the transaction that saves the password or the email."""
    key = VaultKey.objects.select_for_update().filter(user=user).first()
    if key is None:
        return None
    key.wrapped = wrapped
    key.salt = salt_for(email or user.email)
    key.iterations = ITERATIONS
    key.changed_at = timezone.now()
    key.save(update_fields=["wrapped", "salt", "iterations", "changed_at"])
    return key


def set_recovery(user: User, recovery_wrapped: str) -> VaultKey | None:
    with transaction.atomic():
        key = VaultKey.objects.select_for_update().filter(user=user).first()
        if key is None:
            return None
        key.recovery_wrapped = recovery_wrapped
        key.changed_at = timezone.now()
        key.save(update_fields=["recovery_wrapped", "changed_at"])
    return key


def drop(user: User) -> None:
    """A reset without the recovery code: the key is gone (a new one is made at the next
    sign-in); what it encrypted can no longer be read by anyone."""
    VaultKey.objects.filter(user=user).delete()
    PasskeyVaultKey.objects.filter(passkey__user=user).delete()


def has_key(user: User) -> bool:
    return VaultKey.objects.filter(user=user).exists()


def keep_for_passkey(passkey: Passkey, wrapped: str) -> None:
    PasskeyVaultKey.objects.update_or_create(passkey=passkey, defaults={"wrapped": wrapped})


def for_passkey(passkey: Passkey) -> str:
    found = PasskeyVaultKey.objects.filter(passkey=passkey).first()
    return found.wrapped if found else ""


def by_passkey(user: User) -> dict[str, str]:
    """The key wrapped by each of this person's passkeys that can open it, by credential id."""
    return dict(
        PasskeyVaultKey.objects.filter(passkey__user=user).values_list(
            "passkey__credential_id", "wrapped"
        )
    )
