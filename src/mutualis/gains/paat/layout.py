"""The PAAT workbook's layout: sheet names, the columns of an establishment's sheet, and how each
cell is read back (a CellError names what is wrong)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from openpyxl.styles import Font, PatternFill

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.spreadsheets import unescape_formula
from mutualis.organisations.models import Entity, User

from ..method import GainKind
from ..models import ActionStatus, BudgetKind, Lever, PlanOrigin

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


def cell_text(value) -> str:
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
        text = cell_text(value)
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
        text = re.sub(r"[\s\u00a0\u202f€]", "", cell_text(value)).replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"« {cell_text(value)} » n'est pas un nombre") from None
    if not number.is_finite():
        raise CellError("indiquez un nombre")
    if number < 0:
        raise CellError("un nombre positif ou nul est attendu")
    return number


def _whole(value, *, required: bool) -> int | None:
    if value is None or cell_text(value) == "":
        if required:
            raise CellError("indiquez un nombre entier")
        return None
    number = _decimal(value)
    if number != number.to_integral_value():
        raise CellError(f"« {cell_text(value)} » n'est pas un nombre entier")
    return int(number)


def _quarter(value) -> str:
    text = cell_text(value).upper().replace(" ", "")
    if not QUARTER.match(text):
        raise CellError("écrivez le trimestre sous la forme 2027-T1")
    return text


def _title(value) -> str:
    text = cell_text(value)
    if not text:
        raise CellError("indiquez l'objet de l'action")
    if len(text) > 300:
        raise CellError(f"300 caractères au plus ({len(text)} ici)")
    return text


def _family(value):
    text = cell_text(value)
    if not text:
        return None
    code = text.split(" — ")[0].strip()
    found = PurchaseFamily.objects.filter(code__iexact=code).first()
    if found is None:
        raise CellError(f"aucune famille d'achat n'a le code « {code} »")
    return found


def _owner(value):
    text = cell_text(value)
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
    Column("Description", 40, lambda a, _: a.description, "description", cell_text),
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
