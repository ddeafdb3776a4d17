"""Background job of the spend app (run by `mutualis db_worker`)."""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .importer import spend_import
from .models import SpendImport, SpendImportStatus

logger = logging.getLogger(__name__)

REPORT_NAME = "rapport.csv"


def stored_name(run_id: int, filename: str = "") -> str:
    """A run's folder, or a file in it, relative to MEDIA_ROOT (private: served by a view only)."""
    return f"spend_imports/{run_id}/{filename}".rstrip("/")


def upload_dir(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / stored_name(run_id)


@task()
def run_spend_import(run_id: int) -> None:
    """Import the files uploaded for this run; a failure is recorded on the run, never lost."""
    run = SpendImport.objects.select_related("entity", "user").get(pk=run_id)
    SpendImport.objects.filter(pk=run_id).update(status=SpendImportStatus.RUNNING)
    try:
        spend_import(
            run.entity, run.files, dry_run=run.dry_run, user=run.user, run=run,
            report_path=upload_dir(run_id) / REPORT_NAME, progress=True,
        )  # fmt: skip
    except Exception as error:
        logger.exception("Spend import %s failed", run_id)
        SpendImport.objects.filter(pk=run_id).update(
            status=SpendImportStatus.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
