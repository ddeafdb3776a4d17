"""Reading an uploaded import file within bounds: a file that would cost too much is refused before
any row is processed.

An xlsx is a zip: the sizes its members declare are checked first (zipfile never inflates a member
beyond its declared size, so they bound the work), then the row count the sheet declares in its
`<dimension>`, then the rows are streamed (openpyxl read-only) and counted, stopping at the cap. A
CSV is bounded by its byte size and streamed through csv.reader, stopping at the cap too.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

ACCEPTED_EXTENSIONS = {".xlsx", ".csv"}


class ImportFileError(Exception):
    """The file itself cannot be read (wrong type, encoding, empty, too large, missing columns)."""


# Below this size a member's compression ratio says nothing (styles, small sheets compress well).
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_COLUMNS = 200  # the widest import (contracts) has 36 columns


def read_rows(name: str, content: bytes, max_rows: int) -> tuple[list, list[list]]:
    """The header and the data rows of the file (trailing empty rows dropped), or ImportFileError."""
    extension = _checked_extension(name, content)
    rows = _xlsx_rows(content, max_rows) if extension == ".xlsx" else _csv_rows(content)
    return _bounded(rows, max_rows)


def row_count(name: str, content: bytes, max_rows: int) -> int:
    """The file's rows under the header, empty ones included, counted without reading a cell (a
    fraction of a second): the page decides from it whether the import runs in the background.
    Refuses the file as read_rows would when it is too large."""
    extension = _checked_extension(name, content)
    if extension == ".csv":
        count = -1
        for count, _ in enumerate(_csv_rows(content)):
            if count > max_rows:
                raise too_many_rows(f"plus de {_number(max_rows)}", max_rows)
        return max(count, 0)
    _check_archive(content)
    try:
        workbook, sheet_path = _open_workbook(content)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(f"Le fichier n'a pas pu être lu ({error.__class__.__name__}).") from error
    try:
        return _sheet_rows(workbook._archive, sheet_path, max_rows)
    finally:
        workbook._archive.close()


def _checked_extension(name: str, content: bytes) -> str:
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise ImportFileError(
            f"Format « {extension or 'inconnu'} » non pris en charge : déposez un fichier .xlsx ou .csv."
        )
    limit = settings.MUTUALIS_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ImportFileError(
            f"Le fichier dépasse {_megabytes(limit)} Mo : découpez-le en plusieurs fichiers."
        )
    return extension


def _bounded(rows, max_rows: int) -> tuple[list, list[list]]:
    """Header and data rows, refusing the file as soon as it extends beyond `max_rows` data rows."""
    header = None
    data, pending_empty = [], []
    for row in rows:
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        if header is None:
            header = row
            if len(header) > MAX_COLUMNS:
                raise ImportFileError(
                    f"La ligne d'en-tête compte {len(header)} colonnes ; "
                    f"un import en accepte {MAX_COLUMNS} au plus."
                )
            continue
        line = len(data) + len(pending_empty) + 2  # header is line 1
        if line - 1 > max_rows:
            raise too_many_rows(f"plus de {_number(max_rows)}", max_rows)
        if len(row) > len(header):
            raise ImportFileError(
                f"Ligne {line} : une valeur est écrite en colonne {len(row)}, hors des "
                f"{len(header)} colonnes de l'en-tête."
            )
        if not any(value not in (None, "") for value in row):
            pending_empty.append(row)  # Excel keeps trailing empty rows: dropped, unless data follows
            continue
        data.extend(pending_empty)
        pending_empty = []
        data.append(row)
    if not header or not data:
        raise ImportFileError("Le fichier ne contient aucune ligne de données sous la ligne d'en-tête.")
    width = len(header)
    return header, [row + [None] * (width - len(row)) for row in data]


def too_many_rows(count: str, max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"Le fichier compte {count} lignes sous l'en-tête ; cet import en accepte {_number(max_rows)} "
        "au plus. Découpez-le en plusieurs fichiers (aucune ligne n'a été traitée)."
    )


def xlsx_rows(content: bytes, max_rows: int):
    """Every row of the workbook's active sheet, streamed, after the zip and row-count checks: for an
    import that reads its own layout (spend lines) rather than a resource's."""
    return _xlsx_rows(content, max_rows)


def _xlsx_rows(content: bytes, max_rows: int):
    _check_archive(content)
    try:
        workbook, sheet_path = _open_workbook(content)
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged workbook
        raise ImportFileError(f"Le fichier n'a pas pu être lu ({error.__class__.__name__}).") from error
    try:
        _sheet_rows(workbook._archive, sheet_path, max_rows)
        sheet = _StreamedSheet(workbook, "import", sheet_path, workbook._shared_strings)
        yield from sheet.iter_rows(values_only=True)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(f"Le fichier n'a pas pu être lu ({error.__class__.__name__}).") from error
    finally:
        workbook._archive.close()


def _sheet_rows(archive: zipfile.ZipFile, sheet_path: str, max_rows: int) -> int:
    """Rows under the header, refused beyond `max_rows` before the first cell is parsed."""
    # The declared extent refuses the file at once; it may lie, so the rows are counted anyway.
    declared = _declared_rows(archive, sheet_path) - 1
    if declared > max_rows:
        raise too_many_rows(_number(declared), max_rows)
    # Counting row tags is some fifty times faster than parsing them.
    counted = _counted_rows(archive, sheet_path, stop_after=max_rows + 1) - 1
    if counted > max_rows:
        raise too_many_rows(f"plus de {_number(max_rows)}", max_rows)
    return max(counted, 0)


def _open_workbook(content: bytes):
    """openpyxl's read-only loading, without its sizing of every sheet: a sheet without a
    `<dimension>` would be parsed whole just to size it."""
    workbook, sheets = _open_all_sheets(content)
    active = workbook._active_sheet_index  # the sheet shown when the file was saved
    return workbook, sheets[active if 0 <= active < len(sheets) else 0][1]


def _open_all_sheets(content: bytes):
    """The read-only workbook and its worksheets as (title, path), in the workbook's order."""
    reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    sheets = [
        (sheet.name, rel.target)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    if not sheets:
        reader.archive.close()
        raise ImportFileError("Le classeur n'a pas de feuille de calcul lisible.")
    reader.wb._archive = reader.archive
    reader.wb._shared_strings = reader.shared_strings
    return reader.wb, sheets


@dataclass(frozen=True)
class SheetRows:
    """One worksheet of a workbook: its title and its non-empty rows with their line numbers."""

    title: str
    rows: list[tuple[int, list]]


def read_workbook(name: str, content: bytes, max_rows: int) -> list[SheetRows]:
    """Every worksheet of an xlsx (layouts of one sheet per establishment), within the same bounds as
    read_rows: zip sizes and ratio first, then the rows of all sheets together against `max_rows`,
    counted before any cell is parsed; then streamed. Rows keep their line numbers (the layout may
    put titles above its header, and the report names the line the user sees)."""
    if _checked_extension(name, content) != ".xlsx":
        raise ImportFileError("Déposez le classeur Excel (.xlsx) : un fichier CSV n'a qu'une feuille.")
    _check_archive(content)
    try:
        workbook, sheets = _open_all_sheets(content)
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged workbook
        raise ImportFileError(f"Le fichier n'a pas pu être lu ({error.__class__.__name__}).") from error
    archive = workbook._archive
    try:
        # Header and title rows included: the cap bounds the work, whatever the layout.
        declared = sum(_declared_rows(archive, path) for _, path in sheets)
        if declared > max_rows:
            raise too_many_rows(_number(declared), max_rows)
        counted = 0
        for _, path in sheets:
            counted += _counted_rows(archive, path, stop_after=max_rows - counted + 1)
            if counted > max_rows:
                raise too_many_rows(f"plus de {_number(max_rows)}", max_rows)
        return [_sheet_content(workbook, title, path) for title, path in sheets]
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(f"Le fichier n'a pas pu être lu ({error.__class__.__name__}).") from error
    finally:
        archive.close()


def _sheet_content(workbook, title: str, path: str) -> SheetRows:
    sheet = _StreamedSheet(workbook, title, path, workbook._shared_strings)
    rows = []
    for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise ImportFileError(
                f"Feuille « {title} », ligne {line} : {len(row)} colonnes ; "
                f"un import en accepte {MAX_COLUMNS} au plus."
            )
        if any(value not in (None, "") for value in row):
            rows.append((line, row))
    return SheetRows(title, rows)


class _StreamedSheet(ReadOnlyWorksheet):
    def _get_size(self):
        pass  # unsized: every row is read, and counted by the caller


DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?[A-Z]*\$?(\d*)(?::\$?[A-Z]*\$?(\d+))?\"")


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")


def _counted_rows(archive: zipfile.ZipFile, path: str, stop_after: int) -> int:
    """Row elements in the sheet's XML, counted while inflating it, up to `stop_after` + 1."""
    count, tail = 0, b""
    with archive.open(path) as source:
        while block := source.read(1024 * 1024):
            data = tail + block
            cut = max(len(data) - 16, 0)  # a tag split between two blocks is counted with the next
            count += len(ROW_TAG.findall(data, 0, cut))
            if count > stop_after:
                break
            tail = data[cut:]
    return count + len(ROW_TAG.findall(tail))


def _declared_rows(archive: zipfile.ZipFile, path: str) -> int:
    """The last row of the sheet's `<dimension>`, read from the head of its XML; 0 when absent."""
    with archive.open(path) as source:
        head = source.read(64 * 1024)
    head = head.split(b"<sheetData", 1)[0]  # the dimension comes before the data
    found = DIMENSION.search(head)
    if not found:
        return 0
    return int(found.group(2) or found.group(1) or 0)


def _check_archive(content: bytes) -> None:
    """Refuse a zip bomb from the sizes its members declare, without inflating anything."""
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFileError(
            "Le fichier n'a pas pu être lu (ce n'est pas un classeur Excel .xlsx valide)."
        ) from error
    total = sum(member.file_size for member in members)
    limit = settings.MUTUALIS_IMPORT_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise ImportFileError(
            f"Le classeur décompressé occuperait {_megabytes(total)} Mo, au-delà de la limite de "
            f"{_megabytes(limit)} Mo : fichier refusé sans être lu."
        )
    max_ratio = settings.MUTUALIS_IMPORT_MAX_COMPRESSION_RATIO
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio:
            raise ImportFileError(
                f"Le classeur est compressé de façon anormale ({ratio:.0f} pour 1 dans "
                f"« {member.filename} », limite {max_ratio} pour 1) : fichier refusé sans être lu."
            )


def _csv_rows(content: bytes):
    text = _decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(f"Le fichier CSV n'a pas pu être lu ({error}).") from error


def _decode_csv(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # UTF-16 or a binary file read as text
            break
        return text
    raise ImportFileError("Encodage du fichier CSV non reconnu : enregistrez-le en UTF-8.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _number(value: int) -> str:
    """A count the French way: 100 000."""
    return f"{value:,}".replace(",", "\u202f")
