from django.contrib.auth import views as auth_views
from django.forms import Form
from django.http import HttpResponse
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods

from tend.accounts import views
from tend.accounts.forms import LoginForm

# Django's form views treat PUT as POST; tend's forms answer GET and POST only.
get_or_post = require_http_methods(["GET", "POST"])


class InvalidIs400:
    """Re-renders an invalid form with 400, as tend's own views do (Django's answer 200)."""

    def form_invalid(self, form: Form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)  # type: ignore[attr-defined]


class LoginView(InvalidIs400, auth_views.LoginView):
    pass


class PasswordResetView(InvalidIs400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(InvalidIs400, auth_views.PasswordResetConfirmView):
    pass


class PasswordChangeView(InvalidIs400, auth_views.PasswordChangeView):
    pass


login = LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
password_reset = PasswordResetView.as_view(
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
    path("login/", get_or_post(login), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("account/delete/", views.delete, name="account_delete"),
]
