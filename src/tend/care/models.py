from django.conf import settings
from django.db import models
from django.utils import timezone

from tend.core.e2e import EnvelopeField


class SafetyAnswer(models.Model):
    """That a person answered whether they feel safe with the people of one relationship,
    and their answer sealed on their own device.

    The server keeps only that the question was asked (the row) and the answer as
    ciphertext (`sealed`: {"feels_safe": true|false}, `tend.core.e2e`): it cannot read
    it. The person's device acts on it: while the answer is "no", it closes the shared
    steps to them (`private.js`). It is never shown, counted or announced to anyone.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    sealed = EnvelopeField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "relationship"], name="one_safety_answer")
        ]

    def __str__(self) -> str:
        return f"safety answer {self.pk}"
