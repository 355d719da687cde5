"""Checking the current password before a sensitive change, with the login's limits.

`user.check_password` would let someone holding an unlocked phone guess the password
without limit through these forms; going through `authenticate()` lets django-axes
count each wrong guess against the account, as on the login page.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

from tend.accounts.models import User


def password_is_right(request: HttpRequest | None, user: User, password: str) -> bool:
    if request is None:  # no request to count attempts against (not from a view)
        return user.check_password(password)
    # axes finds the account under AXES_USERNAME_FORM_FIELD (see LoginForm.clean).
    field = str(settings.AXES_USERNAME_FORM_FIELD)  # type: ignore[misc]
    found = authenticate(request, **{field: user.email, "password": password})
    return found is not None and found.pk == user.pk
