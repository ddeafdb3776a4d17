"""Starting an import of supplier data (SIRENE extract, inclusion list) from an upload."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import DataImportStatus, SupplierDataImport
from .tasks import run_supplier_data_import


def upload_dir(run_id: int) -> Path:
    """A run's private folder under MEDIA_ROOT (served by no URL)."""
    return Path(settings.MEDIA_ROOT) / "supplier_imports" / str(run_id)


@transaction.atomic
def supplier_data_import_start(*, actor, kind: str, data_date, upload) -> SupplierDataImport:
    """Store the uploaded file chunk by chunk (it may weigh gigabytes) and queue its import."""
    if actor is not None and not access_for(actor).has(Perm.MANAGE_SUPPLIERS):
        raise PermissionDenied
    name = Path(upload.name.replace("\\", "/")).name  # a browser may send a path
    run = SupplierDataImport.objects.create(
        kind=kind, data_date=data_date, file_name=name, user=actor, status=DataImportStatus.QUEUED
    )
    folder = upload_dir(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    run.path = str(path)
    run.save(update_fields=["path"])
    transaction.on_commit(lambda: run_supplier_data_import.enqueue(run.pk))
    return run


def supplier_data_import_file(*, kind: str, path, data_date, user=None) -> SupplierDataImport:
    """Import a file already on disk, now (the commands and the demo): the same run and report."""
    from .sirene.importer import supplier_data_import

    path = Path(path)
    run = SupplierDataImport.objects.create(
        kind=kind, data_date=data_date, file_name=path.name, path=str(path), user=user
    )
    return supplier_data_import(run)


def summary_of(counts: dict) -> str:
    """« 12 345 lignes lues ; 40 fournisseurs reconnus : 12 mis à jour, 28 inchangés ; 2 lignes rejetées »."""

    def number(value: int) -> str:
        return f"{value:,}".replace(",", "\u202f")

    return (
        f"{number(counts.get('read', 0))} ligne(s) lue(s) ; "
        f"{number(counts.get('matched', 0))} fournisseur(s) reconnu(s) : "
        f"{number(counts.get('updated', 0))} mis à jour, {number(counts.get('unchanged', 0))} inchangé(s) ; "
        f"{number(counts.get('rejected', 0))} ligne(s) rejetée(s)."
    )
