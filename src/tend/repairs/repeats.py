"""Telling a double tap from a new move.

A move that adds something (a message, a proposal, a request) has no state to compare
with, so a second press would add it twice. Its action, holding the repair's lock, asks
whether the person's latest such thing already says exactly this: then the second press
is the same move, and it changes nothing. Saying the same words again after anything
else in between is still possible.
"""

from django.db.models import Model


def same_as(latest: Model | None, **values: object) -> bool:
    return latest is not None and all(
        getattr(latest, name) == value for name, value in values.items()
    )
