from django.conf import settings
from django.db import models
from django.utils import timezone


class SafetyAnswer(models.Model):
    """Whether a person feels safe with the people of one relationship.

    Private to that person. It is never shown, counted or announced to anyone: while
    the answer is "no", the shared steps stay closed to them, and every other member's
    screens look exactly as if they had not answered yet.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    feels_safe = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "relationship"], name="one_safety_answer")
        ]

    def __str__(self) -> str:
        return f"safety answer {self.pk}"
