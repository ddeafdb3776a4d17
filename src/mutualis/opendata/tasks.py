"""Background jobs of the open-data app (run by `mutualis db_worker`)."""

import logging
from pathlib import Path

from django.conf import settings
from django_tasks import task

from .decp_import.service import import_decp
from .models import ImportRun, ImportStatus, OpenDataExport

logger = logging.getLogger(__name__)


REPORT_NAME = "rapport.json"


def stored_name(run_id: int, filename: str = "") -> str:
    """A run's folder, or a file in it, relative to MEDIA_ROOT: what the private download views serve."""
    return f"decp_imports/{run_id}/{filename}".rstrip("/")


def upload_dir(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / stored_name(run_id)


@task()
def run_decp_import(run_id: int) -> None:
    """Import the files uploaded for this run; a failure is recorded on the run, never lost."""
    run = ImportRun.objects.get(pk=run_id)
    ImportRun.objects.filter(pk=run_id).update(status=ImportStatus.RUNNING)
    try:
        import_decp(
            run.files,
            dry_run=run.dry_run,
            user=run.user,
            run=run,
            report_path=upload_dir(run_id) / REPORT_NAME,
        )
    except Exception as error:
        logger.exception("DECP import %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(status=ImportStatus.FAILED, message=str(error)[:2000])
        raise
    ImportRun.objects.filter(pk=run_id).update(report_file=str(upload_dir(run_id) / REPORT_NAME))


@task()
def build_open_data_export(export_id: int) -> None:
    """Build, validate and store one open-data file; a failure is recorded on the export, never lost."""
    # Imported here: the export builders pull in the contracts app, which the import job doesn't need.
    from .exports.store import build_and_store

    OpenDataExport.objects.filter(pk=export_id).update(status=ImportStatus.RUNNING)
    try:
        build_and_store(OpenDataExport.objects.get(pk=export_id))
    except Exception as error:
        logger.exception("Open-data export %s failed", export_id)
        OpenDataExport.objects.filter(pk=export_id).update(
            status=ImportStatus.FAILED, message=str(error)[:2000]
        )
        raise
