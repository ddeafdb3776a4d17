"""The plan as a workbook laid out like the national PAAT template, and the same workbook read back.

The national « trame PAAT » has one tab per establishment and tells the territory's actions (PAAT)
from the establishments' own (PAA); its exact column list is not published openly, so this layout
is ours, faithful to the rubrics it is known to have (origin, family, object, lever, owner, quarter,
status, operating or investment budget, amortisation duration, expected gains by the PHARE method
split between N and N+1, realised gain).

- « Synthèse »: per establishment and budget, the number of actions and the gains; then the
  territory, where an action of several establishments counts once (a note row says so).
- One sheet per establishment (named after it, ≤ 31 characters, unique, without []:*?/\\): a title
  row, the header row, then one row per action concerning it. An action of several establishments
  is on each one's sheet.

Reading it back (`import_workbook`) checks every sheet and row first and writes all or nothing:
rows are matched to actions by the « Identifiant Mutualis » column, new rows create actions, and the
same action on several sheets is one action concerning those establishments.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.import_files import ImportFileError, read_workbook
from mutualis.core.locking import EditConflict
from mutualis.core.spreadsheets import escape_formula, unescape_formula
from mutualis.organisations.models import Entity, User

from .method import GainKind
from .models import ActionStatus, BudgetKind, Lever, PlanAction, PlanOrigin
from .plan_totals import summarise
from .services import plan_action_save

SUMMARY = "Synthèse"
# Excel refuses these characters in a sheet name, and a name of more than 31 characters.
FORBIDDEN_IN_NAME = re.compile(r"[\[\]:*?/\\]")
MAX_NAME = 31
RESERVED_NAMES = {SUMMARY.casefold(), "history"}  # "History" is reserved by Excel
# Rows of one workbook, titles and headers included: a territory's plan is a few hundred actions.
MAX_ROWS = 5_000
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
COMPUTED_FILL = PatternFill("solid", fgColor="E7E6E6")
TITLE_FONT = Font(bold=True, size=13)
MONEY_FORMAT = "#,##0.00"
UNIT_FORMAT = "#,##0.00##"

ORIGIN_WORDS = {PlanOrigin.TERRITORY: "PAAT", PlanOrigin.ESTABLISHMENT: "PAA"}
BUDGET_WORDS = {BudgetKind.OPERATING: "Fonctionnement", BudgetKind.INVESTMENT: "Investissement"}
QUARTER = re.compile(r"^\d{4}-T[1-4]$")


def sheet_names(entities) -> dict[int, str]:
    """A sheet name per establishment: its short name, cleaned, cut to 31 characters, made unique.

    Computed over all establishments in the order of their ids, so that the export and the import
    agree whatever establishments a workbook holds."""
    names, taken = {}, set(RESERVED_NAMES)
    for entity in entities:
        base = " ".join(FORBIDDEN_IN_NAME.sub(" ", str(entity)).split()).strip("'").strip()
        base = base or f"Établissement {entity.pk}"
        name, number = base[:MAX_NAME].rstrip(), 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name, number = base[: MAX_NAME - len(suffix)].rstrip() + suffix, number + 1
        taken.add(name.casefold())
        names[entity.pk] = name
    return names


def all_sheet_names() -> dict[int, str]:
    return sheet_names(Entity.objects.order_by("pk"))


# ---------------------------------------------------------------------------------------------------
# The columns of an establishment's sheet


class CellError(ValueError):
    """A cell that cannot be read; the message completes « colonne « … » : »."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(unescape_formula(value) if isinstance(value, str) else value).strip()


def _choice(words: dict, choices, extra: dict | None = None) -> Callable:
    """A reader of an enumeration by its word in the file, its label or its code (any case)."""
    accepted = {}
    for value, label in choices:
        accepted[str(value).casefold()] = value
        accepted[str(label).casefold()] = value
    for value, word in words.items():
        accepted[word.casefold()] = value
    accepted.update(extra or {})
    shown = ", ".join(words.values()) if words else ", ".join(str(label) for _, label in choices)

    def read(value):
        text = _text(value)
        if not text:
            raise CellError(f"indiquez une valeur parmi : {shown}")
        found = accepted.get(text.casefold())
        if found is None:
            raise CellError(f"« {text} » n'est pas une valeur admise ({shown})")
        return found

    return read


def _decimal(value) -> Decimal:
    if value is None or value == "":
        raise CellError("indiquez un nombre")
    if isinstance(value, bool):
        raise CellError("indiquez un nombre")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the shortest text of the float: 12.3, not 12.300000000000000710
    else:
        text = re.sub(r"[\s\u00a0\u202f€]", "", _text(value)).replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"« {_text(value)} » n'est pas un nombre") from None
    if not number.is_finite():
        raise CellError("indiquez un nombre")
    if number < 0:
        raise CellError("un nombre positif ou nul est attendu")
    return number


def _whole(value, *, required: bool) -> int | None:
    if value is None or _text(value) == "":
        if required:
            raise CellError("indiquez un nombre entier")
        return None
    number = _decimal(value)
    if number != number.to_integral_value():
        raise CellError(f"« {_text(value)} » n'est pas un nombre entier")
    return int(number)


def _quarter(value) -> str:
    text = _text(value).upper().replace(" ", "")
    if not QUARTER.match(text):
        raise CellError("écrivez le trimestre sous la forme 2027-T1")
    return text


def _title(value) -> str:
    text = _text(value)
    if not text:
        raise CellError("indiquez l'objet de l'action")
    if len(text) > 300:
        raise CellError(f"300 caractères au plus ({len(text)} ici)")
    return text


def _family(value):
    text = _text(value)
    if not text:
        return None
    code = text.split(" — ")[0].strip()
    found = PurchaseFamily.objects.filter(code__iexact=code).first()
    if found is None:
        raise CellError(f"aucune famille d'achat n'a le code « {code} »")
    return found


def _owner(value):
    text = _text(value)
    if not text:
        return None
    matches = list(User.objects.filter(Q(email__iexact=text) | Q(username__iexact=text))[:2])
    if not matches:
        matches = [user for user in User.objects.filter(is_active=True) if user.get_full_name() == text][:2]
    if not matches:
        raise CellError(f"personne ne s'appelle « {text} » (écrivez son nom, son adresse ou son identifiant)")
    if len(matches) > 1:
        raise CellError(f"plusieurs personnes s'appellent « {text} » : écrivez son adresse électronique")
    return matches[0]


def _optional_id(value) -> int | None:
    return _whole(value, required=False)


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    value: Callable  # action, context -> the cell's value
    attribute: str = ""  # the field it is read into; empty: shown only (computed or informative)
    read: Callable | None = None
    money: bool = False
    unit: bool = False


def _family_cell(action, _):
    return str(action.family) if action.family_id else ""


def _owner_cell(action, _):
    return action.owner.get_full_name() or action.owner.username if action.owner_id else ""


COLUMNS = [
    Column("N°", 6, lambda action, context: context["number"]),
    Column(
        "Origine (PAAT/PAA)",
        12,
        lambda a, _: ORIGIN_WORDS[a.origin],
        "origin",
        _choice(ORIGIN_WORDS, PlanOrigin.choices),
    ),
    Column("Famille d'achat", 30, _family_cell, "family", _family),
    Column("Objet de l'action", 45, lambda a, _: a.title, "title", _title),
    Column("Description", 40, lambda a, _: a.description, "description", _text),
    Column("Levier", 18, lambda a, _: a.get_lever_display(), "lever", _choice({}, Lever.choices)),
    Column("Pilote", 22, _owner_cell, "owner", _owner),
    Column("Trimestre prévu", 12, lambda a, _: a.planned_quarter, "planned_quarter", _quarter),
    Column("Statut", 14, lambda a, _: a.get_status_display(), "status", _choice({}, ActionStatus.choices)),
    Column(
        "Fonctionnement / Investissement",
        18,
        lambda a, _: BUDGET_WORDS[a.budget],
        "budget",
        _choice(BUDGET_WORDS, BudgetKind.choices, {"exploitation": BudgetKind.OPERATING}),
    ),
    Column(
        "Nature du gain",
        22,
        lambda a, _: a.get_kind_display(),
        "kind",
        _choice({}, GainKind.choices, {"récurrent": GainKind.RECURRING}),
    ),
    Column(
        "Durée d'amortissement (ans)",
        14,
        lambda a, _: a.amortisation_years,
        "amortisation_years",
        lambda v: _whole(v, required=False),
    ),
    Column(
        "Prix unitaire de référence HT (€)",
        16,
        lambda a, _: a.reference_unit_price,
        "reference_unit_price",
        _decimal,
        unit=True,
    ),
    Column(
        "Prix unitaire visé HT (€)", 16, lambda a, _: a.new_unit_price, "new_unit_price", _decimal, unit=True
    ),
    Column("Quantité", 12, lambda a, _: a.quantity, "quantity", _decimal, unit=True),
    Column("Gain annuel attendu (€)", 16, lambda a, _: a.expected_annual_gain, money=True),
    Column("Gain attendu N (€)", 16, lambda a, _: a.expected_gain_year_n, money=True),
    Column("Gain attendu N+1 (€)", 16, lambda a, _: a.expected_gain_year_n1, money=True),
    Column("Gain réalisé (€)", 16, lambda a, _: a.realised, money=True),
    Column(
        "Projets liés",
        30,
        lambda a, _: " ; ".join(f"{p.reference} {p.object}" for p in a.projects.all()),
    ),
    Column("Année du plan", 10, lambda a, _: a.year, "year", lambda v: _whole(v, required=True)),
    Column("Identifiant Mutualis", 12, lambda a, _: a.pk, "pk", _optional_id),
]
HEADERS = [column.header for column in COLUMNS]
INPUTS = [column for column in COLUMNS if column.read is not None]
REQUIRED_HEADERS = {column.header for column in INPUTS}
# Compared to decide whether a row changes its action (the identifier and entities apart).
COMPARED = [column.attribute for column in INPUTS if column.attribute != "pk"]


# ---------------------------------------------------------------------------------------------------
# Export


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
    sheet.title = SUMMARY
    _append(
        sheet,
        [f"Plan d'actions achats de territoire {year}" + (f" — {territory_name}" if territory_name else "")],
    )
    sheet["A1"].font = TITLE_FONT
    _append(
        sheet,
        [
            "Une action qui concerne plusieurs établissements figure sur la feuille de chacun et dans les "
            "lignes de chacun ci-dessous ; le total du territoire la compte une seule fois."
        ],
    )
    _append(
        sheet,
        [
            "Mise en page inspirée de la trame nationale PAAT (une feuille par établissement, actions PAAT "
            "et PAA) ; la liste exacte de ses colonnes n'étant pas publiée, celle-ci en reprend les "
            "rubriques. "
            "Gains attendus calculés selon la méthode PHARE (SR − SN, base 12 mois répartie entre N et N+1)."
        ],
    )
    sheet.append([])
    header_row = 5
    _append(sheet, SUMMARY_HEADERS)
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


# ---------------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class WorkbookError:
    sheet: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Feuille « {self.sheet} »"
        if self.line is not None:
            where += f", ligne {self.line}"
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message}"


@dataclass
class WorkbookReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sheets: int = 0
    errors: list[WorkbookError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.accepted and not self.dry_run


@dataclass
class _Row:
    sheet: str
    line: int
    entity: Entity
    values: dict


@dataclass
class _Group:
    """The rows of one action across the sheets."""

    first: _Row
    rows: list


def _header_line(sheet) -> tuple[int, dict] | None:
    """The header row (the first one naming the action's object) and its columns' positions."""
    for line, row in sheet.rows[:10]:
        texts = [_text(value) for value in row]
        if "Objet de l'action" in texts:
            return line, {text: index for index, text in enumerate(texts) if text}
    return None


def _read_sheet(sheet, entity, report) -> list[_Row]:
    found = _header_line(sheet)
    if found is None:
        report.errors.append(
            WorkbookError(
                sheet.title, None, "", "ligne d'en-tête introuvable (colonne « Objet de l'action »)."
            )
        )
        return []
    header_line, positions = found
    missing = [header for header in HEADERS if header in REQUIRED_HEADERS and header not in positions]
    if missing:
        report.errors.append(
            WorkbookError(
                sheet.title,
                header_line,
                "",
                "colonne(s) absente(s) : " + ", ".join(f"« {name} »" for name in missing) + ".",
            )
        )
        return []
    rows = []
    for line, cells in sheet.rows:
        if line <= header_line:
            continue
        values, ok = {}, True
        for column in INPUTS:
            index = positions[column.header]
            raw = cells[index] if index < len(cells) else None
            try:
                values[column.attribute] = column.read(raw)
            except CellError as error:
                report.errors.append(WorkbookError(sheet.title, line, column.header, f"{error}."))
                ok = False
        report.rows += 1
        if ok:
            rows.append(_Row(sheet.title, line, entity, values))
    return rows


def _key(row: _Row):
    """What makes rows one action: its identifier; for a new row, the same PAAT object and year on
    several sheets (a shared territory action), while a new PAA belongs to its sheet's establishment."""
    if row.values["pk"] is not None:
        return ("id", row.values["pk"])
    values = row.values
    own = row.entity.pk if values["origin"] == PlanOrigin.ESTABLISHMENT else None
    return ("new", values["origin"], values["title"].casefold(), values["year"], own)


def _group(rows, report) -> list[_Group]:
    groups: dict = {}
    for row in rows:
        group = groups.get(_key(row))
        if group is None:
            groups[_key(row)] = _Group(row, [row])
            continue
        twin = next((other for other in group.rows if other.sheet == row.sheet), None)
        if twin is not None:
            report.errors.append(
                WorkbookError(
                    row.sheet, row.line, "", f"cette action figure déjà ligne {twin.line} de la feuille."
                )
            )
            continue
        first = group.first
        for column in INPUTS:
            if row.values[column.attribute] != first.values[column.attribute]:
                report.errors.append(
                    WorkbookError(
                        row.sheet,
                        row.line,
                        column.header,
                        f"la même action porte une autre valeur feuille « {first.sheet} », "
                        f"ligne {first.line} (une action commune à plusieurs établissements a les mêmes "
                        "valeurs sur chaque feuille).",
                    )
                )
                break
        group.rows.append(row)
    return list(groups.values())


def _columns_by_field() -> dict[str, str]:
    names = {column.attribute: column.header for column in INPUTS}
    names["entities"] = "(établissements)"
    return names


def import_workbook(*, actor, name: str, content: bytes, dry_run: bool = False) -> WorkbookReport:
    """Check every sheet and row of an edited PAAT workbook; write all of it, or nothing."""
    report = WorkbookReport(dry_run=dry_run)
    sheets = read_workbook(name, content, MAX_ROWS)
    by_name = {sheet_name.casefold(): pk for pk, sheet_name in all_sheet_names().items()}
    entities = Entity.objects.in_bulk(by_name.values())
    rows, seen_entities = [], set()
    for sheet in sheets:
        if sheet.title.casefold() == SUMMARY.casefold():
            continue  # computed: rebuilt on the next export
        pk = by_name.get(sheet.title.strip().casefold())
        if pk is None:
            report.errors.append(
                WorkbookError(
                    sheet.title,
                    None,
                    "",
                    "aucun établissement ne correspond à ce nom de feuille ; "
                    "gardez les noms du classeur exporté.",
                )
            )
            continue
        report.sheets += 1
        seen_entities.add(pk)
        rows.extend(_read_sheet(sheet, entities[pk], report))
    if report.sheets == 0 and not report.errors:
        raise ImportFileError("Le classeur n'a aucune feuille d'établissement : partez du classeur exporté.")
    groups = _group(rows, report)
    existing = PlanAction.objects.select_related("family", "owner").in_bulk(
        [g.first.values["pk"] for g in groups if g.first.values["pk"]]
    )
    existing_entities = {
        pk: set(action.entities.values_list("pk", flat=True)) for pk, action in existing.items()
    }
    for group in groups:
        pk = group.first.values["pk"]
        if pk is not None and pk not in existing:
            report.errors.append(
                WorkbookError(
                    group.first.sheet,
                    group.first.line,
                    "Identifiant Mutualis",
                    f"aucune action n'a l'identifiant {pk} ; videz la cellule pour créer une action.",
                )
            )
    order = {sheet.title: index for index, sheet in enumerate(sheets)}
    if report.errors:
        return _sorted(report, order)
    columns = _columns_by_field()
    with transaction.atomic():
        for group in groups:
            _write(actor, group, existing, existing_entities, seen_entities, report, columns)
        if report.errors or dry_run:
            transaction.set_rollback(True)  # nothing is written unless every action was accepted
    return _sorted(report, order)


def _write(actor, group, existing, existing_entities, seen_entities, report, columns) -> None:
    values = group.first.values
    sheets_entities = {row.entity.pk for row in group.rows}
    pk = values["pk"]
    if pk is not None:
        action = existing[pk]
        # Sheets missing from the workbook keep their establishments; a sheet present decides.
        wanted = (existing_entities[pk] - seen_entities) | sheets_entities
        if (
            all(getattr(action, name) == values[name] for name in COMPARED)
            and wanted == existing_entities[pk]
        ):
            report.unchanged += 1
            return
    else:
        action = PlanAction()
        wanted = sheets_entities
    for name in COMPARED:
        setattr(action, name, values[name])
    projects = list(action.projects.all()) if action.pk else []
    try:
        with transaction.atomic():
            plan_action_save(actor=actor, action=action, entities=sorted(wanted), projects=projects)
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, texts in messages.items():
            column = columns.get(name, "")
            for text in texts:
                report.errors.append(WorkbookError(group.first.sheet, group.first.line, column, text))
        return
    except EditConflict:
        report.errors.append(
            WorkbookError(
                group.first.sheet, group.first.line, "", "l'action a été modifiée pendant l'import."
            )
        )
        return
    if pk is None:
        report.created += 1
    else:
        report.updated += 1


def _sorted(report: WorkbookReport, order: dict) -> WorkbookReport:
    report.errors.sort(key=lambda e: (order.get(e.sheet, 0), e.line or 0, e.column))
    return report


__all__ = [
    "COLUMNS",
    "HEADERS",
    "SUMMARY",
    "WorkbookError",
    "WorkbookReport",
    "build_workbook",
    "import_workbook",
    "sheet_names",
]
