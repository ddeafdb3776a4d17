from django.db import migrations

from mutualis.clients.default_questions import load_questions


def load(apps, schema_editor):
    load_questions(apps.get_model("clients", "SatisfactionQuestion"))


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_satisfaction")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
