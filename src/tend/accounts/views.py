from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tend.accounts import languages, vault
from tend.accounts.actions import EmailTaken, change_email, delete_account
from tend.accounts.forms import (
    REGIONS,
    ChangeEmailForm,
    DeleteAccountForm,
    ProfileForm,
    SignUpForm,
    zone_choices,
)
from tend.core.http import posted, safe_next


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request) or "home")
    form = SignUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        # The password is hashed first (deliberately slow), outside the transaction: on
        # SQLite a transaction holds the one write lock that every other writer waits for.
        user = form.save(commit=False)
        # The language they met tend in (their browser's, or the footer's choice).
        user.language = languages.of_request(request)
        # All or nothing: an account made by a sign-up that then failed would take the
        # email without the person ever being signed in ("email taken" on the retry).
        with transaction.atomic():
            user.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(safe_next(request) or "home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/signup.html", {"form": form, "next": safe_next(request)}, status=status
    )


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "show_region" in request.POST:
        # Without script: the time zones of the part of the world chosen, nothing saved.
        shown = {name: request.POST.get(name, "") for name in ("display_name", "region")}
        form = ProfileForm(instance=request.user, initial=shown)
        return render(request, "accounts/profile.html", {"form": form})
    form = ProfileForm(posted(request), instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            # The page that says so is already in the language just chosen.
            languages.apply(request, user)
            messages.success(request, _("Saved."))
            response = redirect("profile")
            languages.remember(response, user.language)
            return response
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})


@require_GET
def time_zones(request: HttpRequest) -> HttpResponse:
    """The time zones of one part of the world, as the profile's list shows them."""
    region = request.GET.get("region", "")
    if region not in REGIONS:
        return HttpResponseBadRequest(_("Please choose a part of the world from the list."))
    context = {"zones": zone_choices(region), "current": request.user.time_zone}  # type: ignore[union-attr]
    return render(request, "accounts/time_zone_options.html", context)


@require_http_methods(["GET", "POST"])
def email(request: HttpRequest) -> HttpResponse:
    form = ChangeEmailForm(request.user, posted(request), request=request)  # type: ignore[arg-type]
    if request.method == "POST":
        if form.is_valid():
            try:
                key = change_email(
                    request.user,  # type: ignore[arg-type]
                    form.cleaned_data["email"],
                    current_session=request.session.session_key,
                    sign_out_others=form.cleaned_data["sign_out_others"],
                    vault_wrapped=form.cleaned_data.get("vault_wrapped", ""),
                )
            except EmailTaken:
                form.add_error("email", _("Another account already uses this email."))
            else:
                if key is not None:
                    vault.remember(request, key)
                messages.success(request, _("Your new email is saved. Log in with it from now on."))
                return redirect("profile")
        return render(request, "accounts/email_change.html", {"form": form}, status=400)
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, posted(request), request=request)  # type: ignore[arg-type]
    if request.method == "POST":
        if form.is_valid():
            delete_account(request.user)  # type: ignore[arg-type]
            logout(request)
            messages.success(request, _("Your account and what you wrote are deleted."))
            return redirect("landing")
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    return render(request, "accounts/delete.html", {"form": form})
