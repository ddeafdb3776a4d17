"""Reading a data file row by row in flat memory: a CSV, or a .zip holding one CSV (the INSEE stock
files are published so), streamed from the zip member without extracting it.

INSEE files use "," and UTF-8; a spreadsheet export may use ";" and a BOM: both are accepted, the
separator read from the header line. A missing required column refuses the file (FileRefused, naming
it); a row of the wrong width is a RowError, reported by the caller with its line number.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# INSEE fields are short; a longer one is a broken quote swallowing lines, not data.
csv.field_size_limit(1024 * 1024)
HEADER_MAX = 64 * 1024


class FileRefused(Exception):
    """The whole file is refused: nothing of it is written."""


class RowError(Exception):
    """One row is rejected and reported; `field` names its column."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field, self.reason = field, reason


@contextmanager
def text_stream(path: Path) -> Iterator[io.TextIOBase]:
    """The CSV's text, decoded as it is read (utf-8-sig drops a BOM when there is one)."""
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as error:
            raise FileRefused("L'archive .zip est illisible.") from error
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1 or not members[0].filename.lower().endswith(".csv"):
                raise FileRefused("L'archive .zip doit contenir un seul fichier CSV.")
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    if path.suffix.lower() not in (".csv", ".txt"):
        raise FileRefused(f"Format « {path.suffix or 'inconnu'} » non pris en charge : .csv ou .zip.")
    with path.open("rb") as raw:
        yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


class DataFile:
    """`columns` (name → position) once the header is read, then `rows()`: (line, values, error)."""

    def __init__(self, path, required: tuple[str, ...], aliases: dict[str, str] | None = None):
        self.path = Path(path)
        self.required = required
        self.aliases = aliases or {}
        self.columns: dict[str, int] = {}

    def rows(self) -> Iterator[tuple[int, list[str], RowError | None]]:
        try:
            with text_stream(self.path) as text:
                first = text.readline(HEADER_MAX)  # bounded: a file without line breaks is not read whole
                if not first.strip():
                    raise FileRefused("Le fichier est vide : la première ligne doit porter les colonnes.")
                if not first.endswith(("\n", "\r")):
                    raise FileRefused("La première ligne (les colonnes) est illisible ou sans fin de ligne.")
                delimiter = ";" if first.count(";") > first.count(",") else ","
                header = next(csv.reader([first], delimiter=delimiter))
                self.columns = self._columns(header)
                width = len(header)
                for line, row in enumerate(csv.reader(text, delimiter=delimiter, strict=True), start=2):
                    if len(row) == width:
                        yield line, row, None
                    elif row:
                        reason = f"{len(row)} valeurs pour {width} colonnes : ligne mal formée, ignorée."
                        yield line, row, RowError("(ligne entière)", reason)
        except UnicodeDecodeError as error:
            raise FileRefused("Encodage non reconnu : les fichiers SIRENE sont en UTF-8.") from error
        except (csv.Error, zipfile.BadZipFile, EOFError) as error:
            raise FileRefused(f"Fichier tronqué ou mal formé ({error}) : rien n'en a été importé.") from error

    def _columns(self, header: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, title in enumerate(header):
            name = title.strip()
            name = self.aliases.get(name.lower(), name)
            found.setdefault(name, index)
        missing = [c for c in self.required if c not in found]
        if missing:
            listed = ", ".join(f"« {c} »" for c in missing)
            raise FileRefused(f"Colonne(s) obligatoire(s) absente(s) : {listed}.")
        return found
