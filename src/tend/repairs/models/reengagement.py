"""Step 5, coming back together: what the participants propose, agree, say and hear.

All of it is shared among the repair's participants; none of it is shown before
step 5 begins. Free text is encrypted at rest like everything people write.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tend.core.fields import EncryptedTextField
from tend.repairs.models.personal import Participation, Repair


class Proposal(models.Model):
    """Something one proposes and all agree: the space, the intention, the way to rebond."""

    class Kind(models.TextChoices):
        SPACE = "space"
        INTENTION = "intention"
        REBOND = "rebond"

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        AGREED = "agreed"
        REPLACED = "replaced"

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    proposed_by = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(blank=True)  # the place, the intention, a way in own words
    choice = models.CharField(max_length=40, blank=True)  # indoors/outdoors; a rebond way
    detail = models.CharField(max_length=40, blank=True)  # how we sit or stand
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    accepted_by = models.ManyToManyField(Participation, blank=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} proposal {self.pk}"


class AgreementItem(models.Model):
    """One agreement for the conversation: the three defaults and any the people add."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="agreements")
    key = models.CharField(max_length=40, blank=True)  # a default's content key
    text = EncryptedTextField(blank=True)  # an added one, in own words
    added_by = models.ForeignKey(
        Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"agreement {self.pk}"


class Turn(models.Model):
    """One person speaks, one reflects back, until the speaker feels heard."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="turns")
    round = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    speaker = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    listener = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    heard_at = models.DateTimeField(null=True, blank=True)
    # What the speaker typed, when the people are apart: shared with those who joined.
    shared = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["repair", "round", "position"], name="one_turn_per_place"
            )
        ]

    def __str__(self) -> str:
        return f"turn {self.pk}"


class Reflection(models.Model):
    class Answer(models.TextChoices):
        YES = "yes"
        PARTLY = "partly"

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="reflections")
    heard = EncryptedTextField(blank=True)
    body = EncryptedTextField(blank=True)  # what the listener noticed in their body
    said_aloud = models.BooleanField(default=False)  # people talking in person
    answer = models.CharField(max_length=8, choices=Answer.choices, blank=True)
    correction = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"reflection {self.pk}"


class Request(models.Model):
    """What one person asks of the others going forward."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField()
    review_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"request {self.pk}"


class RequestAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        YES_WITH_CHANGE = "yes_with_change", _("Yes, with a change")
        NOT_NOW = "not_now", _("Not now")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="answers")
    responder = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=16, choices=Answer.choices)
    change = EncryptedTextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "responder"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class Affirmation(models.Model):
    """Words of affirmation, written and sent while rebonding."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="affirmations")
    author = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"affirmation {self.pk}"
