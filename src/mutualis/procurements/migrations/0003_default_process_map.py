"""Load the default process map (data/process_map.json) as published version 1, and put the projects
created before the pipeline at its first stage."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

MAP_FILE = Path(__file__).resolve().parent.parent / "data" / "process_map.json"


def load(apps, schema_editor):
    ProcessMap = apps.get_model("procurements", "ProcessMap")
    Stage = apps.get_model("procurements", "Stage")
    Project = apps.get_model("procurements", "Project")
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    process_map = ProcessMap.objects.create(
        version=data["version"], label=data["label"], notes=data["source"], published_at=timezone.now()
    )
    stages = Stage.objects.bulk_create(
        Stage(process_map=process_map, position=position, **stage)
        for position, stage in enumerate(data["stages"], start=1)
    )
    today = timezone.localdate()
    Project.objects.filter(stage__isnull=True).update(
        process_map=process_map, stage=stages[0], stage_entered_on=today
    )


def unload(apps, schema_editor):
    apps.get_model("procurements", "Project").objects.update(process_map=None, stage=None)
    apps.get_model("procurements", "ProcessMap").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("procurements", "0002_pipeline")]

    operations = [migrations.RunPython(load, unload)]
