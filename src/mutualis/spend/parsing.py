"""Reading an entity's finance export (one row per payment order), row by row, memory flat.

Headers are matched without regard to case, accents, spaces, hyphens or underscores. A CSV is streamed
from disk (`;` or `,` from the header line; UTF-8 with or without BOM, else Windows-1252); an XLSX goes
through the project's bounded reader (zip sizes and row cap checked before any cell is read).
A file that cannot be read to its end (cut inside a quoted field, broken zip, a row without all its
columns) raises SpendFileError: the caller writes nothing of it. A bad value raises RowError: that row
alone is skipped and reported.

Values: amounts may be negative (a cancellation mandate reduces the spend); an empty SIRET is accepted
(individuals, foreign suppliers: the line is then matched by its account only).
"""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError

from mutualis.core.import_files import ImportFileError, xlsx_rows
from mutualis.core.validators import validate_siren, validate_siret

# Above Excel's own sheet limit nothing is lost; the zip checks bound the work before that.
XLSX_MAX_ROWS = 1_048_576
CHUNK = 1024 * 1024


class SpendFileError(Exception):
    """The whole file is refused: nothing of it is written."""


class RowError(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def normalise_header(text) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s_\-'’.°]+", "", plain.replace("n°", "numero"))


# Column (as documented) → accepted spellings, normalised.
COLUMNS = {
    "exercice": ("exercice", "annee"),
    "numero_mandat": ("numeromandat", "nmandat", "mandat", "numerodemandat"),
    "date": ("date", "datemandat", "datepaiement"),
    "siret_fournisseur": ("siretfournisseur", "siret"),
    "siren": ("siren", "sirenfournisseur"),
    "fournisseur": ("fournisseur", "nomfournisseur", "raisonsociale"),
    "montant_ht": ("montantht",),
    "montant_ttc": ("montantttc",),
    "compte": ("compte", "comptebudgetaire", "imputation"),
    "numero_marche": ("numeromarche", "nmarche", "marche", "numerodemarche"),
    "libelle": ("libelle", "objet"),
}
REQUIRED = ("exercice", "numero_mandat", "date", "fournisseur", "montant_ht", "compte", "libelle")
_LOOKUP = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


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


class SpendFile:
    """One file: `columns` (documented name → position) once the header is read, then `rows()`, a
    generator of (line number, raw values); `fraction` tells how far the reading has gone."""

    def __init__(self, path):
        self.path = Path(path)
        self.name = self.path.name
        self.fraction = 0.0
        self._handle = None

    def rows(self) -> Iterator[tuple[int, list]]:
        suffix = self.path.suffix.lower()
        if suffix == ".xlsx":
            source = self._xlsx()
        elif suffix in (".csv", ".txt"):
            source = self._csv()
        else:
            raise SpendFileError(f"Format « {suffix or 'inconnu'} » non pris en charge : .csv ou .xlsx.")
        try:
            header = next(source, None)
            if header is None:
                raise SpendFileError("Le fichier est vide.")
            self.columns = _columns(header)
            width = len(header)
            for line, row in enumerate(source, start=2):
                if not any(value not in (None, "") for value in row):
                    continue
                if len(row) < width:
                    if suffix == ".xlsx":  # a sheet row stops at its last filled cell
                        row = list(row) + [None] * (width - len(row))
                        yield line, row
                        continue
                    raise SpendFileError(
                        f"Ligne {line} : {len(row)} valeurs pour {width} colonnes ; fichier tronqué ou "
                        "mal formé, rien n'en a été importé."
                    )
                yield line, row
        except ImportFileError as error:
            raise SpendFileError(str(error)) from error
        except csv.Error as error:
            raise SpendFileError(
                f"Le fichier CSV s'arrête au milieu d'une valeur ou est mal formé ({error}) : "
                "fichier tronqué ? Rien n'en a été importé."
            ) from error
        finally:
            if self._handle is not None:
                self._handle.close()
        self.fraction = 1.0

    def _csv(self):
        encoding = _encoding(self.path)
        size = max(self.path.stat().st_size, 1)
        raw = self.path.open("rb")
        self._handle = raw
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first = text.readline()
        if not first.strip():
            raise SpendFileError(
                "Le fichier est vide : la première ligne doit porter les intitulés des colonnes."
            )
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        yield next(csv.reader([first], delimiter=delimiter, strict=True))
        for count, row in enumerate(csv.reader(text, delimiter=delimiter, strict=True)):
            if count % 4096 == 0:
                self.fraction = raw.tell() / size
            yield row

    def _xlsx(self):
        yield from xlsx_rows(self.path.read_bytes(), XLSX_MAX_ROWS)


def _encoding(path: Path) -> str:
    """UTF-8 (BOM or not) when the whole file decodes so, else Windows-1252; checked at C speed."""
    with path.open("rb") as handle:
        head = handle.read(3)
        if head == codecs.BOM_UTF8:
            return "utf-8-sig"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(CHUNK):
                if b"\x00" in block:
                    raise SpendFileError("Encodage non reconnu (UTF-16 ou fichier binaire) : UTF-8 attendu.")
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _columns(header: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        column = _LOOKUP.get(normalise_header(title))
        if column and column not in found:
            found[column] = index
    missing = [c for c in REQUIRED if c not in found]
    if "siret_fournisseur" not in found and "siren" not in found:
        missing.append("siret_fournisseur (ou siren)")
    if missing:
        seen = ", ".join(f"« {str(t).strip()} »" for t in header if str(t or "").strip()) or "aucune"
        raise SpendFileError(
            f"Colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}. Colonnes trouvées : {seen}."
        )
    return found


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
