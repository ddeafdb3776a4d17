"""Load the default process map as published version 1, and put the projects created before the
pipeline at its first stage."""

from django.db import migrations
from django.utils import timezone

from mutualis.procurements.reference import load_process_map


def load(apps, schema_editor):
    Stage = apps.get_model("procurements", "Stage")
    process_map = load_process_map(apps.get_model("procurements", "ProcessMap"), Stage)
    first = Stage.objects.filter(process_map=process_map).order_by("position").first()
    apps.get_model("procurements", "Project").objects.filter(stage__isnull=True).update(
        process_map=process_map, stage=first, stage_entered_on=timezone.localdate()
    )


def unload(apps, schema_editor):
    apps.get_model("procurements", "Project").objects.update(process_map=None, stage=None)
    apps.get_model("procurements", "ProcessMap").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("procurements", "0002_pipeline")]

    operations = [migrations.RunPython(load, unload)]
