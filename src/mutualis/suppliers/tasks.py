"""Background job of the suppliers app (run by `mutualis db_worker`): a SIRENE or inclusion import."""

import contextlib
import logging
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from .models import DataImportStatus, SupplierDataImport
from .sirene.importer import supplier_data_import

logger = logging.getLogger(__name__)


@task()
def run_supplier_data_import(run_id: int) -> None:
    """Import the file stored for this run; a failure is recorded on the run, never lost."""
    run = SupplierDataImport.objects.select_related("user").get(pk=run_id)
    try:
        supplier_data_import(run)
    except Exception as error:
        logger.exception("Supplier data import %s failed", run_id)
        SupplierDataImport.objects.filter(pk=run_id).update(
            status=DataImportStatus.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    finally:
        # The upload may weigh gigabytes and holds nothing the run does not keep: counts and report.
        if run.path:
            Path(run.path).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # the run's folder, once empty
                Path(run.path).parent.rmdir()
