"""The spend map as a workbook: one sheet per table of the page, amounts as numbers in euros, every text
escaped (core.spreadsheets) since supplier names come from the entities' files."""

import io
from decimal import Decimal

import openpyxl
from openpyxl.utils import get_column_letter

from mutualis.core.spreadsheets import append_row
from mutualis.spend.spendmap import SpendMap

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO = '#,##0.00 "€"'
PERCENT = "0.0%"


def _row(sheet, values) -> None:
    """A row whose Decimal cells are amounts in euros and float cells shares."""
    append_row(sheet, values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, Decimal | int) and not isinstance(cell.value, bool):
            cell.number_format = EURO if isinstance(values[cell.column - 1], Decimal) else "0"
        elif isinstance(cell.value, float):
            cell.number_format = PERCENT


def _share(figures):
    share = figures.share
    return "" if share is None else float(share)


def _sheet(workbook, title: str, heading: str, headers: list):
    sheet = workbook.create_sheet(title)
    append_row(sheet, [heading])
    append_row(sheet, headers)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(header)) + 2))
    return sheet


def _grid(workbook, result: SpendMap, what: str) -> None:
    names = [entity.name for entity in result.entities]
    if what == "total":
        sheet = _sheet(
            workbook,
            "Familles × entités",
            f"Dépenses {result.year} par famille et par entité (€ HT)",
            ["Famille d'achat", *names, "Total HT (€)", "dont sous contrat (€)", "Part sous contrat"],
        )
    else:
        sheet = _sheet(
            workbook,
            "Hors marché",
            f"Dépenses hors marché {result.year} par famille et par entité (€ HT)",
            ["Famille d'achat", *names, "Total hors marché (€)", "Mandats hors marché"],
        )

    def figures_of(label, cells, total):
        amounts = [getattr(cells[e.pk], what) if e.pk in cells else Decimal(0) for e in result.entities]
        tail = [total.on_contract, _share(total)] if what == "total" else [total.off_lines]
        _row(sheet, [label, *amounts, getattr(total, what), *tail])

    for row in result.rows:
        if what == "total" or row.total.off_lines:
            figures_of(row.label, row.cells, row.total)
    figures_of("Total", result.columns, result.total)


def _suppliers(workbook, result: SpendMap) -> None:
    sheet = _sheet(
        workbook,
        "Fournisseurs",
        f"Principaux fournisseurs {result.year} (€ HT)",
        ["Fournisseur", "SIREN", "Total HT (€)", "dont sous contrat (€)", "Part sous contrat", "Mandats"],
    )
    for supplier in result.suppliers:
        figures = supplier.figures
        _row(sheet, [supplier.name, supplier.siren, figures.total, figures.on_contract, _share(figures),
                     figures.lines])  # fmt: skip


def _splitting(workbook, result: SpendMap) -> None:
    check = result.splitting
    sheet = _sheet(
        workbook,
        "Fractionnement",
        f"Contrôle a posteriori du fractionnement {result.year} : seuils en vigueur au "
        f"{check.rules_day:%d/%m/%Y}",
        ["Acheteur", "Famille d'achat", "Nature", "Dépense hors marché HT (€)", "Mandats",
         "Seuil le plus élevé atteint", "Valeur du seuil (€)", "Référence", "En vigueur depuis",
         "Seuils atteints", "Entités concernées"],
    )  # fmt: skip
    for flag in check.flags:
        top = flag.highest
        crossed = " ; ".join(f"{c.label} : {c.value} € ({c.reference})" for c in flag.crossings)
        family = f"{flag.family.code} — {flag.family.label}"
        behind = ", ".join(entity.name for entity in flag.entities)
        _row(sheet, [flag.buyer.name, family, flag.family.get_nature_display(), flag.amount, flag.lines,
                     top.label, top.value, top.reference, top.valid_from, crossed, behind])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=9).number_format = "DD/MM/YYYY"
    for item in check.unclassified:
        _row(sheet, [item.entity.name, "Non classées (non contrôlées)", "", item.amount, item.lines])
    if check.missing:
        append_row(sheet, [check.missing])


def _years(workbook, result: SpendMap) -> None:
    sheet = _sheet(
        workbook,
        "Exercices",
        "Dépenses par exercice (€ HT)",
        [
            "Exercice",
            "Total HT (€)",
            "dont sous contrat (€)",
            "Hors marché (€)",
            "Part sous contrat",
            "Mandats",
        ],
    )
    for year, figures in result.years:
        _row(
            sheet,
            [year, figures.total, figures.on_contract, figures.off_contract, _share(figures), figures.lines],
        )


def map_workbook(result: SpendMap) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    if result.year is not None:
        _grid(workbook, result, "total")
        _suppliers(workbook, result)
        _grid(workbook, result, "off_contract")
        _splitting(workbook, result)
    _years(workbook, result)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
