"""Streaming readers for DECP files: JSON of the 2019 format (schema 1.x), JSON and XML of the 2022
format (schema 2.0.x), marchés and concessions. Records come out one by one, as dicts in the shape of
the 2022 JSON, so that memory stays bounded whatever the file size.
"""

import xml.etree.ElementTree as ET  # element type only; parsing goes through defusedxml
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import itemgetter
from pathlib import Path

import ijson
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

CONTRACT, CONCESSION = "marche", "concession"
# A DECP record nests about ten levels deep. A deeper file is hostile: ijson's prefixes cost memory
# quadratic in the depth (a 200 KB file of nested arrays exhausted gigabytes) and the normaliser recurses.
MAX_DEPTH = 32
DEPTH_CHANGE = {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}


class UnreadableFile(Exception):
    """The file itself cannot be read: not found, not JSON or XML, truncated, no DECP structure."""


@dataclass(frozen=True)
class RawRecord:
    kind: str  # CONTRACT or CONCESSION
    position: int  # 1-based rank in the file, to name the record in the report
    data: object  # normally a dict; anything else is rejected by the normaliser
    schema: str  # "1" (2019 format) or "2" (2022 format)
    fraction: float = 0.0  # share of the file read so far, for progress bars


def detect(path: Path) -> str:
    """ "json" or "xml", from the first significant byte."""
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"<"):
        return "xml"
    raise UnreadableFile("le fichier n'est ni du JSON ni du XML")


def read_records(path: Path) -> Iterator[RawRecord]:
    if not path.is_file():
        raise UnreadableFile("fichier introuvable")
    try:
        if detect(path) == "json":
            yield from _json_records(path)
        else:
            yield from _xml_records(path)
    except (ijson.JSONError, ET.ParseError, DefusedXmlException, UnicodeDecodeError) as error:
        raise UnreadableFile(f"fichier illisible ou tronqué ({error.__class__.__name__}: {error})") from error


def _json_layout(path: Path) -> str:
    """ "v1" when `marches` is an array (2019 format), "v2" when it is an object (2022 format)."""
    with path.open("rb") as handle:
        for prefix, event, _ in ijson.parse(handle):
            if prefix == "marches" and event == "start_array":
                return "v1"
            if prefix == "marches" and event == "start_map":
                return "v2"
    raise UnreadableFile("aucune clé « marches » : ce n'est pas un fichier de données essentielles")


def _contains(path: Path, needle: bytes, chunk: int = 1 << 20) -> bool:
    """A fast byte scan, to skip a second parse when a file has no concessions."""
    with path.open("rb") as handle:
        tail = b""
        while block := handle.read(chunk):
            if needle in tail + block:
                return True
            tail = block[-len(needle) :]
    return False


def _check_json_depth(path: Path) -> None:
    """Refuse a too deeply nested file before reading its records, in one pass at C speed (about a
    second per 50 MB); a truncated file is found here too, before anything is written."""
    with path.open("rb") as handle:
        events = map(itemgetter(0), ijson.basic_parse(handle))
        deepest = max(accumulate(map(DEPTH_CHANGE.get, events, repeat(0))), default=0)
    if deepest > MAX_DEPTH:
        raise UnreadableFile(f"imbrication trop profonde ({deepest} niveaux, {MAX_DEPTH} au plus)")


def _json_records(path: Path) -> Iterator[RawRecord]:
    _check_json_depth(path)
    size = max(path.stat().st_size, 1)
    position = 0
    if _json_layout(path) == "v1":
        with path.open("rb") as handle:
            for item in ijson.items(handle, "marches.item"):
                position += 1
                is_concession = isinstance(item, dict) and "concession" in str(item.get("_type", "")).lower()
                yield RawRecord(
                    CONCESSION if is_concession else CONTRACT, position, item, "1", handle.tell() / size
                )
        return
    passes = [("marche", CONTRACT)]
    if _contains(path, b'"contrat-concession"'):
        passes.append(("contrat-concession", CONCESSION))
    for key, kind in passes:
        with path.open("rb") as handle:
            for item in ijson.items(handle, f"marches.{key}.item"):
                position += 1
                yield RawRecord(kind, position, item, "2", handle.tell() / size / len(passes))


# XML elements holding repeated children: element name -> child name (2022 schema, XSD 2.0.2).
XML_LISTS = {
    "titulaires": "titulaire",
    "modifications": "modification",
    "concessionnaires": "concessionnaire",
    "actesSousTraitance": "acteSousTraitance",
    "modificationActesSousTraitance": "modificationActeSousTraitance",
    "modificationsActesSousTraitance": "modificationActeSousTraitance",
    "donneesExecution": "donneesAnnuelles",
    "tarifs": "tarif",
}
XML_VALUE_LISTS = {
    "techniques": "technique",
    "modalitesExecution": "modaliteExecution",
    "typesPrix": "typePrix",
    "considerationsSociales": "considerationSociale",
    "considerationsEnvironnementales": "considerationEnvironnementale",
}


def _xml_to_dict(element: ET.Element) -> dict:
    """An XML record in the shape of the 2022 JSON (lists wrapped the same way)."""
    result: dict = {}
    for child in element:
        tag = child.tag.split("}")[-1]
        if tag in XML_LISTS:
            result[tag] = [{XML_LISTS[tag]: _xml_to_dict(item)} for item in child]
        elif tag in XML_VALUE_LISTS:
            result[tag] = {XML_VALUE_LISTS[tag]: [(item.text or "").strip() for item in child]}
        elif len(child):
            result[tag] = _xml_to_dict(child)
        else:
            result[tag] = (child.text or "").strip()
    return result


V2_ONLY_KEYS = {"techniques", "considerationsSociales", "marcheInnovant", "offresRecues", "typesPrix"}


def _xml_records(path: Path) -> Iterator[RawRecord]:
    size = max(path.stat().st_size, 1)
    position, depth = 0, 0
    with path.open("rb") as handle:
        for event, element in SafeET.iterparse(handle, events=("start", "end")):
            tag = element.tag.split("}")[-1]
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise UnreadableFile(f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")
                continue
            depth -= 1
            # Records sit under the root; a file may also hold a single record as its root.
            if tag in {"marche", "contrat-concession"} and (depth == 1 or (depth == 0 and position == 0)):
                position += 1
                data = _xml_to_dict(element)
                schema = "2" if V2_ONLY_KEYS & data.keys() else "1"
                kind = CONCESSION if tag == "contrat-concession" else CONTRACT
                yield RawRecord(kind, position, data, schema, handle.tell() / size)
                element.clear()  # bounded memory: drop each record once read
    if position == 0:
        raise UnreadableFile("aucun élément <marche> ni <contrat-concession>")
