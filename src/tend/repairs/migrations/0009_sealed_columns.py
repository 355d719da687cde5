"""The old private columns go; the sealed ones take their place (see 0008)."""

from django.db import migrations

import tend.core.e2e


def sealed():
    return tend.core.e2e.EnvelopeField(blank=True, default="")


class Migration(migrations.Migration):

    dependencies = [
        ("repairs", "0008_private_data_sealed_on_device"),
    ]

    operations = [
        *[
            migrations.RemoveField(model_name="participation", name=name)
            for name in (
                "signals",
                "feelings",
                "state",
                "intensity",
                "let_go",
                "accepted",
                "feels_open",
                "feels_relaxed",
                "feels_compassionate",
                "considerations",
            )
        ],
        migrations.RemoveField(model_name="entry", name="text"),
        *[
            migrations.RemoveField(model_name="practicesession", name=name)
            for name in ("practice", "intensity_before", "intensity_after")
        ],
        migrations.AddField(model_name="participation", name="notice", field=sealed()),
        migrations.AddField(model_name="participation", name="marks", field=sealed()),
        migrations.AddField(model_name="participation", name="readiness", field=sealed()),
        migrations.AddField(model_name="participation", name="considerations", field=sealed()),
        migrations.AddField(model_name="entry", name="text", field=sealed()),
        migrations.AddField(model_name="practicesession", name="before", field=sealed()),
        migrations.AddField(model_name="practicesession", name="after", field=sealed()),
    ]
