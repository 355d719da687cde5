from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    """One entry of a relationship's append-only log.

    It names what changed (a kind and ids), never what anyone wrote: each client
    re-reads its own view of the change through the ordinary, permission-checked pages.
    """

    relationship = models.ForeignKey(
        "gardens.Relationship", on_delete=models.CASCADE, related_name="events"
    )
    # Gapless per relationship, allocated in the writing transaction (see live.events).
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repair_id = models.BigIntegerField(null=True, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "seq"], name="one_event_per_seq")
        ]
        ordering = ["relationship", "seq"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq}"

    def as_data(self) -> dict[str, object]:
        data: dict[str, object] = {"kind": self.kind, "seq": self.seq}
        for name in ("actor_id", "repair_id", "subject_id"):
            value = getattr(self, name)
            if value is not None:
                data[name.removesuffix("_id")] = value
        return data
