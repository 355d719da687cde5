"""Who may hold a relationship's event stream: decided above `live`, asked from here.

`live` knows nothing of accounts or memberships. The app that does (`gardens`, from
its `AppConfig.ready`) registers one function that answers, for a session key and a
relationship, whose session it is and until when it may stream, or None when it may
not (no such session, signed out, timed out, an inactive account, not a current
member). Streams ask it when they open and re-check with it whenever their session
or their person's membership may have changed, and when the session would time out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Pass:
    user_id: int
    # When the session times out unless the person acts meanwhile: re-check then.
    until: datetime
    # Nothing about the session is left for Django's session middleware to write
    # (its clocks and its device row are in place), so the stream may be served
    # without it.
    settled: bool = True


# Runs in a worker thread, with the database at hand.
type Gate = Callable[[str, int], Pass | None]

_gate: Gate | None = None


def register(gate: Gate) -> None:
    global _gate
    _gate = gate


def admit(session_key: str, relationship_id: int) -> Pass | None:
    if _gate is None:
        raise ImproperlyConfigured("No app registered who may stream (tend.live.access).")
    return _gate(session_key, relationship_id)
