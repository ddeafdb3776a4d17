"""Safe spreadsheet imports through django-import-export resources.

A file is checked whole in a dry run first; if any row is rejected nothing is written and the
report names each rejected row (spreadsheet line number), column and reason. Only a clean file
is then imported, in one transaction.
"""

from collections import Counter
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from .batching import batched
from .import_files import ImportFileError, read_rows
from .spreadsheets import unescaped_dataset

__all__ = ["ImportFileError", "ImportReport", "RowError", "column_help", "import_dataset", "read_dataset"]


@dataclass(frozen=True)
class RowError:
    line: int  # spreadsheet line, header being line 1
    column: str
    message: str


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.accepted and not self.dry_run


def read_dataset(name: str, content: bytes, *, max_rows: int | None = None) -> tablib.Dataset:
    """The file as a dataset, refused whole (ImportFileError) when it is unreadable or too large."""
    max_rows = max_rows or settings.MUTUALIS_IMPORT_DEFAULT_MAX_ROWS
    header, rows = read_rows(name, content, max_rows)
    headers = [_header(value) for value in header]
    duplicates = sorted(h for h, count in Counter(headers).items() if h and count > 1)
    if duplicates:
        raise ImportFileError("Colonne(s) en double dans l'en-tête : " + ", ".join(duplicates) + ".")
    dataset = tablib.Dataset(*rows, headers=headers)
    return unescaped_dataset(dataset)  # our exports escape formulas; the values are read as they were


def _header(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def check_columns(resource, dataset: tablib.Dataset) -> None:
    expected = {f.column_name for f in resource.get_import_fields()}
    required = {resource.fields[name].column_name for name in resource.get_import_id_fields()}
    missing = sorted(required - set(dataset.headers))
    if missing:
        raise ImportFileError(
            "Colonne(s) obligatoire(s) absente(s) : "
            + ", ".join(missing)
            + ". Partez du modèle téléchargeable."
        )
    unknown = sorted(set(dataset.headers) - expected - {None, ""})
    if unknown:
        raise ImportFileError("Colonne(s) inconnue(s) : " + ", ".join(unknown) + ".")


def _collect_errors(resource, result) -> list[RowError]:
    columns = {name: f.column_name for name, f in resource.fields.items()}
    columns.update({f.attribute: f.column_name for f in resource.fields.values() if f.attribute})
    errors = []
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            column = columns.get(name, "(ligne)" if name == "__all__" else name)
            errors.extend(RowError(invalid.number + 1, column, str(message)) for message in messages)
    for number, row_errors in result.row_errors():
        errors.extend(RowError(number + 1, "(ligne)", str(error.error)) for error in row_errors)
    return sorted(errors, key=lambda e: (e.line, e.column))


def import_dataset(resource, dataset: tablib.Dataset, *, user=None, dry_run: bool = False) -> ImportReport:
    """Validate every row; write them all (one transaction) only if none is rejected."""
    check_columns(resource, dataset)
    # batched(): what receivers refresh per written row (the steering cube) is refreshed once per file.
    with transaction.atomic(), batched():
        result = resource.import_data(
            dataset, dry_run=True, raise_errors=False, use_transactions=True, user=user
        )
    report = ImportReport(total=dataset.height, errors=_collect_errors(resource, result), dry_run=dry_run)
    if report.errors or dry_run:
        _count(report, result)
        return report
    with transaction.atomic(), batched():
        result = resource.import_data(
            dataset, dry_run=False, raise_errors=True, use_transactions=True, user=user
        )
    _count(report, result)
    return report


def _count(report: ImportReport, result) -> None:
    totals = result.totals
    report.created = totals.get("new", 0)
    report.updated = totals.get("update", 0)
    report.skipped = totals.get("skip", 0)


@dataclass(frozen=True)
class ColumnHelp:
    name: str
    required: bool
    accepted: str  # accepted values, for enumerations


def column_help(resource) -> list[ColumnHelp]:
    """What each column of the import file expects, read from the resource's widgets."""
    keys = {resource.fields[name].column_name for name in resource.get_import_id_fields()}
    model = resource._meta.model
    columns = []
    for column in resource.get_import_fields():
        try:
            model_field = model._meta.get_field(column.attribute or "")
        except FieldDoesNotExist:  # a computed column
            model_field = None
        required = column.column_name in keys or (
            model_field is not None and not model_field.blank and not model_field.has_default()
        )
        widget = column.widget
        single = getattr(widget, "single", widget)  # a list widget wraps a single-value one
        choices = getattr(single, "choices", None)
        accepted = " ; ".join(str(label) for _, label in choices) if choices else ""
        if single is not widget and accepted:
            accepted = "une ou plusieurs valeurs séparées par « ; » parmi : " + accepted
        columns.append(ColumnHelp(column.column_name, required, accepted))
    return columns
