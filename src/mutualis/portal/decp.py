"""The territory's DECP file on the portal: the last one the background worker built and found
conforming (opendata/exports/store.py keeps only that one), never built on a visitor's request, so a
public page costs no export and shows the same file the team published, with its date."""

from dataclasses import dataclass
from datetime import date

from mutualis.opendata.models import ExportKind, ImportStatus, OpenDataExport


@dataclass(frozen=True)
class PublicFile:
    built_on: date
    contract_count: int
    stored_name: str  # for the download view only; never shown
    download_name: str


def public_decp_file() -> PublicFile | None:
    export = (
        OpenDataExport.objects.filter(kind=ExportKind.DECP, status=ImportStatus.DONE, is_valid=True)
        .exclude(file_name="")
        .exclude(built_on=None)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if export is None:
        return None
    return PublicFile(export.built_on, export.contract_count, export.file_name, export.download_name)
