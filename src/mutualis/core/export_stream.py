"""Exports written row by row: memory stays flat whatever the number of rows.

Each row has the cells of the django-import-export resource (its widgets and `dehydrate_*` methods are
those of the import round trip), read through its column plan (core/export_plan.py) or record by record,
then goes through formula escaping (core.spreadsheets). CSV is a generator of bytes for a
StreamingHttpResponse; XLSX is written row by row into a file (core/xlsx_stream.py).
"""

import csv
from collections.abc import Callable, Iterable, Iterator

from django.db.models import QuerySet

from .export_plan import export_plan, generic_export
from .spreadsheets import safe_row
from .xlsx_stream import write_xlsx

__all__ = ["csv_chunks", "resource_rows", "write_xlsx"]

# Records per fetch; each chunk's prefetch lists its ids in one IN (…), and SQLite refuses 2,000 of them
# (expression tree deeper than 1,000).
CHUNK_SIZE = 500
BOM = "\ufeff"


def resource_rows(resource, queryset, *, on_chunk: Callable[[int], None] | None = None) -> Iterator[list]:
    """The header, then one escaped row per record, fetched CHUNK_SIZE at a time.

    Read through the resource's column plan (core/export_plan.py) when it has one, else record by record:
    `iterator(chunk_size=…)` keeps the list's prefetches, chunk by chunk (a server-side cursor on
    PostgreSQL). `on_chunk(rows so far)` lets a background job record its progress.
    """
    yield safe_row(resource.get_export_headers())
    plan = export_plan(resource, queryset) if isinstance(queryset, QuerySet) else None
    if plan is not None:
        rows = plan.rows(queryset, chunk_size=CHUNK_SIZE, on_chunk=on_chunk)
    else:
        rows = record_rows(resource, queryset, on_chunk=on_chunk)
    for row in rows:
        yield safe_row(row)


def record_rows(resource, queryset, *, on_chunk: Callable[[int], None] | None = None) -> Iterator[list]:
    """`export_resource` per record, with each field's exporter looked up once rather than per cell."""
    records = queryset.iterator(chunk_size=CHUNK_SIZE) if isinstance(queryset, QuerySet) else queryset
    export = _bound_exporter(resource)
    for count, record in enumerate(records, start=1):
        yield export(record)
        if on_chunk is not None and count % CHUNK_SIZE == 0:
            on_chunk(count)


def _bound_exporter(resource) -> Callable[[object], list]:
    """What `export_resource` does per record (dehydrate method or field.export), resolved once."""
    if not generic_export(resource):
        return resource.export_resource
    exporters = []
    for field in resource.get_export_fields():
        method = field.get_dehydrate_method(resource.get_field_name(field))
        method = method if callable(method) else getattr(resource, method, None)
        exporters.append(method or field.export)
    return lambda record: [export(record) for export in exporters]


class _Line:
    """A file-like object whose `write` hands back what the csv writer wrote."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows: Iterable[list]) -> Iterator[bytes]:
    """Semicolons and a BOM: what French Excel expects to open a CSV with its accents intact."""
    writer = csv.writer(_Line(), delimiter=";")
    yield BOM.encode()
    batch = []
    for row in rows:
        batch.append(writer.writerow(row))
        if len(batch) == 500:  # a few kB per chunk, rather than one tiny write per row
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()
