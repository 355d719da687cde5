"""Keeps the device list in step with Django's own sign-in and sign-out."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from tend.accounts import sessions, vault
from tend.accounts.models import User, VaultKey


@receiver(user_logged_in, dispatch_uid="tend.accounts.vault_carried")
def on_signed_in_vault(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    # The wrapped key rides in the session, so that the signed-in pages carry it without
    # a query. Connected before the device list's receiver, which saves the session in
    # the sign-in's transaction: nothing is left to write with the response.
    if request is not None and hasattr(request, "session"):
        vault.remember(request, VaultKey.objects.filter(user=user).first())


@receiver(user_logged_in, dispatch_uid="tend.accounts.signed_in")
def on_signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.signed_in(request, user)


@receiver(user_logged_out, dispatch_uid="tend.accounts.signed_out")
def on_signed_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Sent before the session is flushed, so its key still names the row.
    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session.session_key)
