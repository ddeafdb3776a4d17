from django.db import migrations

from mutualis.clients.default_offer import load_modules


def load(apps, schema_editor):
    load_modules(apps.get_model("clients", "ServiceModule"))


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
