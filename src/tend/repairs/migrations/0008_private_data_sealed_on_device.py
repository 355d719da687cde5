"""Private data of steps 1-4 moves to end-to-end encryption (issue 12).

First, everything private that is stored today (free text encrypted with the server's
keys; signals, feelings, state, intensities, markers, readiness, considerations and
practices in the clear) is copied into `LegacyPrivate`, encrypted at rest with the
server's keys, to wait for its owner's device to seal it (`private.js`). A reflection
already brought to the conversation keeps its shared copy. Then the old columns go and the
sealed ones (`tend.core.e2e.EnvelopeField`) take their place.
"""

import json

import django.db.models.deletion
from django.db import migrations, models

import tend.core.e2e
import tend.core.fields


def to_legacy(apps, schema_editor):
    Participation = apps.get_model("repairs", "Participation")
    Entry = apps.get_model("repairs", "Entry")
    PracticeSession = apps.get_model("repairs", "PracticeSession")
    LegacyPrivate = apps.get_model("repairs", "LegacyPrivate")
    rows = []
    for p in Participation.objects.iterator():
        packed = {
            "notice": {
                "signals": p.signals or [],
                "feelings": p.feelings or [],
                "state": p.state or "",
                "intensity": p.intensity,
            },
            "marks": {"let_go": p.let_go, "accepted": p.accepted},
            "readiness": {
                "feels_open": p.feels_open,
                "feels_relaxed": p.feels_relaxed,
                "feels_compassionate": p.feels_compassionate,
            },
            "considerations": p.considerations or [],
        }
        for name, value in packed.items():
            empty = not any(v for v in value.values()) if isinstance(value, dict) else not value
            if not empty:
                rows.append(
                    LegacyPrivate(
                        participation_id=p.pk, key=f"participation:{name}", text=json.dumps(value)
                    )
                )
    for e in Entry.objects.iterator():
        if e.text:
            rows.append(LegacyPrivate(participation_id=e.participation_id, key=f"entry:{e.key}", text=e.text))
            if e.bring:  # already the others' to read in step 5: the copy stays shared
                e.shared = e.text
                e.save(update_fields=["shared"])
    for s in PracticeSession.objects.iterator():
        value = {"practice": s.practice, "before": s.intensity_before, "after": s.intensity_after}
        rows.append(
            LegacyPrivate(participation_id=s.participation_id, key=f"practice:{s.pk}", text=json.dumps(value))
        )
    LegacyPrivate.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("repairs", "0007_together_or_apart"),
    ]

    operations = [
        migrations.CreateModel(
            name="LegacyPrivate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=80)),
                ("text", tend.core.fields.EncryptedTextField()),
                (
                    "participation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="legacy",
                        to="repairs.participation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("participation", "key"), name="one_legacy_per_key")
                ],
            },
        ),
        migrations.AddField(
            model_name="entry",
            name="shared",
            field=tend.core.fields.EncryptedTextField(blank=True, default=""),
        ),
        migrations.RunPython(to_legacy, migrations.RunPython.noop),
    ]
