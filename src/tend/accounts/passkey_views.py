"""Passkeys on the account page, signing in with one, and unlocking an own phone.

The browser half is static/tend/js/passkeys.js (and passkey-add.js): it asks for
options (a POST, since it keeps a challenge in the session), hands them to the phone,
and posts the answer back as JSON. Every refusal is a 4xx with a plain message the script shows.

A passkey whose phone has the PRF extension can also open the private entries
(docs/keys.md): when it is added, the browser may send the private-data key wrapped by
the passkey's PRF output (`vault_wrapped`), kept for that passkey; signing in or
unlocking with it answers with that wrapped key, which only the same passkey's PRF
output, on the person's device, unwraps.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts import passkeys, sessions, vault
from tend.accounts.confirm import password_is_right
from tend.accounts.lock import open_when_locked
from tend.accounts.models import Passkey, User
from tend.accounts.session_views import LARGEST_ID
from tend.core.http import json_object, posted, safe_next

BACKEND = "django.contrib.auth.backends.ModelBackend"


class NameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=60,
        error_messages={"required": gettext_lazy("Please give it a name you will recognise.")},
    )


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _not_accepted() -> JsonResponse:
    return _refused(_("That passkey did not work here. Please try again."))


def _options(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


def _signed_in(request: HttpRequest, passkey: Passkey) -> JsonResponse:
    """Where to go next, and the key this passkey wraps, if any: the browser unwraps it
    with the passkey's PRF output, which never leaves the device."""
    answer: dict[str, object] = {"next": safe_next(request) or resolve_url("home")}
    wrapped = vault.for_passkey(passkey)
    if wrapped:
        answer["vault"] = {"user": str(passkey.user_id), "wrapped": wrapped}
    return JsonResponse(answer)


def _own(request: HttpRequest, passkey_id: int) -> Passkey:
    # Anyone else's passkey is a 404, as if it did not exist.
    if passkey_id > LARGEST_ID:
        raise Http404
    return get_object_or_404(
        Passkey.objects.select_related("user"), pk=passkey_id, user=request.user
    )


def _list(user: User) -> dict[str, object]:
    return {
        "passkeys": list(user.passkeys.select_related("vault_key")),
        "has_password": user.has_usable_password(),
        # Someone with a key may type their password to have the passkey open it too.
        "has_key": vault.has_key(user),
    }


@require_GET
def passkey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/passkeys.html", _list(request.user))  # type: ignore[arg-type]


@require_POST
def add_options(request: HttpRequest) -> HttpResponse:
    return _options(passkeys.registration_options(request, request.user))  # type: ignore[arg-type]


@require_POST
def add(request: HttpRequest) -> JsonResponse:
    data = json_object(request)
    if data is None or not isinstance(data.get("credential"), dict):
        return _refused(_("Something went wrong on the way. Please try again."))
    user: User = request.user  # type: ignore[assignment]
    wrapped = data.get("vault_wrapped")
    if wrapped is not None and not vault.is_wrapped(wrapped):
        return _refused(_("Something went wrong on the way. Please try again."))
    if wrapped is not None and not vault.has_key(user):
        # A key wrapped for a key the server no longer has (dropped by a reset meanwhile).
        return _refused(_("You have no key yet."), 409)
    name = data.get("name")
    name = name.strip()[:60] if isinstance(name, str) and name.strip() else _("My passkey")
    try:
        with transaction.atomic():
            passkey = passkeys.add(request, user, data["credential"], name)
            if wrapped is not None:
                vault.keep_for_passkey(passkey, wrapped)
    except passkeys.Refused:
        return _refused(_("That passkey could not be added. Please try again."))
    messages.success(request, _("Your passkey is added. Next time, sign in with it."))
    return JsonResponse({"next": resolve_url("account_passkeys")}, status=201)


@require_POST
def rename(request: HttpRequest, passkey_id: int) -> HttpResponse:
    passkey = _own(request, passkey_id)
    form = NameForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/passkeys.html",
            {**_list(request.user), "rename_form": form, "renaming": passkey.pk},  # type: ignore[arg-type]
            status=400,
        )
    passkeys.rename(passkey, form.cleaned_data["name"])
    messages.success(request, _("Saved."))
    return redirect("account_passkeys")


@require_POST
def remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    passkey = _own(request, passkey_id)
    if not passkeys.remove(passkey):
        messages.warning(
            request,
            _(
                "This is your only way to sign in, so it stays. "
                "Add another passkey or set a password first."
            ),
        )
        response = redirect("account_passkeys")
        response.status_code = 303
        return response
    messages.success(request, _("That passkey is removed."))
    return redirect("account_passkeys")


@login_not_required
@require_POST
def sign_in_options(request: HttpRequest) -> HttpResponse:
    return _options(passkeys.sign_in_options(request))


@login_not_required
@require_POST
def sign_in(request: HttpRequest) -> JsonResponse:
    data = json_object(request)
    if data is None or not isinstance(data.get("credential"), dict):
        return _refused(_("Something went wrong on the way. Please try again."))
    try:
        passkey = passkeys.verify(request, data["credential"])
    except passkeys.Refused as refused:
        if str(refused) == "locked":
            return _refused(
                _("Too many tries from here. Please wait a little, then try again."), 403
            )
        return _not_accepted()
    # Like a password: a new session key, the device list and the timeouts (signals),
    # written in one turn, all or none (as LoginView does; tend.accounts.sessions).
    with transaction.atomic():
        login(request, passkey.user, backend=BACKEND)
    return _signed_in(request, passkey)


# Unlocking an own phone that locked while idle.


@open_when_locked
@require_http_methods(["GET", "POST"])
def unlock(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = safe_next(request) or resolve_url("home")
    if not sessions.is_locked(request.session, timezone.now()):
        return redirect(target)
    form = UnlockForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if password_is_right(request, user, form.cleaned_data["password"]):
            sessions.unlock(request)
            return redirect(target)
        form.add_error("password", _("That password is not right. Please try again."))
    return render(
        request,
        "accounts/unlock.html",
        {
            "form": form,
            "next": safe_next(request),
            "has_passkey": user.passkeys.exists(),
            "has_password": user.has_usable_password(),
        },
        status=400 if form.errors else 200,
    )


@open_when_locked
@require_POST
def unlock_options(request: HttpRequest) -> HttpResponse:
    return _options(passkeys.sign_in_options(request))


@open_when_locked
@require_POST
def unlock_with_passkey(request: HttpRequest) -> JsonResponse:
    data = json_object(request)
    if data is None or not isinstance(data.get("credential"), dict):
        return _refused(_("Something went wrong on the way. Please try again."))
    try:
        passkey = passkeys.verify(request, data["credential"], only=request.user)  # type: ignore[arg-type]
    except passkeys.Refused:
        return _not_accepted()
    sessions.unlock(request)
    return _signed_in(request, passkey)
