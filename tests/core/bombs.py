"""Spreadsheet bombs for the tests and benchmarks/spreadsheet_bombs.py: files built to make an import
run for hours (many rows in few bytes, a sheet that inflates to gigabytes)."""

import io
import zipfile

DIMENSION = b'<dimension ref="A1:E%s"/><sheetData>'
HEADER = ["SIRET", "Raison sociale", "Nature", "Code commune INSEE", "Membre actif"]


def probe_xlsx(rows: int) -> bytes:
    """Entity rows in a write-only workbook (openpyxl writes no `<dimension>` in that mode)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for _ in range(rows):
        sheet.append(["26210007600015", "Commune", "Commune", "21054", "Oui"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item.filename, data)
    return buffer.getvalue()


def bomb_xlsx(inflated: int) -> bytes:
    """A valid workbook whose sheet is `inflated` bytes of one repeated cell."""
    skeleton = probe_xlsx(1)
    source = zipfile.ZipFile(io.BytesIO(skeleton))
    buffer = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item.filename, source.read(item.filename))
                continue
            with target.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                sheet.write(b"<sheetData>")
                for _ in range(inflated // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
