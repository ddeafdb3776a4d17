from django.db import migrations

from mutualis.events.default_questions import load_questions


def load(apps, schema_editor):
    load_questions(apps.get_model("events", "EventQuestion"))


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
