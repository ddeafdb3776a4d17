"""Writes of the open-data app: starting a DECP import, preparing the open-data exports in the
background, recording the publication of an export."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.contracts.models import Contract
from mutualis.contracts.services import contract_mark_published
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .exports.decp import DecpExport
from .models import ExportKind, ImportRun, ImportStatus, OpenDataExport
from .tasks import build_open_data_export, run_decp_import, upload_dir


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


def open_data_exports_prepare(*, actor) -> list[OpenDataExport]:
    """Queue a fresh DECP and OCDS export for the background worker (one pending per kind at most)."""
    if actor is not None and not access_for(actor).has(Perm.MANAGE_CONTRACTS):
        raise PermissionDenied
    exports = []
    for kind in ExportKind:
        with transaction.atomic():
            pending = OpenDataExport.objects.pending().filter(kind=kind).first()
            if pending:
                exports.append(pending)
                continue
            export = OpenDataExport.objects.create(kind=kind, requested_by=actor)
            transaction.on_commit(lambda pk=export.pk: build_open_data_export.enqueue(pk))
            exports.append(export)
    return exports


def decp_stored_export_published(*, actor, export: OpenDataExport) -> int:
    """Record the publication of a stored DECP file: its contracts and amendments that had no first
    publication date get the date written in the file (the day it was built), so that the registry
    and the published file agree."""
    if export.kind != ExportKind.DECP or not export.is_valid:
        raise ValidationError("Seul un fichier DECP conforme peut être enregistré comme publié.")
    return contract_mark_published(
        actor=actor,
        contracts=Contract.objects.filter(pk__in=export.contract_ids),
        on=export.built_on,
        amendment_ids=export.amendment_ids,
    )
