"""The safety answer is sealed on the person's device (issue 12): the server keeps only
that the question was asked. An answer stored in the clear before cannot be sealed by
the server (it holds no key), so it goes: a person who had answered is asked again once,
on their own device, before their next shared step."""

from django.db import migrations

import tend.core.e2e


def forget_plain_answers(apps, schema_editor):
    apps.get_model("care", "SafetyAnswer").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("care", "0001_safety_answer"),
    ]

    operations = [
        migrations.RunPython(forget_plain_answers, migrations.RunPython.noop),
        migrations.RemoveField(model_name="safetyanswer", name="feels_safe"),
        migrations.AddField(
            model_name="safetyanswer",
            name="sealed",
            field=tend.core.e2e.EnvelopeField(blank=True, default=""),
        ),
    ]
