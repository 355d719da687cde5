"""Django's database sessions, telling open event streams when a session ends.

Every way a session ends deletes it here: signing out (`flush`), a new key after a
password change (`cycle_key`), "sign out other devices", a new email or password
signing out the rest, deleting the account. The session's streams, on any app
instance, are woken to re-check it and close. (A session that times out is not
deleted at that moment: each stream schedules its own re-check for that time.)
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

from tend.live import bus


class SessionStore(DatabaseStore):
    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            bus.get().session_ended(key)
