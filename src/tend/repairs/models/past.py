"""Sharing a past repair with someone who did not take part in it (issue 10, "Privacy
of the past").

One row is one participant's consent to show one past repair to one member. The
repair is shared with that member only while every person who took part in it has a
row (`tend.repairs.visibility`); withdrawing one's consent hides it again. The rows
live here, beside the repair, because the visibility rule reads them and repairs may
import no app above it; the history app offers the moves.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tend.repairs.models.personal import Repair


class PastShare(models.Model):
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="past_shares")
    # Who it would be shown to, and the participant who agreed.
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["repair", "member", "by"], name="one_consent_each")
        ]

    def __str__(self) -> str:
        return f"past share {self.pk}"
