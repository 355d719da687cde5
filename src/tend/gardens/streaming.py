"""Who may hold a relationship's event stream (registered with `tend.live.access`).

The same rules as any page of the relationship: a signed-in session that has not
timed out or ended, an active account, and a current membership (`gardens.access`).
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, load_backend
from django.utils import timezone

from tend.accounts import sessions
from tend.gardens.access import is_member
from tend.live.access import Pass


def admit(session_key: str, relationship_id: int) -> Pass | None:
    data = sessions.load(session_key)
    backend = data.get(BACKEND_SESSION_KEY)
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        user_id = int(data.get(SESSION_KEY, ""))
    except ValueError:
        return None
    user = load_backend(backend).get_user(user_id)  # None for an inactive account
    if user is None:
        return None
    until = sessions.until_of(data, user, timezone.now())
    if until is None or not is_member(user, relationship_id):
        return None
    settled = (
        sessions.AUTH_AT in data
        and sessions.SEEN_AT in data
        and data.get(sessions.ROW_KEY) == session_key
    )
    return Pass(user.pk, until, settled)
