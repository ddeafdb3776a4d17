"""The report as a workbook: the indicators, one sheet per chart with its table (and the same chart drawn
by the spreadsheet from it), the risk flags, the action plan and the internal clients' satisfaction. Every
text goes through the formula escape (core/spreadsheets.py): objectives' sources and flags' titles are
typed by people."""

import io
import re

import openpyxl
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mutualis.clients.satisfaction import table as satisfaction_table
from mutualis.core.spreadsheets import append_row

from ..indicators import Unit
from .content import FLAGS_MISSING, ReportContent

BOLD = Font(bold=True)
EUROS = '#,##0.00 "€"'
INDICATOR_HEADERS = [
    "Code", "Groupe", "Indicateur", "Unité", "Valeur", "Un an avant", "Évolution", "Objectif",
    "Écart à l'objectif", "Objectif atteint", "Origine de l'objectif", "Définition",
]  # fmt: skip
SHEET_NAME = re.compile(r"[\[\]:*?/\\']")


def build_workbook(content: ReportContent) -> bytes:
    workbook = openpyxl.Workbook()
    _summary(workbook.active, content)
    _indicators(workbook.create_sheet("Indicateurs"), content)
    for number, chart in enumerate(content.charts, 1):
        _chart(workbook.create_sheet(_sheet_title(number, chart.title)), chart)
    _flags(workbook.create_sheet("Signaux"), content)
    _plan(workbook.create_sheet("Plan d'actions"), content)
    _satisfaction(workbook.create_sheet("Satisfaction"), content)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(number: int, title: str) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\ (and no apostrophe at the ends)."""
    return f"{number}. {SHEET_NAME.sub(' ', title)}"[:31].strip()


def _header(sheet, values) -> None:
    append_row(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _widths(sheet, widths) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _summary(sheet, content: ReportContent) -> None:
    sheet.title = "Rapport"
    append_row(sheet, [content.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in (
        ("Période et périmètre", content.scope.label),
        ("Demandé par", content.requested_by),
        ("Édité le", content.edited_on),
    ):
        append_row(sheet, [label, value])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.cell(sheet.max_row, 2).number_format = "DD/MM/YYYY"
    _widths(sheet, [24, 60])


def _indicators(sheet, content: ReportContent) -> None:
    _header(sheet, INDICATOR_HEADERS)
    for row in content.rows:
        status = {True: "Oui", False: "Non", None: ""}[row.on_target]
        append_row(
            sheet,
            [
                row.code, row.group, row.label, row.unit, row.value, row.previous, row.trend, row.target,
                row.gap, status, row.source, row.definition,
            ],
        )  # fmt: skip
        if row.unit == Unit.EUROS:  # value, previous, trend, target, gap
            for column in range(5, 10):
                sheet.cell(sheet.max_row, column).number_format = EUROS
    sheet.freeze_panes = "A2"
    _widths(sheet, [26, 20, 44, 10, 16, 16, 14, 14, 16, 10, 30, 80])


def _chart(sheet, chart) -> None:
    append_row(sheet, [chart.title])
    sheet["A1"].font = BOLD
    _header(sheet, ["Libellé", *chart.headers])
    for index, label in enumerate(chart.labels):
        values = [series.values[index] for series in chart.series]
        append_row(sheet, [label, *values, *([chart.target] if chart.target is not None else [])])
    _widths(sheet, [36] + [18] * len(chart.headers))
    if chart.labels:
        sheet.add_chart(_native(sheet, chart), f"{get_column_letter(len(chart.headers) + 3)}2")


def _native(sheet, chart):
    """The chart again, drawn by the spreadsheet from the table above (its numbers stay the source)."""
    drawn = LineChart() if chart.kind == "line" else BarChart()
    if chart.kind == "stacked":
        drawn.grouping, drawn.overlap = "stacked", 100
    drawn.title = chart.title
    last = 2 + len(chart.labels)
    drawn.add_data(
        Reference(sheet, min_col=2, max_col=1 + len(chart.headers), min_row=2, max_row=last),
        titles_from_data=True,
    )
    drawn.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=last))
    drawn.width, drawn.height = 20, 10
    return drawn


def _flags(sheet, content: ReportContent) -> None:
    flags = content.flags
    if not flags.available:
        append_row(sheet, [FLAGS_MISSING])
        return
    _header(sheet, ["Signal", "Nature", "Gravité", "Explication", "Examen", "Liens"])
    for flag in flags.items:
        acknowledgement = getattr(flag, "acknowledgement", None)
        append_row(
            sheet,
            [
                flag.title,
                flag.kind_label,
                flag.severity_label,
                flag.explanation,
                f"Vu : {acknowledgement.comment}" if acknowledgement else "Non examiné",
                " ; ".join(label for label, _ in flag.links),
            ],
        )
    if not flags.items:
        append_row(sheet, ["Aucun signal d'alerte sur ce périmètre."])
    _widths(sheet, [50, 20, 12, 70, 40, 40])


def _plan(sheet, content: ReportContent) -> None:
    plan = content.plan
    append_row(sheet, [f"Plan d'actions achats {plan.year}"])
    sheet["A1"].font = BOLD
    _header(
        sheet,
        ["Statut", "Actions", "Gain annuel attendu (€)", "Attendu en année N (€)", "Attendu en année N+1 (€)",
         "Gain réalisé (€)"],
    )  # fmt: skip
    for label, totals in [*plan.by_status, ("Total", plan.total)]:
        append_row(
            sheet, [label, totals.count, totals.annual, totals.year_n, totals.year_n1, totals.realised]
        )
        for column in range(3, 7):
            sheet.cell(sheet.max_row, column).number_format = EUROS
    sheet.append([])
    append_row(sheet, ["Actions d'amélioration ouvertes", content.improvements.open])
    append_row(sheet, ["dont en retard", content.improvements.late])
    _widths(sheet, [32, 10, 22, 22, 24, 18])


def _satisfaction(sheet, content: ReportContent) -> None:
    """Per module: delivered requests, answers, response rate, means (masked under five answers)."""
    append_row(sheet, ["Satisfaction des clients internes (notes de 1 à 5)"])
    sheet["A1"].font = BOLD
    headers, rows = satisfaction_table(content.satisfaction)
    _header(sheet, headers)
    for row in rows:
        append_row(sheet, row)
    _widths(sheet, [40, 12, 14, 14] + [22] * (len(headers) - 4))
