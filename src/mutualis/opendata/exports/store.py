"""Stored open-data exports: the worker builds a file once, the page and the downloads read what it kept."""

import dataclasses

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from mutualis.contracts.models import Amendment

from ..models import ExportKind, ImportStatus, OpenDataExport
from .decp import export_decp
from .ocds import export_ocds

FOLDER = "opendata_exports"


def stored_name(export: OpenDataExport) -> str:
    """The file's name relative to MEDIA_ROOT (private storage, served by a rights-checking view)."""
    return f"{FOLDER}/{export.kind}/{export.pk}.json"


def build_and_store(export: OpenDataExport) -> OpenDataExport:
    """Build the export of `export.kind`, keep its summary, store the file when it conforms, and drop
    the previous exports of the same kind (only the last one is kept)."""
    today = timezone.localdate()
    if export.kind == ExportKind.DECP:
        result = export_decp(today=today)
        contracts, text = result.exported, result.to_json()
        # The amendments written in the file: recording its publication dates these, not later ones.
        export.amendment_ids = list(
            Amendment.objects.filter(contract__in=contracts).values_list("pk", flat=True)
        )
    else:
        result = export_ocds()
        contracts, text = result.contracts, result.to_json()
        export.release_count = result.release_count
    export.built_on = today
    export.is_valid = result.is_valid
    export.contract_count = len(contracts)
    export.contract_ids = [contract.pk for contract in contracts]
    export.left_out = [dataclasses.asdict(item) for item in result.left_out]
    export.errors = [dataclasses.asdict(error) for error in result.errors]
    if result.is_valid:
        name = stored_name(export)
        if default_storage.exists(name):
            default_storage.delete(name)
        export.file_name = default_storage.save(name, ContentFile(text.encode("utf-8")))
    export.status = ImportStatus.DONE
    export.finished_at = timezone.now()
    export.save()
    older = OpenDataExport.objects.filter(kind=export.kind, pk__lt=export.pk).exclude(
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    )
    for previous in older:
        if previous.file_name:
            default_storage.delete(previous.file_name)
    older.delete()
    return export
