"""Background job of the steering app (run by `mutualis db_worker`): the governance report's files."""

import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from .models import GovernanceReport, ReportStatus

logger = logging.getLogger(__name__)

FOLDER = "governance_reports"
FORMATS = ("pdf", "xlsx")


def stored_name(report_id: int, file_format: str) -> str:
    """The file's name relative to MEDIA_ROOT (private storage, served by a rights-checking view)."""
    return f"{FOLDER}/{report_id}/rapport-gouvernance-{report_id}.{file_format}"


def progress_key(report_id: int) -> str:
    return f"governance-report-progress:{report_id}"


def _advance(report_id: int, fraction: float) -> None:
    # The run's row is written once at the end: the page that polls reads its progress from the cache.
    cache.set(progress_key(report_id), {"progress": fraction}, timeout=24 * 3600)


@task()
def build_governance_report(report_id: int) -> None:
    """Read the report's content once, write its PDF and its workbook; a failure is recorded on the run,
    never lost."""
    # Imported here: the report pulls in every indicator and WeasyPrint, which other jobs don't need.
    from .report.content import report_content
    from .report.pdf import render_pdf
    from .report.xlsx import build_workbook

    GovernanceReport.objects.filter(pk=report_id).update(status=ReportStatus.RUNNING)
    try:
        report = GovernanceReport.objects.select_related("entity", "family", "requested_by").get(pk=report_id)
        if report.requested_by is None:
            raise ValueError(
                "La personne qui a demandé ce rapport n'a plus de compte : demandez-le à nouveau."
            )
        content = report_content(report, progress=lambda fraction: _advance(report_id, fraction))
        files = {"pdf": render_pdf(content)}
        _advance(report_id, 0.9)
        files["xlsx"] = build_workbook(content)
        for file_format, data in files.items():
            name = stored_name(report_id, file_format)
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(data))
    except Exception as error:
        logger.exception("Governance report %s failed", report_id)
        GovernanceReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    finally:
        cache.delete(progress_key(report_id))
    GovernanceReport.objects.filter(pk=report_id).update(status=ReportStatus.DONE, finished_at=timezone.now())
