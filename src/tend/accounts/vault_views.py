"""The private-data key's own views: making the first one, and a new recovery code.

Both are called by the browser (static/tend/js/vault-panel.js) with keys it wrapped
itself; the server checks their form and whose they are, never what is inside. Every
refusal is a 4xx with a plain message the script shows.
"""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts import vault
from tend.accounts.forms import RecoveryCodeForm, VaultCreateForm
from tend.core.http import posted


def _refused(form_errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    # The password's message first: it is the one a person can act on.
    for name in ("password", "__all__", "recovery_wrapped", "wrapped"):
        if name in form_errors:
            return JsonResponse({"error": form_errors[name][0]}, status=status)
    return JsonResponse({"error": _("That did not work. Please try again.")}, status=status)


@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = VaultCreateForm(request.user, request.POST, request=request)  # type: ignore[arg-type]
    if not form.is_valid():
        return _refused(form.errors)
    key = vault.create(
        request.user,  # type: ignore[arg-type]
        form.cleaned_data["wrapped"],
        form.cleaned_data["recovery_wrapped"],
    )
    if key is None:
        # Made meanwhile on another device: that one stands, and is given back wrapped.
        existing = vault.carried(request.user.vault_key)  # type: ignore[union-attr]
        vault.remember(request, request.user.vault_key)  # type: ignore[union-attr]
        return JsonResponse(
            {"error": _("You already have a key."), **existing},
            status=409,
        )
    vault.remember(request, key)
    return JsonResponse(vault.carried(key), status=201)


@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    """The vault's prompts (unlock here, make the key, the recovery code), fetched by the
    page only when it needs one: most pages never do, and stay lighter without it.

    It carries the key as wrapped by each of the person's passkeys that can open it, by
    credential id: asked for its PRF output here, such a passkey opens it on the device.
    """
    by_passkey = vault.by_passkey(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/vault_panel.html",
        {"by_passkey": json.dumps(by_passkey) if by_passkey else ""},
    )


@require_http_methods(["GET", "POST"])
def recovery(request: HttpRequest) -> HttpResponse:
    """The page about one's key, and a new recovery code (the old one stops working)."""
    user = request.user
    form = RecoveryCodeForm(user, posted(request), request=request)  # type: ignore[arg-type]
    if request.method == "POST":
        if not vault.has_key(user):  # type: ignore[arg-type]
            return JsonResponse({"error": _("You have no key yet.")}, status=409)
        if not form.is_valid():
            return _refused(form.errors)
        key = vault.set_recovery(user, form.cleaned_data["recovery_wrapped"])  # type: ignore[arg-type]
        vault.remember(request, key)
        return JsonResponse({"recovery": key.recovery_wrapped if key else ""})
    context = {"form": form, "has_key": vault.has_key(user)}  # type: ignore[arg-type]
    return render(request, "accounts/vault.html", context)
