"""The private safety check that comes before any shared step (PROCESS.md)."""

from django.utils import timezone

from tend.accounts.models import User
from tend.care.models import SafetyAnswer
from tend.gardens.models import Relationship


def answer(user_id: int, relationship_id: int) -> bool | None:
    """True or False as the person answered; None while they have not."""
    return (
        SafetyAnswer.objects.filter(user_id=user_id, relationship_id=relationship_id)
        .values_list("feels_safe", flat=True)
        .first()
    )


def record(user: User, relationship: Relationship, feels_safe: bool) -> None:
    # Deliberately no event and no log line: nobody else may learn of it.
    SafetyAnswer.objects.update_or_create(
        user=user,
        relationship=relationship,
        defaults={"feels_safe": feels_safe, "answered_at": timezone.now()},
    )
