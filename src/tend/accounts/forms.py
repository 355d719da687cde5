from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tend.accounts import vault
from tend.accounts.confirm import authenticated, password_is_right
from tend.accounts.models import TIME_ZONES, User


class SignUpForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. A few words you will remember work well."),
    )

    class Meta:
        model = User
        fields = ["display_name", "email"]
        labels = {"display_name": _("Your name, as others will see it")}
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already an account with this email. You can log in instead.")
            )
        return email

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please write the name others will see."))
        return name

    def _post_clean(self) -> None:
        super()._post_clean()
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password", error)

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    # max_length as a validator (AuthenticationForm only sets the widget's attribute): a
    # longer name would reach django-axes, whose username column holds 255 characters.
    username = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "That email and password do not match an account. Please check them and try again."
        ),
        "inactive": _("This account is not active."),
    }

    def clean_username(self) -> str:
        # Accounts are stored under the lower-cased email (sign-up lowers it), and a phone
        # often capitalises the first letter. Lowering here also keeps django-axes counting
        # "Ada@…" and "ada@…" as one account, so case cannot dodge the lockout.
        return self.cleaned_data["username"].lower()

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            assert self.request is not None  # LoginView passes it
            self.user_cache = authenticated(self.request, username, password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


# The ~600 time zones are chosen in two steps, so that the page does not carry them
# all (they were most of its weight): a part of the world, then a zone in it. The
# zones without a region ("UTC", "GMT", old names) go with Etc's.
OTHERS = "Etc"


def region_of(zone: str) -> str:
    return zone.split("/", 1)[0] if "/" in zone else OTHERS


REGIONS = sorted({region_of(zone) for zone in TIME_ZONES})


def zone_choices(region: str) -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in TIME_ZONES if region_of(zone) == region]


class ProfileForm(forms.ModelForm):
    region = forms.ChoiceField(
        label=_("Part of the world"),
        choices=[(r, _("UTC and others") if r == OTHERS else r) for r in REGIONS],
        required=False,
        # Its zones replace the list below as soon as it changes (without script, the
        # page's "Show its time zones" button does it).
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("profile_time_zones"),
                "hx-target": "#id_time_zone",
                "hx-swap": "innerHTML",
            }
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(name, name.replace("_", " ")) for name in TIME_ZONES],
        help_text=_("Agreed times are shown in this time zone."),
    )
    # Each language in its own name (settings.LANGUAGES), as in the footer's chooser.
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("tend's pages, emails and notifications to you use this language."),
        # Left out (an older form, a script), the language stays as it is.
        required=False,
    )

    class Meta:
        model = User
        fields = ["display_name", "region", "time_zone", "language"]
        labels = {"display_name": _("Your name, as others see it")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        zone = source.get("time_zone") or self.instance.time_zone
        region = source.get("region")
        if region not in REGIONS:
            region = region_of(zone if zone in TIME_ZONES else self.instance.time_zone)
        self.initial["region"] = region
        # Any zone is accepted; only the region's are listed.
        self.fields["time_zone"].widget.choices = zone_choices(region)

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please write the name others will see."))
        return name

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language


class PasswordConfirmedForm(forms.Form):
    """A form that asks for the current password before it changes anything."""

    password = forms.CharField(
        label=_("Your password, to confirm it is you"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    wrong_password = _("That password is not right. Nothing was changed.")

    def __init__(self, user: User, *args: object, request: HttpRequest, **kwargs: object) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_is_right(self.request, self.user, password):
            raise forms.ValidationError(self.wrong_password)
        return password


class DeleteAccountForm(PasswordConfirmedForm):
    wrong_password = _("That password is not right. Your account is unchanged.")


class ExportForm(PasswordConfirmedForm):
    # A file with everything one wrote can leave the phone in a moment: the password
    # makes sure it is its owner, not someone who picked up an unlocked phone, asking.
    wrong_password = _("That password is not right. Nothing was exported.")


class VaultWrappedMixin(forms.Form):
    """The private-data key wrapped anew in the browser, sent with a change that needs it
    (a new password, a new email and so a new salt: tend.accounts.vault).

    Required when the person has a key: saving the change without it would leave the key
    wrapped by what no longer opens it."""

    vault_wrapped = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)
    user: User

    def clean_vault_wrapped(self) -> str:
        wrapped = self.cleaned_data.get("vault_wrapped", "")
        if wrapped and not vault.is_wrapped(wrapped):
            raise forms.ValidationError(_("That key was not in the form tend expects."))
        return wrapped

    def check_vault_wrapped(self) -> None:
        if (
            not self.errors
            and not self.cleaned_data.get("vault_wrapped")
            and vault.has_key(self.user)
        ):
            self.add_error(
                None,
                _(
                    "This page needs JavaScript to keep your private entries readable. "
                    "Please allow it for tend and try again. Nothing was changed."
                ),
            )


class ChangeEmailForm(VaultWrappedMixin, PasswordConfirmedForm):
    email = forms.EmailField(
        label=_("New email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    sign_out_others = forms.BooleanField(
        label=_("Sign out my other devices"), required=False, initial=True
    )
    field_order = ["email", "password", "sign_out_others"]
    wrong_password = _("That password is not right. Your email is unchanged.")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        self.check_vault_wrapped()
        return cleaned

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email == self.user.email.lower():
            raise forms.ValidationError(_("That is already your email."))
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Another account already uses this email."))
        return email


class PasswordChangeForm(VaultWrappedMixin, auth_forms.PasswordChangeForm):
    def __init__(self, user: User, *args: object, request: HttpRequest, **kwargs: object) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        self.check_vault_wrapped()
        return cleaned

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with the email in the account's own language (whoever asked for it)."""

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        context = kwargs.get("context") or args[2]
        with translation.override(context["user"].speaks):
            super().send_mail(*args, **kwargs)


class ResetPasswordForm(VaultWrappedMixin, auth_forms.SetPasswordForm):
    """A new password from the emailed link. With the recovery code (typed into a field
    that is never sent) the browser wraps the same key by the new password; without it,
    the person agrees first that their private entries will become unreadable."""

    drop_private = forms.BooleanField(
        label=_(
            "I do not have my recovery code. I understand my private entries "
            "will become unreadable, for me too."
        ),
        required=False,
    )

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        super().__init__(user, *args, **kwargs)  # type: ignore[arg-type]
        if not vault.has_key(user):
            del self.fields["drop_private"]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if (
            "drop_private" in self.fields
            and not cleaned.get("vault_wrapped")
            and not cleaned.get("drop_private")
            and not self.has_error("vault_wrapped")
        ):
            self.add_error(
                "drop_private",
                _("Please type your recovery code above, or tick this to go on without it."),
            )
        return cleaned


class VaultCreateForm(forms.Form):
    """A first key, wrapped in the browser by the password and by the recovery code."""

    wrapped = forms.CharField(max_length=60)
    recovery_wrapped = forms.CharField(max_length=60)
    # Sent only from the "make my key" prompt (no sign-in just before): checked as at sign-in.
    password = forms.CharField(required=False, strip=False)

    def __init__(self, user: User, *args: object, request: HttpRequest, **kwargs: object) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        for name in ("wrapped", "recovery_wrapped"):
            if name in cleaned and not vault.is_wrapped(cleaned[name]):
                self.add_error(name, _("That key was not in the form tend expects."))
        password = cleaned.get("password")
        if password and not password_is_right(self.request, self.user, password):
            self.add_error("password", _("That password is not right. Nothing was changed."))
        return cleaned


class RecoveryCodeForm(PasswordConfirmedForm):
    """A new recovery code: made in the browser, only its wrapped key is sent."""

    recovery_wrapped = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)
    wrong_password = _("That password is not right. Your recovery code is unchanged.")

    def clean_recovery_wrapped(self) -> str:
        wrapped = self.cleaned_data.get("recovery_wrapped", "")
        if not vault.is_wrapped(wrapped):
            raise forms.ValidationError(
                _("This page needs JavaScript to make a recovery code. Nothing was changed.")
            )
        return wrapped
