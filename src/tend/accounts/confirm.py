"""The one place tend checks a password, with the same limits on every path.

Log-in, putting a member on a shared screen, and confirming a sensitive change
(export, new email, new password, deleting the account) all come here, so a wrong
guess anywhere counts against the account everywhere:

- `tend.accounts.throttle` slows guesses for the account from any number of
  addresses (no password is checked during its wait, so the right one confirms
  nothing then);
- django-axes, through `authenticate()`, locks the account from one address after
  `AXES_FAILURE_LIMIT` wrong ones.

`user.check_password` or a bare `authenticate()` elsewhere would skip both; a test
(tests/accounts/test_password_throttle.py) keeps them out of the code.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

from tend.accounts import throttle
from tend.accounts.models import User


def authenticated(request: HttpRequest, email: str, password: str) -> User | None:
    """The account `email` names, if `password` is its password; raises PasswordWait."""
    email = email.strip().lower()
    throttle.claim_attempt(email)
    # axes finds the account in the credentials under AXES_USERNAME_FORM_FIELD, which
    # is the user model's USERNAME_FIELD ("email"); passed as `username=` it saw None
    # and counted nothing per account. ModelBackend accepts either name.
    # A lazy object by default, set by axes at start-up (so unknown to the stubs).
    field = str(settings.AXES_USERNAME_FORM_FIELD)  # type: ignore[misc]
    user = authenticate(request, **{field: email, "password": password})
    if user is not None:
        throttle.succeeded(email)
    return user  # type: ignore[return-value]


def password_is_right(request: HttpRequest, user: User, password: str) -> bool:
    found = authenticated(request, user.email, password)
    return found is not None and found.pk == user.pk
