"""The plan written as a PAAT workbook: the summary sheet and one sheet per establishment."""

import io

import openpyxl
from django.db.models import Q
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mutualis.core.spreadsheets import escape_formula
from mutualis.organisations.models import Entity
from mutualis.organisations.vocabulary import current_words

from ..models import ActionStatus, PlanAction
from ..plan_totals import summarise
from .layout import (
    BUDGET_WORDS,
    COLUMNS,
    COMPUTED_FILL,
    HEADER_FILL,
    HEADER_FONT,
    HEADERS,
    MONEY_FORMAT,
    ORIGIN_WORDS,
    SUMMARY,
    TITLE_FONT,
    UNIT_FORMAT,
    all_sheet_names,
)


def _style_header(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet, widths) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _append(sheet, values) -> None:
    sheet.append([escape_formula(value) for value in values])


def export_entities(user, year: int):
    """The establishments of the workbook: active ones in the user's scope, and any with actions."""
    scope = Entity.objects.for_user(user)
    with_actions = PlanAction.objects.for_user(user).of_year(year).values("entities")
    return scope.filter(Q(is_active=True) | Q(pk__in=with_actions)).order_by("name")


def build_workbook(*, user, year: int, territory_name: str = "") -> bytes:
    """The year's plan as the user may see it, laid out like the PAAT template."""
    entities = list(export_entities(user, year))
    names = all_sheet_names()
    actions = PlanAction.objects.for_user(user).of_year(year).select_related("family", "owner")
    summary = summarise(actions.prefetch_related("projects"), entities)
    workbook = openpyxl.Workbook()
    _summary_sheet(workbook.active, summary, names, year, territory_name)
    by_entity: dict[int, list] = {entity.pk: [] for entity in entities}
    for action in summary.actions:
        for entity in action.entities.all():
            if entity.pk in by_entity:
                by_entity[entity.pk].append(action)
    for entity in entities:
        _entity_sheet(workbook.create_sheet(names[entity.pk]), entity, by_entity[entity.pk], year)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SUMMARY_HEADERS = [
    "Établissement",
    "Feuille",
    "Budget",
    "Nombre d'actions",
    "Gain annuel attendu (€)",
    "Gain attendu N (€)",
    "Gain attendu N+1 (€)",
    "Gain réalisé (€)",
]


def _summary_sheet(sheet, summary, names, year, territory_name) -> None:
    words = current_words()
    sheet.title = SUMMARY
    _append(
        sheet,
        [f"Plan d'actions achats de territoire {year}" + (f" — {territory_name}" if territory_name else "")],
    )
    sheet["A1"].font = TITLE_FONT
    _append(
        sheet,
        [
            f"Une action qui concerne plusieurs {words.many} figure sur la feuille de {words.each} et dans "
            f"les lignes de {words.each} ci-dessous ; le total du territoire la compte une seule fois."
        ],
    )
    _append(
        sheet,
        [
            f"Mise en page inspirée de la trame nationale PAAT (une feuille par {words.one}, actions PAAT "
            "et PAA) ; la liste exacte de ses colonnes n'étant pas publiée, celle-ci en reprend les "
            "rubriques. "
            "Gains attendus calculés selon la méthode PHARE (SR − SN, base 12 mois répartie entre N et N+1)."
        ],
    )
    sheet.append([])
    header_row = 5
    _append(sheet, [words.one_cap, *SUMMARY_HEADERS[1:]])  # SUMMARY_HEADERS: a GHT's words
    _style_header(sheet, header_row)
    for entity, breakdown in summary.by_entity:
        for label, totals in breakdown.budget_rows():
            _summary_row(sheet, str(entity), names[entity.pk], label, totals, bold=label == "Total")
    for label, totals in summary.territory.budget_rows():
        _summary_row(sheet, "Total du territoire (chaque action une fois)", "", label, totals, bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _widths(sheet, [40, 24, 16, 12, 18, 18, 18, 18])


def _summary_row(sheet, name, sheet_name, label, totals, *, bold) -> None:
    _append(
        sheet,
        [
            name,
            sheet_name,
            label,
            totals.count,
            totals.annual,
            totals.year_n,
            totals.year_n1,
            totals.realised,
        ],
    )
    row = sheet.max_row
    for column in range(5, 9):
        sheet.cell(row=row, column=column).number_format = MONEY_FORMAT
    if bold:
        for cell in sheet[row]:
            cell.font = Font(bold=True)


def _entity_sheet(sheet, entity, actions, year) -> None:
    identity = f"SIRET {entity.siret}" + (f", FINESS {entity.finess}" if entity.finess else "")
    _append(sheet, [f"Plan d'actions achats {year} — {entity.name} ({identity})"])
    sheet["A1"].font = TITLE_FONT
    _append(sheet, HEADERS)
    _style_header(sheet, 2)
    for number, action in enumerate(actions, start=1):
        context = {"number": number}
        _append(sheet, [column.value(action, context) for column in COLUMNS])
        row = sheet.max_row
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row, column=index)
            if column.money:
                cell.number_format = MONEY_FORMAT
            elif column.unit:
                cell.number_format = UNIT_FORMAT
            if column.read is None and column.header != "N°":
                cell.fill = COMPUTED_FILL  # computed or shown only: ignored when the file comes back
    sheet.freeze_panes = "B3"
    _widths(sheet, [column.width for column in COLUMNS])
    _choice_lists(sheet, len(actions))


# Drop-down lists on the enumerations whose words hold no comma (a list formula splits on commas);
# the import accepts the same words, and says which when a cell holds another.
LISTS = {
    "Origine (PAAT/PAA)": list(ORIGIN_WORDS.values()),
    "Statut": [label for _, label in ActionStatus.choices],
    "Fonctionnement / Investissement": list(BUDGET_WORDS.values()),
}
ROWS_TO_ADD = 200  # room under the actions for new ones


def _choice_lists(sheet, count: int) -> None:
    last = 2 + count + ROWS_TO_ADD
    for header, words in LISTS.items():
        letter = get_column_letter(HEADERS.index(header) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(words) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error="Choisissez une valeur de la liste : " + ", ".join(words) + ".",
        )
        validation.add(f"{letter}3:{letter}{last}")
        sheet.add_data_validation(validation)
