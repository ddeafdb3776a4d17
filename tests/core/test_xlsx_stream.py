"""The XLSX written row by row (core/xlsx_stream.py) reads back in openpyxl with the cells given."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from mutualis.core.xlsx_stream import write_xlsx


def written(rows, title="registre_contrats"):
    target = io.BytesIO()
    write_xlsx(rows, target, title=title)
    return openpyxl.load_workbook(io.BytesIO(target.getvalue())).active


def test_cells_read_back_with_their_types_and_a_bold_frozen_header():
    rows = [
        ["Référence", "Objet & <lot>", "Montant", "Oui", "Date", "Vide"],
        ["R-1", "  espaces gardés ", 12, True, date(2026, 1, 15), None],
        ["R-2", "Ligne\u000b avec contrôle", Decimal("1234.5"), False, datetime(2026, 1, 15, 8, 30), ""],
        ['\'=HYPERLINK("x")', "é è « »", 1.25],
    ]
    sheet = written(iter(rows))
    assert sheet.title == "registre_contrats" and sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        rows[0],
        ["R-1", "  espaces gardés ", 12, True, datetime(2026, 1, 15), None],
        ["R-2", "Ligne avec contrôle", 1234.5, False, datetime(2026, 1, 15, 8, 30), None],
        ['\'=HYPERLINK("x")', "é è « »", 1.25, None, None, None],
    ]


def test_a_title_is_cut_to_excel_limit_and_an_empty_export_still_opens():
    sheet = written(iter([]), title="x" * 40)
    assert sheet.title == "x" * 31 and sheet.max_row == 1


def test_a_value_a_spreadsheet_cannot_hold_names_its_cell():
    with pytest.raises(ValueError, match="Cellule B2"):
        written(iter([["a", "b"], ["x", object()]]))
