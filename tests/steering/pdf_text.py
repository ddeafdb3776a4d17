"""The text of a PDF written by WeasyPrint, read back without a PDF library (none is a dependency, and
poppler's pdftotext is not on every machine): objects (object streams included) inflated, each font's
ToUnicode map read, and the glyph strings of the content streams decoded through them.

Only what WeasyPrint writes is handled (hex glyph strings, `TJ`/`Tj`, Flate streams); it is a test
helper, not a PDF reader."""

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
TOKEN = re.compile(rb"\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|/([A-Za-z0-9_+.-]+)\s+[\d.]+\s+Tf|\bET\b", re.S)


def _split(body: bytes) -> tuple[bytes, bytes | None]:
    """An object's dictionary and its stream (inflated), if it has one."""
    start = body.find(b"stream")
    if start < 0:
        return body, None
    head = body[:start]
    length = re.search(rb"/Length (\d+)", head)
    data = body[start + len(b"stream") :].lstrip(b"\r").lstrip(b"\n")
    data = data[: int(length.group(1))] if length else data.rsplit(b"endstream", 1)[0]
    if b"/FlateDecode" in head:
        data = zlib.decompress(data)
    return head, data


def objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    found = {}
    for match in OBJECT.finditer(pdf):
        head, stream = _split(match.group(2))
        found[int(match.group(1))] = (head, stream)
        if b"/ObjStm" in head:  # objects compressed together: "number offset" pairs, then the bodies
            first = int(re.search(rb"/First (\d+)", head).group(1))
            numbers = [int(n) for n in stream[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for index, (number, offset) in enumerate(pairs):
                end = pairs[index + 1][1] if index + 1 < len(pairs) else len(stream) - first
                found[number] = (stream[first + offset : first + end], None)
    return found


def _cmap(data: bytes) -> dict[bytes, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[source.lower()] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in RANGE.findall(block):
            width, start = len(low), int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[f"{code:0{width}x}".encode()] = chr(start + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    """Every text drawn, one line per text object, in the order the content streams draw them."""
    found = objects(pdf)
    maps = {}  # font name in the content streams (WeasyPrint uses the subset's tag) → glyph code → text
    for head, _ in found.values():
        font = re.search(rb"/BaseFont /([A-Z]+)\+", head)
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if font and to_unicode:
            maps[font.group(1)] = _cmap(found[int(to_unicode.group(1))][1] or b"")
    lines, current, mapping = [], [], {}
    for head, stream in found.values():
        if stream is None or b"BT" not in stream or b"/ObjStm" in head:
            continue
        for match in TOKEN.finditer(stream):
            array, single, font = match.groups()
            if font is not None:
                mapping = maps.get(font, {})
            elif array is not None or single is not None:
                for glyphs in re.findall(rb"<([0-9a-fA-F]*)>", array) if array is not None else [single]:
                    glyphs = glyphs.lower()
                    current.extend(mapping.get(glyphs[i : i + 4], "") for i in range(0, len(glyphs), 4))
            elif current:
                lines.append("".join(current))
                current = []
    return "\n".join(lines)
