from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.db import transaction
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tend.accounts import (
    data_views,
    languages,
    notices,
    passkey_views,
    session_views,
    sessions,
    throttle,
    vault,
    vault_views,
    views,
)
from tend.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ResetPasswordForm,
)
from tend.accounts.lock import open_when_locked
from tend.accounts.models import VaultKey

# Django's form views treat PUT as POST; tend's forms answer GET and POST only.
get_or_post = require_http_methods(["GET", "POST"])


class InvalidIs400:
    """Re-renders an invalid form with 400, as tend's own views do (Django's answer 200)."""

    def form_invalid(self, form: Form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)  # type: ignore[attr-defined]


class LoginView(InvalidIs400, auth_views.LoginView):
    def form_valid(self, form: auth_forms.AuthenticationForm) -> HttpResponse:
        # One turn to write for the whole sign-in (the new session, "last login", the
        # device's row; tend.accounts.sessions.signed_in): all saved, or none and the
        # busy page. The password was checked before, outside it (hashing is slow).
        with transaction.atomic():
            return super().form_valid(form)


class PasswordResetView(InvalidIs400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(InvalidIs400, auth_views.PasswordResetConfirmView):
    """Django's reset, keeping the private-data key when the recovery code was typed.

    With the code the browser sends the key wrapped by the new password (saved with the
    password, in one transaction); without it the key is dropped, as the person agreed on
    the form: what it encrypted can no longer be read, and a new key is made at the next
    sign-in.
    """

    form_class = ResetPasswordForm

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        if context.get("validlink"):
            context["vault"] = vault.carried(VaultKey.objects.filter(user=self.user).first())
        return context

    def form_valid(self, form: auth_forms.SetPasswordForm) -> HttpResponse:
        user = form.save(commit=False)  # hashed here, outside the transaction
        with transaction.atomic():
            user.save()
            wrapped = form.cleaned_data.get("vault_wrapped")
            if wrapped:
                vault.rewrap(user, wrapped)
            else:
                vault.drop(user)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        response = HttpResponseRedirect(self.get_success_url())
        # The new hash already shuts out every session; ending them now also clears
        # the device list at once (whoever knew the old password is out everywhere).
        sessions.end_all(form.user)  # type: ignore[arg-type]
        # Whoever reset it holds the email: guesses at the old password no longer slow them.
        throttle.succeeded(form.user.email)  # type: ignore[union-attr]
        return response


class PasswordChangeView(InvalidIs400, auth_views.PasswordChangeView):
    """Django's password change, asking with the login's limits on wrong guesses.

    A new password changes the session hash, which ends every other session anyway;
    Django keeps this one (a new key, the new hash). Their entries in the device list
    are removed here too, and the person is told by email.
    """

    form_class = PasswordChangeForm

    def get_form_kwargs(self) -> dict[str, object]:
        return super().get_form_kwargs() | {"request": self.request}

    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        # Hashing is deliberately slow: done before the transaction, which on SQLite
        # holds the one write lock.
        user = form.save(commit=False)
        # One turn to write: the password, this session under its new key and hash, the
        # others ended. All saved, or none and the busy page; nothing is left for the
        # response, where a busy database would end this session after the change.
        with transaction.atomic():
            user.save()
            wrapped = form.cleaned_data.get("vault_wrapped")
            key = vault.rewrap(user, wrapped) if wrapped else None
            update_session_auth_hash(self.request, user)
            sessions.follow_new_key(self.request)  # the session's key changed with the hash
            sessions.end_others(user, self.request.session.session_key)
            notices.account_changed(user.email, "password")
            if key is not None:
                vault.remember(self.request, key)
            sessions.save_now(self.request)
        messages.success(
            self.request, _("Your new password is saved. Your other devices are signed out.")
        )
        return HttpResponseRedirect(self.get_success_url())


login = LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
password_reset = PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
)
password_reset_confirm = PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html"
)
password_change = PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("profile")
)

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("language/", languages.choose, name="choose_language"),
    path("login/", get_or_post(login), name="login"),
    # Open on a locked own phone too: signing out needs no unlock.
    path("logout/", open_when_locked(auth_views.LogoutView.as_view()), name="logout"),
    path("login/passkey/options/", passkey_views.sign_in_options, name="passkey_sign_in_options"),
    path("login/passkey/", passkey_views.sign_in, name="passkey_sign_in"),
    path("unlock/", passkey_views.unlock, name="unlock"),
    path("unlock/passkey/options/", passkey_views.unlock_options, name="unlock_options"),
    path("unlock/passkey/", passkey_views.unlock_with_passkey, name="unlock_passkey"),
    path("password/reset/", get_or_post(password_reset), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        get_or_post(password_reset_confirm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("password/change/", get_or_post(password_change), name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("profile/time-zones/", views.time_zones, name="profile_time_zones"),
    path("account/email/", views.email, name="account_email"),
    path("account/sessions/", session_views.device_list, name="account_sessions"),
    path(
        "account/sessions/<int:session_id>/end/",
        session_views.end_one,
        name="account_session_end",
    ),
    path(
        "account/sessions/end-others/",
        session_views.end_others,
        name="account_sessions_end_others",
    ),
    path("account/sessions/own-phone/", session_views.own_phone, name="account_own_phone"),
    path("account/sessions/lock/", session_views.lock_now, name="account_lock"),
    path("account/passkeys/", passkey_views.passkey_list, name="account_passkeys"),
    path("account/passkeys/options/", passkey_views.add_options, name="passkey_add_options"),
    path("account/passkeys/add/", passkey_views.add, name="passkey_add"),
    path(
        "account/passkeys/<int:passkey_id>/rename/",
        passkey_views.rename,
        name="passkey_rename",
    ),
    path(
        "account/passkeys/<int:passkey_id>/remove/",
        passkey_views.remove,
        name="passkey_remove",
    ),
    path("account/key/", vault_views.recovery, name="account_vault"),
    path("account/key/create/", vault_views.create, name="vault_create"),
    path("account/key/panel/", vault_views.panel, name="vault_panel"),
    path("account/export/", data_views.export, name="account_export"),
    path("account/delete/", views.delete, name="account_delete"),
]
