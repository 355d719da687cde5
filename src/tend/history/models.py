"""What a relationship keeps of its past repairs: what each person learned, and the
theme the participants agreed on.

Both belong to the repair's shared record: only those who may read it
(`tend.repairs.visibility.past_content_seen_by`) ever see them. Free text is
encrypted at rest like everything people write.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tend.core.fields import EncryptedTextField
from tend.repairs.models import Repair

NOTE_LIMIT = 500  # a short note, not a diary
THEME_LIMIT = 60  # a few words: "plans changing", "money"


def theme_key(text: str) -> str:
    """The same theme however it is typed: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


class LearnedNote(models.Model):
    """One person's "what we learned" about a completed repair; theirs to change."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="learned_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helped = EncryptedTextField(blank=True)  # what helped
    next_time = EncryptedTextField(blank=True)  # what I'd try next time
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["repair", "author"], name="one_note_each")]

    def __str__(self) -> str:
        return f"learned note {self.pk}"


class Theme(models.Model):
    """A theme one participant proposes and all who took part agree, as with step 5's
    proposals; a new proposal replaces a pending one, and once agreed, the one before."""

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        AGREED = "agreed"
        REPLACED = "replaced"

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="themes")
    text = EncryptedTextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposed_at", "pk"]

    def __str__(self) -> str:
        return f"theme {self.pk}"

    @property
    def key(self) -> str:
        return theme_key(self.text)
