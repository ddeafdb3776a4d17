"""Reading an entity's finance export (one row per payment order), row by row, memory flat.

Headers are matched without regard to case, accents, spaces, hyphens or underscores. A CSV is streamed
from disk (`;` or `,` from the header line; UTF-8 with or without BOM, else Windows-1252); an XLSX goes
through the project's bounded reader (zip sizes and row cap checked before any cell is read).
A file that cannot be read to its end (cut inside a quoted field, broken zip, a row without all its
columns) raises SpendFileError: the caller writes nothing of it. A bad value raises RowError: that row
alone is skipped and reported (rows.py).
"""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from mutualis.core.import_files import ImportFileError, xlsx_rows

# Above Excel's own sheet limit nothing is lost; the zip checks bound the work before that.
XLSX_MAX_ROWS = 1_048_576
CHUNK = 1024 * 1024


class SpendFileError(Exception):
    """The whole file is refused: nothing of it is written."""


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
