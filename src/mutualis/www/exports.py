"""CSV and XLSX files built from a django-import-export resource, so exports re-import as they are; every
cell that would start a formula is escaped (core.spreadsheets)."""

from django.http import HttpResponse
from django.utils import timezone

from mutualis.core.spreadsheets import escaped_dataset

FORMATS = {
    # Semicolons and a BOM: what French Excel expects to open a CSV with its accents intact.
    "csv": ("text/csv; charset=utf-8", lambda data: "\ufeff" + data.export("csv", delimiter=";")),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda data: data.export("xlsx"),
    ),
}


def export_response(resource, queryset, *, file_stem: str, file_format: str) -> HttpResponse:
    return dataset_response(resource.export(queryset=queryset), file_stem=file_stem, file_format=file_format)


def dataset_response(dataset, *, file_stem: str, file_format: str) -> HttpResponse:
    """A tablib dataset as a download (a page's table that no import reads back: reports, analyses)."""
    content_type, render = FORMATS[file_format]
    dataset = escaped_dataset(dataset)
    dataset.title = file_stem[:31]
    response = HttpResponse(render(dataset), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{file_stem}_{stamp}.{file_format}"'
    return response
