"""Cells that a spreadsheet would run: escaped on every export, unescaped on import (OWASP CSV injection).

Contract objects and supplier names come from public DECP files, so anyone can plant a text such as
`=HYPERLINK(…)`. Every text starting with one of the characters Excel and LibreOffice read as a formula
is written behind an apostrophe; the importers remove that apostrophe, so an exported file re-imports as
it was.
"""

import tablib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_formula(value):
    """The value as a spreadsheet must receive it: a text that would start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def unescape_formula(value):
    """The value as it was before `escape_formula`."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def safe_row(values) -> list:
    # escape_formula inlined: this runs for every cell of every export.
    return [
        ESCAPE + value
        if value.__class__ is str and value.startswith(FORMULA_STARTS)
        else escape_formula(value)
        for value in values
    ]


def escaped_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset ready to be written to a file (headers included)."""
    safe = tablib.Dataset(*(safe_row(row) for row in dataset), headers=safe_row(dataset.headers or []))
    safe.title = dataset.title
    return safe


def unescaped_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of a dataset read from a file, with the export's escapes removed."""
    rows = ([unescape_formula(value) for value in row] for row in dataset)
    return tablib.Dataset(*rows, headers=[unescape_formula(h) for h in dataset.headers or []])


def append_row(sheet, values) -> None:
    """`sheet.append` for the workbooks built by hand (openpyxl), with every cell escaped."""
    sheet.append(safe_row(values))
