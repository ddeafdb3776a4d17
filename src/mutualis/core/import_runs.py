"""Spreadsheet imports too long for a request: stored, then run by the background worker
(django-tasks, as the DECP imports), with the same whole-file check and all-or-nothing write.

The page checks the file's size and row count first (core/import_files.py), in the request; only a
file above MUTUALIS_IMPORT_BACKGROUND_ROWS rows that passed those checks is queued.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .import_files import ImportFileError
from .imports import import_dataset, read_dataset
from .models import ImportState, SpreadsheetImport

logger = logging.getLogger(__name__)


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "spreadsheet_imports"


@transaction.atomic
def spreadsheet_import_start(
    *,
    actor,
    resource_class,
    params: dict,
    title: str,
    back_url: str,
    name: str,
    content: bytes,
    dry_run: bool,
) -> SpreadsheetImport:
    """Store the uploaded file and queue its import for the background worker."""
    run = SpreadsheetImport.objects.create(
        resource_path=f"{resource_class.__module__}.{resource_class.__qualname__}",
        params=params,
        title=title,
        back_url=back_url,
        file_name=Path(name).name[:200],
        dry_run=dry_run,
        user=actor,
    )
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run.pk}{Path(name).suffix.lower()}"  # never the uploaded name: no path in it
    path.write_bytes(content)
    run.stored_file = str(path)
    run.save(update_fields=["stored_file"])
    transaction.on_commit(lambda: run_spreadsheet_import.enqueue(run.pk))
    return run


@task()
def run_spreadsheet_import(run_id: int) -> None:
    """Run the import; the outcome (report, refusal or failure) is recorded on the run."""
    run = SpreadsheetImport.objects.select_related("user").get(pk=run_id)
    SpreadsheetImport.objects.filter(pk=run_id).update(state=ImportState.RUNNING)
    path = Path(run.stored_file)
    values = {"finished_at": timezone.now()}
    try:
        resource = import_string(run.resource_path).for_import(run.user, **run.params)
        dataset = read_dataset(run.file_name, path.read_bytes(), max_rows=resource.import_max_rows)
        report = import_dataset(resource, dataset, user=run.user, dry_run=run.dry_run)
    except ImportFileError as error:
        values.update(state=ImportState.REFUSED, message=str(error))
    except Exception as error:
        logger.exception("Spreadsheet import %s failed", run_id)
        values.update(state=ImportState.FAILED, message=f"Erreur inattendue ({error.__class__.__name__}).")
        SpreadsheetImport.objects.filter(pk=run_id).update(**values)
        raise
    else:
        values.update(rows=report.total, errors=[[e.line, e.column, e.message] for e in report.errors])
        if report.accepted:
            values.update(
                state=ImportState.DONE, created=report.created, updated=report.updated, skipped=report.skipped
            )
        else:
            values.update(state=ImportState.REFUSED)
    finally:
        path.unlink(missing_ok=True)  # the file is personal data: kept no longer than its import
    SpreadsheetImport.objects.filter(pk=run_id).update(**values)
