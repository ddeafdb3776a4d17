"""The values of one payment order, checked: a bad one raises RowError naming its column.

Amounts may be negative (a cancellation mandate reduces the spend); an empty SIRET is accepted
(individuals, foreign suppliers: the line is then matched by its account only). Free texts longer than
their column (supplier name 200, label 300) are cut.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from mutualis.core.validators import validate_siren, validate_siret

from .parsing import COLUMNS


class RowError(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(slots=True)
class SpendRow:
    fiscal_year: int
    mandate_number: str
    paid_on: date
    supplier_siret: str
    supplier_siren: str
    supplier_name: str
    amount_ht: Decimal
    amount_ttc: Decimal | None
    account: str
    contract_reference: str
    label: str

    def values(self) -> tuple:
        """What the file says about the mandate: compared with the stored row on a re-import."""
        return (
            self.paid_on,
            self.supplier_siret,
            self.supplier_siren,
            self.supplier_name,
            self.amount_ht,
            self.amount_ttc,
            self.account,
            self.contract_reference,
            self.label,
        )


FILE_FIELDS = (
    "paid_on",
    "supplier_siret",
    "supplier_siren",
    "supplier_name",
    "amount_ht",
    "amount_ttc",
    "account",
    "contract_reference",
    "label",
)


# --- values ----------------------------------------------------------------------------------------

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t'")
_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?$")
_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal("1e12")  # the column holds 12 digits before the decimal point


def _text(row: list, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in a spreadsheet cell: 6021.0 is the account 6021
    return str(value).strip()


def parse_amount(value, field: str) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(repr(value))
    else:
        text = str(value).translate(_SPACES)
        if "," in text and "." in text:  # 1.234,56 or 1,234.56: the last sign is the decimal one
            thousands = "." if text.rfind(",") > text.rfind(".") else ","
            text = text.replace(thousands, "")
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise RowError(field, f"« {value} » n'est pas un montant") from None
    if not amount.is_finite() or abs(amount) >= _MAX_AMOUNT:
        raise RowError(field, f"« {value} » n'est pas un montant")
    rounded = amount.quantize(_CENT)
    if rounded != amount:
        raise RowError(field, f"« {value} » : plus de deux décimales")
    return rounded


def parse_date(value, field: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    found = _DATE_FR.match(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        found = _DATE_ISO.match(text)
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise RowError(field, f"la date « {text} » n'existe pas") from None
    raise RowError(field, f"« {text} » n'est pas une date (jj/mm/aaaa ou aaaa-mm-jj)")


class RowParser:
    """Turns the raw values of a row into a SpendRow, or raises RowError naming the column."""

    def __init__(self, columns: dict[str, int]):
        self.c = columns
        self._sirets: dict[str, str] = {}  # a few thousand suppliers: each identifier is checked once

    def _checked(self, value: str, kind: str) -> str:
        key = kind + value
        if key not in self._sirets:
            number = re.sub(r"\s", "", value)
            try:
                (validate_siret if kind == "siret" else validate_siren)(number)
            except ValidationError as error:
                self._sirets[key] = "!" + error.messages[0]
            else:
                self._sirets[key] = number
        found = self._sirets[key]
        if found.startswith("!"):
            raise RowError("siret_fournisseur" if kind == "siret" else "siren", found[1:])
        return found

    def parse(self, row: list) -> SpendRow:
        c = self.c
        values = {name: _text(row, c.get(name)) for name in COLUMNS}
        for name in ("exercice", "numero_mandat", "date", "montant_ht", "compte"):
            if not values[name]:
                raise RowError(name, "valeur obligatoire absente")
        year = values["exercice"]
        if not (len(year) == 4 and year.isdigit()):
            raise RowError("exercice", f"« {year} » n'est pas une année")
        mandate = values["numero_mandat"]
        if len(mandate) > 40:
            raise RowError("numero_mandat", "plus de 40 caractères")
        account = values["compte"]
        if not account.isdigit() or len(account) > 20:
            raise RowError("compte", f"« {account} » : un compte s'écrit en chiffres (20 au plus)")
        reference = values["numero_marche"]
        if len(reference) > 40:
            raise RowError("numero_marche", "plus de 40 caractères")
        siret = self._checked(values["siret_fournisseur"], "siret") if values["siret_fournisseur"] else ""
        siren = self._checked(values["siren"], "siren") if values["siren"] else siret[:9]
        ttc_index = c.get("montant_ttc")
        ttc_raw = row[ttc_index] if ttc_index is not None and ttc_index < len(row) else None
        return SpendRow(
            fiscal_year=int(year),
            mandate_number=mandate,
            paid_on=parse_date(row[c["date"]]),
            supplier_siret=siret,
            supplier_siren=siren,
            supplier_name=values["fournisseur"][:200],
            amount_ht=parse_amount(row[c["montant_ht"]], "montant_ht"),
            amount_ttc=parse_amount(ttc_raw, "montant_ttc") if values["montant_ttc"] else None,
            account=account,
            contract_reference=reference,
            label=values["libelle"][:300],
        )
