"""CSV and XLSX files built from a django-import-export resource, so exports re-import as they are; every
cell that would start a formula is escaped (core.spreadsheets).

A list's export streams (core/export_stream.py): CSV row by row to the client, XLSX row by row to a
temporary file sent once written. Small tables that no import reads back (reports, analyses) are tablib
datasets (`dataset_response`).
"""

import tempfile

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from mutualis.core.export_stream import csv_chunks, resource_rows, write_xlsx
from mutualis.core.spreadsheets import escaped_dataset

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMATS = {
    # Semicolons and a BOM: what French Excel expects to open a CSV with its accents intact.
    "csv": (CSV_TYPE, lambda data: "\ufeff" + data.export("csv", delimiter=";")),
    "xlsx": (XLSX_TYPE, lambda data: data.export("xlsx")),
}


def export_file_name(file_stem: str, file_format: str, *, day=None) -> str:
    return f"{file_stem}_{(day or timezone.localdate()).isoformat()}.{file_format}"


def export_response(resource, queryset, *, file_stem: str, file_format: str) -> HttpResponse:
    """The rows of `queryset` through `resource`, streamed: memory does not grow with the row count."""
    rows = resource_rows(resource, queryset)
    name = export_file_name(file_stem, file_format)
    if file_format == "csv":
        response = StreamingHttpResponse(csv_chunks(rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    # A zip cannot be streamed before its directory is known: written to a temporary file (deleted when
    # the response closes it), never held whole in memory.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by the FileResponse)
    write_xlsx(rows, target, title=file_stem)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def dataset_response(dataset, *, file_stem: str, file_format: str) -> HttpResponse:
    """A tablib dataset as a download (a page's table that no import reads back: reports, analyses)."""
    content_type, render = FORMATS[file_format]
    dataset = escaped_dataset(dataset)
    dataset.title = file_stem[:31]
    response = HttpResponse(render(dataset), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_file_name(file_stem, file_format)}"'
    return response
