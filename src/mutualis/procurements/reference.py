"""The default process map shipped with the application (data/process_map.json).

Takes the model classes so the data migration can pass its historical models.
"""

import json
from pathlib import Path

from django.utils import timezone

MAP_FILE = Path(__file__).resolve().parent / "data" / "process_map.json"


def load_process_map(process_map_model, stage_model):
    """Create the default map as a published version, with its stages; returns it."""
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    process_map = process_map_model.objects.create(
        version=data["version"], label=data["label"], notes=data["source"], published_at=timezone.now()
    )
    stage_model.objects.bulk_create(
        stage_model(process_map=process_map, position=position, **stage)
        for position, stage in enumerate(data["stages"], start=1)
    )
    return process_map
