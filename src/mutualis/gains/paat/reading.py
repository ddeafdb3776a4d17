"""A PAAT workbook read back: every sheet and row checked first, then all written or nothing."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from mutualis.core.import_files import ImportFileError, read_workbook
from mutualis.core.locking import EditConflict
from mutualis.organisations.models import Entity
from mutualis.organisations.vocabulary import current_words

from ..models import PlanAction, PlanOrigin
from ..services import plan_action_save
from .layout import (
    COMPARED,
    HEADERS,
    INPUTS,
    MAX_ROWS,
    REQUIRED_HEADERS,
    SUMMARY,
    CellError,
    all_sheet_names,
    cell_text,
)


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
        texts = [cell_text(value) for value in row]
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
                        f"ligne {first.line} (une action commune à plusieurs {current_words().many} a "
                        "les mêmes valeurs sur chaque feuille).",
                    )
                )
                break
        group.rows.append(row)
    return list(groups.values())


def _columns_by_field() -> dict[str, str]:
    names = {column.attribute: column.header for column in INPUTS}
    names["entities"] = f"({current_words().many})"
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
                    f"{current_words().no_one} ne correspond à ce nom de feuille ; "
                    "gardez les noms du classeur exporté.",
                )
            )
            continue
        report.sheets += 1
        seen_entities.add(pk)
        rows.extend(_read_sheet(sheet, entities[pk], report))
    if report.sheets == 0 and not report.errors:
        raise ImportFileError(
            f"Le classeur n'a aucune feuille {current_words().of_one} : partez du classeur exporté."
        )
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
