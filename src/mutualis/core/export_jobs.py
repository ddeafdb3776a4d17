"""List exports too long for a request: queued, written by the background worker (django-tasks), then
downloaded by the person who asked, through a view that checks it is theirs.

The worker finds the list again by its path (django.urls.resolve) and asks the view class for the rows
(`export_queryset_for(user, query_string, kwargs)`: scoping, filters and search as on the page), so
that nothing but the path and the query string is stored. Files are removed after
MUTUALIS_EXPORT_KEEP_DAYS by `purge_exports` (daily job).
"""

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import resolve
from django.utils import timezone
from django_tasks import task

from .export_stream import csv_chunks, resource_rows, write_xlsx
from .models import ExportJob, ExportState

logger = logging.getLogger(__name__)

FOLDER = "exports"


@transaction.atomic
def export_job_start(
    *, user, title: str, path: str, query_string: str, file_format: str, file_stem: str, rows: int
) -> ExportJob:
    """Record the export asked by `user` and queue it for the background worker."""
    job = ExportJob.objects.create(
        user=user,
        title=title[:200],
        path=path,
        query_string=query_string,
        file_format=file_format,
        file_stem=file_stem[:100],
        rows=rows,
    )
    transaction.on_commit(lambda: run_export_job.enqueue(job.pk))
    return job


def _rebuild(job: ExportJob):
    """The resource and rows of the list, as the page would export them for the job's user now."""
    match = resolve(job.path)
    view_class = match.func.view_class
    return view_class.export_queryset_for(job.user, job.query_string, match.kwargs)


def _write(job: ExportJob, resource, queryset) -> str:
    def progress(count: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=count)

    rows = resource_rows(resource, queryset, on_chunk=progress)
    name = f"{FOLDER}/{job.pk}.{job.file_format}"  # never a name from the request
    target = default_storage.path(name)
    default_storage.delete(name)
    os.makedirs(default_storage.path(FOLDER), exist_ok=True)
    if job.file_format == "csv":
        with open(target, "wb") as out:
            for chunk in csv_chunks(rows):
                out.write(chunk)
    else:
        write_xlsx(rows, target, title=job.file_stem)
    return name


@task()
def run_export_job(job_id: int) -> None:
    """Write the file; the outcome (file or failure) is recorded on the job."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(state=ExportState.RUNNING)
    try:
        resource, queryset = _rebuild(job)
        rows = queryset.count()
        ExportJob.objects.filter(pk=job_id).update(rows=rows)
        name = _write(job, resource, queryset)
    except Exception:
        logger.exception("Export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(state=ExportState.FAILED, finished_at=timezone.now())
        raise
    ExportJob.objects.filter(pk=job_id).update(
        state=ExportState.DONE, file=name, progress=rows, finished_at=timezone.now()
    )


def exports_purge(*, now=None) -> int:
    """Delete the jobs (and their files) finished more than MUTUALIS_EXPORT_KEEP_DAYS ago; their count."""
    limit = (now or timezone.now()) - timedelta(days=settings.MUTUALIS_EXPORT_KEEP_DAYS)
    old = ExportJob.objects.filter(finished_at__lt=limit)
    for name in old.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    return old.delete()[0]
