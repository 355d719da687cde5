"""Django's database sessions, telling open event streams when a session ends, and
writing a session only when its data changed.

Every way a session ends deletes it here: signing out (`flush`), a new key after a
password change (`cycle_key`), "sign out other devices", a new email or password
signing out the rest, deleting the account. The session's streams, on any app
instance, are woken to re-check it and close. (A session that times out is not
deleted at that moment: each stream schedules its own re-check for that time.)

The session is read on every page, so its query is prepared (`tend.core.prepared`):
found by its key, its expiry compared here rather than in SQL (the time is not an id).

Django saves a session with the response whenever something was set in it, even the
value it already held. That save comes after the view, where a busy database cannot
be answered with the busy page any more (Django makes it a 400), so a save that would
write the same data is skipped.
"""

import copy
from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from tend.core.prepared import Prepared
from tend.live import bus

_KEY_CHARS = frozenset(VALID_KEY_CHARS)
_by_key = Prepared(lambda key: Session.objects.filter(session_key=key), key=str)


class SessionStore(DatabaseStore):
    # The data as the database holds it under that key (last loaded or saved).
    _stored: tuple[str, dict[str, Any]] | None = None

    def _validate_session_key(self, key: str | None) -> bool:
        # Only a key as Django makes them: anything else in the cookie (a NUL, which
        # PostgreSQL refuses in a query) is no session, rather than a 500.
        return bool(super()._validate_session_key(key)) and set(key or "") <= _KEY_CHARS

    def _get_session_from_db(self) -> Session | None:
        session = _by_key.one(self.session_key)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session

    def load(self) -> dict[str, Any]:
        data = super().load()
        if self.session_key is not None:
            self._stored = (self.session_key, copy.deepcopy(data))
        return data

    def save(self, must_create: bool = False) -> None:
        key = self.session_key
        if not must_create and key is not None and self._stored is not None:
            stored_key, stored = self._stored
            if stored_key == key and self._get_session() == stored:
                return
        super().save(must_create)
        if self.session_key is not None:
            self._stored = (self.session_key, copy.deepcopy(self._get_session()))

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            bus.get().session_ended(key)
