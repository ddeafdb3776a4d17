"""Writes of the open-data app: starting a DECP import, recording the publication of an export."""

from datetime import date

from django.db import transaction

from mutualis.contracts.services import contract_mark_published

from .exports.decp import DecpExport
from .models import ImportRun, ImportStatus
from .tasks import run_decp_import, upload_dir


@transaction.atomic
def decp_import_start(*, actor, files, dry_run: bool = False) -> ImportRun:
    """Store the uploaded DECP files for a new import run and queue it for the background worker."""
    run = ImportRun.objects.create(status=ImportStatus.QUEUED, dry_run=dry_run, user=actor, progress=0.0)
    folder = upload_dir(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for upload in files:
        # A browser may send a path; only the file name is kept, inside the run's folder.
        path = folder / upload.name.replace("/", "_")
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        paths.append(str(path))
    run.files = paths
    run.save(update_fields=["files"])
    transaction.on_commit(lambda: run_decp_import.enqueue(run.pk))
    return run


def decp_export_published(*, actor, export: DecpExport, on: date) -> int:
    """Record `on` as the first publication date of the exported contracts that had none yet."""
    return contract_mark_published(actor=actor, contracts=export.exported, on=on)
