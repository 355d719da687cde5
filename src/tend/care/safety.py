"""The private safety check that comes before any shared step (PROCESS.md)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tend.accounts.models import User
from tend.care.models import SafetyAnswer
from tend.gardens.models import Relationship


def asked(user_id: int, relationship_id: int) -> bool:
    """Whether the person has answered: all the server knows. The answer itself is
    sealed on their device, which closes the shared steps to them while it is "no"."""
    return SafetyAnswer.objects.filter(user_id=user_id, relationship_id=relationship_id).exists()


def sealed(user_id: int, relationship_id: int) -> str:
    """The person's answer as ciphertext, for their own device only ("" if not asked)."""
    return (
        SafetyAnswer.objects.filter(user_id=user_id, relationship_id=relationship_id)
        .values_list("sealed", flat=True)
        .first()
        or ""
    )


def record(user: User, relationship: Relationship, sealed: str) -> None:
    """Keeps that the person answered, and their answer sealed on their device."""
    # Deliberately no event and no log line: nobody else may learn of it.
    SafetyAnswer.objects.update_or_create(
        user=user,
        relationship=relationship,
        defaults={"sealed": sealed, "answered_at": timezone.now()},
    )


# What follows an answer, plugged in by the features that ask the question (the repairs
# app carries out the shared move the question interrupted). Each hook gets the request,
# the relationship's id and whether the person goes on (their device says so when its
# answer is "safe": the one thing the server learns, by the move itself); the first
# response a hook gives is the answer to the request. Care itself knows nothing of those features.
AnswerHook = Callable[[HttpRequest, int, bool], HttpResponse | None]
_after_answer: list[AnswerHook] = []


def after_answer(hook: AnswerHook) -> AnswerHook:
    """Registers `hook` (from an app's `ready()`); usable as a decorator."""
    if hook not in _after_answer:
        _after_answer.append(hook)
    return hook


def answered(request: HttpRequest, relationship_id: int, feels_safe: bool) -> HttpResponse | None:
    response = None
    # Every hook runs, even after one has answered: each drops what it kept.
    for hook in _after_answer:
        given = hook(request, relationship_id, feels_safe)
        response = response or given
    return response
