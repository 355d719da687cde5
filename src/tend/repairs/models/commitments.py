"""Commitments kept together: what someone promised, its history, the changes others
suggest to its maker, and the check-ins on its review dates.

A commitment belongs to the relationship (every current member sees it and its
history) but only its maker changes it; the others suggest, and the maker answers.
Free text is encrypted at rest like everything people write.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tend.core.fields import EncryptedTextField
from tend.repairs.models.personal import Repair
from tend.repairs.models.reengagement import Request


class Commitment(models.Model):
    """An accepted request, kept by the relationship: who, what, when to look again.

    Edits never rewrite it silently: each one adds a revision, and the history shows.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("We are working on it")
        KEPT = "kept", _("Done")
        LET_GO = "let_go", _("Let go of, for now")

    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="commitments"
    )
    repair = models.ForeignKey(
        Repair, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_name = models.CharField(max_length=60)  # kept for guests and former members
    text = EncryptedTextField()
    review_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return f"commitment {self.pk}"


class CommitmentRevision(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="revisions")
    text = EncryptedTextField()
    review_on = models.DateField()
    status = models.CharField(max_length=16, choices=Commitment.Status.choices)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["edited_at", "pk"]

    def __str__(self) -> str:
        return f"revision {self.pk}"


class CommitmentSuggestion(models.Model):
    """A change someone other than the maker proposes: new wording, a new day, or both."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Taken up")
        DECLINED = "declined", _("Not taken up")
        WITHDRAWN = "withdrawn", _("Taken back")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="suggestions")
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(blank=True)  # empty: the wording stays
    review_on = models.DateField(null=True, blank=True)  # empty: the day stays
    note = EncryptedTextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One open suggestion per person: a second one changes the first.
            models.UniqueConstraint(
                fields=["commitment", "suggested_by"],
                condition=Q(status="open"),
                name="one_open_suggestion_each",
            )
        ]

    def __str__(self) -> str:
        return f"suggestion {self.pk}"


class CommitmentCheckIn(models.Model):
    """How someone says it is going, on one review date (a round) of a commitment."""

    class Answer(models.TextChoices):
        KEPT = "kept", _("Kept")
        PARTLY = "partly", _("Partly")
        CHANGE = "change", _("Let's change it")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_on = models.DateField()  # the review date this check-in answers
    answer = models.CharField(max_length=16, choices=Answer.choices)
    note = EncryptedTextField(blank=True)
    checked_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review_on", "checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "person", "review_on"], name="one_check_in_each_round"
            )
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"
