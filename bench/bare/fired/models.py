"""The one table of the bare baseline: what its action writes (bench/bare/views.py)."""

from django.db import models


class Fired(models.Model):
    seq = models.PositiveBigIntegerField()
    who = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.seq} by {self.who}"
