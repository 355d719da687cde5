"""What a locked "own phone" may still reach (tend.accounts.sessions.is_locked).

A locked session reaches public pages (those marked `login_not_required`: help, the
landing page) and views marked `open_when_locked`: the unlock page, signing out, and
the quick way into a repair with its prepared messages. Everything else, every private
page, fragment, stream and form, waits for the unlock.
"""

from collections.abc import Callable

from django.urls import Resolver404, resolve

OPEN = "tend_open_when_locked"


def open_when_locked[V: Callable[..., object]](view: V) -> V:
    setattr(view, OPEN, True)
    return view


def reachable(path: str) -> bool:
    try:
        view = resolve(path).func
    except Resolver404:
        return True  # a 404 shows nothing either way
    return getattr(view, OPEN, False) or getattr(view, "login_required", True) is False
