"""Writes of the spend app started from the interface: a spend import queued for the worker."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import SpendImport, SpendImportStatus
from .permissions import may_import_for
from .tasks import run_spend_import, upload_dir


@transaction.atomic
def spend_import_start(*, actor, entity, files, dry_run: bool = False) -> SpendImport:
    """Store the uploaded files privately for a new run and queue it for the background worker."""
    if not may_import_for(actor, entity.pk):
        raise PermissionDenied
    run = SpendImport.objects.create(
        entity=entity, status=SpendImportStatus.QUEUED, dry_run=dry_run, user=actor
    )
    folder = upload_dir(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for upload in files:
        # A browser may send a path; only the file name is kept, inside the run's folder.
        path = folder / upload.name.replace("/", "_").replace("\\", "_")
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        paths.append(str(path))
    run.files = paths
    run.save(update_fields=["files"])
    transaction.on_commit(lambda: run_spend_import.enqueue(run.pk))
    return run
