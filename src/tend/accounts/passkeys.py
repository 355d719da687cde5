"""Passkeys: adding one to an account, and signing in (or unlocking) with one.

The ceremonies are py_webauthn's (`webauthn`): tend only keeps the challenge between
the two halves and the credential's public key. Each challenge lives in the session
for a few minutes and is used once: taken out before it is checked, so a replayed
answer finds none.

A passkey sign-in counts like a password: the account's slowdown
(`tend.accounts.throttle`) and django-axes' lockout apply before the answer is
checked, a wrong answer counts against both, and `login()` gives a new session key
and starts the device list's entry and the timeouts (`tend.accounts.signals`).
"""

import hashlib
import hmac
import json
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from tend.accounts import throttle
from tend.accounts.models import Passkey, User

# py_webauthn is imported in each function that uses it: with it come cryptography,
# pyOpenSSL and pyasn1, a tenth of a second of every start of `tend serve` (the URLs
# import this module) for the few requests that add or use a passkey.

REGISTER = "tend_passkey_register"
SIGN_IN = "tend_passkey_sign_in"
CHALLENGE_SECONDS = 300


def _malformed() -> tuple[type[Exception], ...]:
    """What a malformed answer can raise inside the library: its own exceptions, and
    those of base64 and CBOR decoding of what the browser sent."""
    from webauthn.helpers.exceptions import WebAuthnException

    return (WebAuthnException, ValueError, TypeError, KeyError, IndexError, AttributeError)


class Refused(Exception):
    """The passkey's answer is not accepted; the message is for the person."""


def _rp_id(request: HttpRequest) -> str:
    # The host the browser used (checked against ALLOWED_HOSTS by Django): a passkey
    # belongs to that name, and the browser will only use it there.
    return request.get_host().rsplit(":", 1)[0].strip("[]")


def _origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def user_handle(user: User) -> bytes:
    """The account's id inside its passkeys: stable, and saying nothing of the account."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"passkey:{user.pk}".encode(), hashlib.sha256
    ).digest()


def _keep(request: HttpRequest, slot: str, challenge: bytes) -> None:
    from webauthn.helpers import bytes_to_base64url

    request.session[slot] = {"c": bytes_to_base64url(challenge), "t": int(time.time())}


def _take(request: HttpRequest, slot: str) -> bytes:
    from webauthn import base64url_to_bytes

    kept = request.session.pop(slot, None)
    if not isinstance(kept, dict) or time.time() - kept.get("t", 0) > CHALLENGE_SECONDS:
        raise Refused("expired")
    return base64url_to_bytes(kept["c"])


def registration_options(request: HttpRequest, user: User) -> str:
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    options = generate_registration_options(
        rp_id=_rp_id(request),
        rp_name="tend",
        user_id=user_handle(user),
        user_name=user.email,
        user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            # Kept on the phone, so that signing in needs no email typed.
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=_raw(p.credential_id)) for p in user.passkeys.all()
        ],
    )
    _keep(request, REGISTER, options.challenge)
    return options_to_json(options)


def _raw(credential_id: str) -> bytes:
    from webauthn import base64url_to_bytes

    return base64url_to_bytes(credential_id)


def add(request: HttpRequest, user: User, credential: dict[str, Any], name: str) -> Passkey:
    """Checks the browser's answer to `registration_options` and keeps the passkey."""
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url

    challenge = _take(request, REGISTER)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=_rp_id(request),
            expected_origin=_origin(request),
            require_user_verification=True,
        )
    except _malformed() as error:
        raise Refused("invalid") from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise Refused("known")
    transports = credential.get("response", {}).get("transports", [])
    return Passkey.objects.create(
        user=user,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t for t in transports if isinstance(t, str)][:8]
        if isinstance(transports, list)
        else [],
        name=name,
    )


def sign_in_options(request: HttpRequest) -> str:
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers.structs import UserVerificationRequirement

    options = generate_authentication_options(
        rp_id=_rp_id(request), user_verification=UserVerificationRequirement.REQUIRED
    )
    _keep(request, SIGN_IN, options.challenge)
    return options_to_json(options)


def verify(
    request: HttpRequest, credential: dict[str, Any], *, only: User | None = None
) -> Passkey:
    """The passkey that answered `sign_in_options` (its person as `.user`); raises
    Refused or PasswordWait.

    `only`: unlocking a session, where the passkey must be that person's own.
    """
    from webauthn import verify_authentication_response
    from webauthn.helpers import parse_authentication_credential_json

    challenge = _take(request, SIGN_IN)
    try:
        credential_id = parse_authentication_credential_json(json.dumps(credential)).id
    except _malformed() as error:
        raise Refused("invalid") from error
    passkey = Passkey.objects.select_related("user").filter(credential_id=credential_id).first()
    if passkey is None or (only is not None and passkey.user_id != only.pk):
        raise Refused("unknown")
    user = passkey.user
    field = str(settings.AXES_USERNAME_FORM_FIELD)  # type: ignore[misc]
    credentials = {field: user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        raise Refused("locked")
    throttle.claim_attempt(user.email)  # raises PasswordWait during the account's wait
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=_rp_id(request),
            expected_origin=_origin(request),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except _malformed() as error:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        raise Refused("invalid") from error
    throttle.succeeded(user.email)
    with transaction.atomic():
        Passkey.objects.filter(pk=passkey.pk).update(
            sign_count=verified.new_sign_count, last_used_at=timezone.now()
        )
    if not user.is_active:
        raise Refused("inactive")
    return passkey


def rename(passkey: Passkey, name: str) -> None:
    Passkey.objects.filter(pk=passkey.pk).update(name=name)


def can_remove(passkey: Passkey) -> bool:
    """A person keeps at least one way to sign in: a usable password or another passkey."""
    user = passkey.user
    return user.has_usable_password() or user.passkeys.exclude(pk=passkey.pk).exists()


def remove(passkey: Passkey) -> bool:
    """Removes it unless it is the last way in; says whether it did."""
    with transaction.atomic():
        # Locked, so that two removals at once cannot both see "another one is left".
        list(Passkey.objects.select_for_update().filter(user_id=passkey.user_id))
        if not can_remove(passkey):
            return False
        passkey.delete()
    return True
