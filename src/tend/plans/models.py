"""A relationship's repair plan, made in calm times, and every version of it.

The plan is shared by the relationship's current members: a version takes effect only
when every current member has agreed to it. Its text is encrypted at rest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tend.core.fields import EncryptedTextField

# How long one line (a place, an agreement) and the flooded word may be.
LINE_LIMIT = 200
WORD_LIMIT = 100
# How many places or agreements a plan keeps: enough for a plan, short enough to read.
MOST_LINES = 10


class PlanVersion(models.Model):
    """One proposed version of the plan. The newest agreed one is the plan."""

    class Status(models.TextChoices):
        PENDING = "pending"  # waiting for everyone's answer
        AGREED = "agreed"  # everyone agreed: the plan (until a newer one is agreed)
        DECLINED = "declined"  # someone said no; the plan before it stays
        REPLACED = "replaced"  # a newer proposal came before everyone answered

    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    flooded_word = EncryptedTextField(blank=True)  # a word or sign that means "I'm flooded"
    places = EncryptedTextField(blank=True)  # one place to come back together per line
    agreements = EncryptedTextField(blank=True)  # standing agreements for step 5, one per line
    rebond_ways = models.JSONField(default=list, blank=True)  # rebond way keys, preferred first

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(status="pending"),
                name="one_pending_plan_version",
            )
        ]

    def __str__(self) -> str:
        return f"plan version {self.pk}"

    @property
    def place_lines(self) -> list[str]:
        return [line for line in self.places.splitlines() if line.strip()]

    @property
    def agreement_lines(self) -> list[str]:
        return [line for line in self.agreements.splitlines() if line.strip()]


class UsualNeeds(models.Model):
    """What one person usually needs when flooded, and for how long, in one version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="needs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    needs = models.JSONField(default=list, blank=True)  # need keys, as step 1 offers them
    minutes = models.PositiveIntegerField(null=True, blank=True)  # how long they usually need

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_usual_needs_per_person")
        ]

    def __str__(self) -> str:
        return f"usual needs {self.pk}"


class PlanAnswer(models.Model):
    """One member's answer to a version: agreed or declined."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agrees = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_plan_answer_per_person")
        ]

    def __str__(self) -> str:
        return f"plan answer {self.pk}"


class OfferSetAside(models.Model):
    """A person said "Not now" to the offer to make a plan: it is not shown to them again."""

    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    set_aside_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "user"], name="one_offer_set_aside")
        ]

    def __str__(self) -> str:
        return f"offer set aside {self.pk}"
