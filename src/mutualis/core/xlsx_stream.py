"""A one-sheet XLSX written as it goes, by XlsxWriter in its constant-memory mode.

openpyxl's write-only mode builds an XML element per cell (about 10 µs each without lxml, a third of a
millisecond for a registry contract) and keeps every distinct text in its shared-strings table until
the end. XlsxWriter's constant-memory mode writes each row to a temporary file as soon as the next one
starts, its texts inline, so memory does not grow with the rows. Values: text, numbers, booleans, dates
(with a date format), None or "" (no cell); characters XML forbids are dropped (openpyxl refused the
whole file).
"""

import re
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter
from django.utils.functional import Promise
from xlsxwriter.utility import xl_rowcol_to_cell

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Characters Excel refuses in a sheet's name.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

OPTIONS = {
    "constant_memory": True,
    # Cells are written as given: a text is never read as a formula, a number or a link (the rows are
    # already escaped by core.spreadsheets; a link per cell also hits Excel's 65,530 limit).
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "remove_timezone": True,
}


def write_xlsx(rows, target, *, title: str) -> None:
    """One sheet named `title`, bold frozen header (the first row), then the rows, to `target` (a path
    or a binary file object)."""
    workbook = xlsxwriter.Workbook(target, OPTIONS)
    try:
        _write_sheet(workbook, rows, title)
    finally:
        workbook.close()


def _write_sheet(workbook, rows, title: str) -> None:
    sheet = workbook.add_worksheet(SHEET_NAME_FORBIDDEN.sub(" ", title)[:31].strip() or "export")
    bold = workbook.add_format({"bold": True})
    formats = {
        date: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        datetime: workbook.add_format({"num_format": "yyyy-mm-dd h:mm:ss"}),
        time: workbook.add_format({"num_format": "h:mm:ss"}),
    }
    sheet.freeze_panes(1, 0)
    rows = iter(rows)
    for column, name in enumerate(next(rows, [])):
        sheet.write_string(0, column, _clean(str(name)), bold)
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            _write_cell(sheet, number, column, value, formats)


def _write_cell(sheet, row: int, column: int, value, formats: dict) -> None:
    # The common case first: a non-empty text.
    if type(value) is str:
        if value:
            sheet.write_string(row, column, _clean(value))
    elif value is None:
        return
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, value)
    elif isinstance(value, datetime | date | time):
        sheet.write_datetime(row, column, value, formats[type(value) if type(value) in formats else datetime])
    elif isinstance(value, Promise):
        _write_cell(sheet, row, column, str(value), formats)
    else:
        kind = type(value).__name__
        cell = xl_rowcol_to_cell(row, column)
        raise ValueError(f"Cellule {cell} : une valeur {kind} ne s'écrit pas dans un tableur.")


def _clean(text: str) -> str:
    return ILLEGAL.sub("", text) if ILLEGAL.search(text) else text
