"""A repair and each participant's part in it.

Privacy is in the shape of the data: everything on `Participation` other than
`status`, `ready` and `paused`, and every `Entry`, belongs to that person alone.
What a person keeps to themselves in steps 1-4 (and step 5's considerations) is sealed on
their own device (`tend.core.e2e`): the server stores and returns ciphertext it cannot
read. What the others may read (messages, needs, plans, a reflection brought to the
conversation) is encrypted at rest with the server's keys.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tend.core.e2e import EnvelopeField
from tend.core.fields import EncryptedTextField

TEXT_LIMIT = 5000  # characters in one answer: room for a lot, not for abuse
SHORT_LIMIT = 300  # a message, a place, a need in own words


# The one notion of "open", shared by the database constraint, `Repair.objects.open()` and
# `Repair.is_open`: a completed repair is over just as a closed one is, so the next can
# begin. (Repair.Stage.PERSONAL and TOGETHER; spelled out because Meta needs it first.)
OPEN_STAGES = ("personal", "together")


class RepairQuerySet(models.QuerySet["Repair"]):
    def open(self) -> "RepairQuerySet":
        """Repairs still under way: neither completed nor closed."""
        return self.filter(stage__in=OPEN_STAGES)


class Repair(models.Model):
    class Opening(models.TextChoices):
        TRIGGERED = "triggered"
        HURT = "hurt"

    class Stage(models.TextChoices):
        PERSONAL = "personal"  # steps 1-4, each on their own
        TOGETHER = "together"  # step 5 has begun (a pause returns people to steps 2-4)
        COMPLETED = "completed"
        CLOSED = "closed"  # ended without completing, no judgement

    class Phase(models.TextChoices):
        """Where step 5 stands. Kept through a pause, so it resumes where it left off."""

        CONSIDERATIONS = "considerations"
        SPACE = "space"
        INTENTION = "intention"
        AGREEMENTS = "agreements"
        TIPS = "tips"
        LISTENING = "listening"
        REQUESTS = "requests"
        CLEARING = "clearing"
        REBOND = "rebond"

    class Presence(models.TextChoices):
        """Where the people are for step 5: in one place, or apart (a call, messages)."""

        TOGETHER = "together"
        APART = "apart"

    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="repairs"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opening = models.CharField(max_length=16, choices=Opening.choices)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.PERSONAL)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The plan everyone agreed to come back together by (what reminders will use).
    agreed_plan = models.ForeignKey(
        "ReconvenePlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Step 5.
    phase = models.CharField(max_length=16, choices=Phase.choices, blank=True)
    together_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    listening_round = models.PositiveSmallIntegerField(default=0)
    # Said at the start of step 5 and changeable; unsaid reads as together, as before.
    presence = models.CharField(max_length=8, choices=Presence.choices, blank=True)

    objects = RepairQuerySet.as_manager()

    class Meta:
        constraints = [
            # One open repair per relationship: everyone meets in the same one.
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(stage__in=OPEN_STAGES),
                name="one_open_repair_per_relationship",
            )
        ]

    def __str__(self) -> str:
        return f"repair {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class Participation(models.Model):
    class Status(models.TextChoices):
        ASKED = "asked"  # told about the repair, not answered
        NOT_YET = "not_yet"
        JOINED = "joined"

    class Step(models.TextChoices):
        ACKNOWLEDGE = "acknowledge"
        STABILIZE = "stabilize"
        HONOR = "honor"
        REFLECT = "reflect"

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="participations")
    # A guest (someone without an account, present on one shared screen) has no user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_name = models.CharField(max_length=60, blank=True)
    # Seen by the others:
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ASKED)
    ready = models.BooleanField(default=False)
    paused = models.BooleanField(default=False)
    # Shared by the act itself: opening as triggered, or saying so in a message.
    said_triggered = models.BooleanField(default=False)
    # This person's alone. Where they are (the process needs it) is readable:
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.ACKNOWLEDGE)
    voice_skipped = models.BooleanField(default=False)
    # ... what they noticed, marked and felt is sealed on their device (JSON inside):
    # notice: {"signals": [...], "feelings": [...], "state": "hyper", "intensity": 7}
    notice = EnvelopeField()
    # marks: {"let_go": true, "accepted": false} (honor the pain)
    marks = EnvelopeField()
    # readiness: {"feels_open": true, "feels_relaxed": true, "feels_compassionate": false}
    readiness = EnvelopeField()
    joined_at = models.DateTimeField(null=True, blank=True)
    # Step 5: shared answers (the others see them as they are given) ...
    start_early = models.BooleanField(default=False)
    phase_done = models.CharField(max_length=16, blank=True)  # "I'm done with this phase"
    clear = models.BooleanField(null=True)  # mind, heart and body clear? (None: not answered)
    rebonded = models.BooleanField(default=False)
    # ... and one that stays private, sealed on the device: the considerations checklist
    # (a JSON list of keys).
    considerations = EnvelopeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["repair", "user"], name="one_participation_each")
        ]

    def __str__(self) -> str:
        return f"participation {self.pk}"

    @property
    def name(self) -> str:
        return self.user.display_name if self.user_id else self.guest_name

    @property
    def joined(self) -> bool:
        return self.status == self.Status.JOINED


class Entry(models.Model):
    """One private answer: own words at notice, a honor-the-pain page, a reflection.

    `text` is sealed on the owner's device. A reflection brought to the conversation is
    copied, decrypted on the device by its owner's deliberate tick, into `shared`: the one
    thing of steps 1-4 the others may read (in step 5), encrypted at rest as any shared
    text. Unticking deletes that copy."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="entries"
    )
    key = models.CharField(max_length=64)  # e.g. "notice_words", "honor:what_hurts"
    text = EnvelopeField()
    # Only reflections can be brought, and only step 5 shows them.
    bring = models.BooleanField(default=False)
    shared = EncryptedTextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participation", "key"], name="one_entry_per_key")
        ]

    def __str__(self) -> str:
        return f"entry {self.pk}"


class VoiceMessage(models.Model):
    """A short, kind message to the others that something in the author is activated."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField()
    template = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class NeedRequest(models.Model):
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="needs")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    need = models.CharField(max_length=32)
    own_words = EncryptedTextField(blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"need {self.pk}"


class ReconvenePlan(models.Model):
    """A proposed time and place to come back together; agreed once every other
    joined participant accepts it. A newer proposal replaces it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        AGREED = "agreed"
        REPLACED = "replaced"

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="plans")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    meet_at = models.DateTimeField()
    place = EncryptedTextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    # "I need longer": a new plan made after one was agreed.
    is_extension = models.BooleanField(default=False)
    proposed_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["proposed_at", "pk"]

    def __str__(self) -> str:
        return f"plan {self.pk}"


class PracticeSession(models.Model):
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="practices"
    )
    # Which practice, and how strong it felt, sealed on the device:
    # before: {"practice": "box_breathing", "intensity": 7}; after: {"intensity": 4}
    before = EnvelopeField()
    after = EnvelopeField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"practice {self.pk}"


class LegacyPrivate(models.Model):
    """Private data written before end-to-end encryption, kept (encrypted at rest with the
    server's keys, as it was) only until its owner's device seals it anew.

    On the owner's next page with their key unlocked, `private.js` fetches these over an
    owner-only address, seals each on the device and posts it back; the server then stores
    the ciphertext and deletes the row. `key` names where it goes: "entry:<entry key>",
    "participation:<notice|marks|readiness|considerations>" or "practice:<session id>".
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="legacy"
    )
    key = models.CharField(max_length=80)
    text = EncryptedTextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participation", "key"], name="one_legacy_per_key")
        ]

    def __str__(self) -> str:
        return f"legacy {self.pk}"
