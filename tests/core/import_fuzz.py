"""Hostile import files and the properties every import must keep, shared by the property tests
(tests/core/test_import_fuzz.py, few examples) and benchmarks/fuzz_imports.py (thousands).

Properties: no exception other than the documented refusal (ImportFileError, or a report listing the
rejected rows; for DECP an "unreadable" file or rejected records); a refused file leaves every
business table as it was (row counts, history included); an accepted file writes every row.
"""

import csv
import io
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
from django.apps import apps
from django.db import transaction
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from stdnum import luhn

from mutualis.contracts.models import Contract
from mutualis.core.imports import ImportFileError, import_dataset, read_dataset

BUSINESS_APPS = ["organisations", "suppliers", "catalogue", "contracts", "needs", "opendata"]
NOT_BUSINESS = {"importrun"}  # the DECP importer records every run, refused or not


class Crash(AssertionError):
    """An exception other than the documented refusal."""


class PartialWrite(AssertionError):
    """A refused file changed the database, or an accepted one did not write every row."""


@dataclass
class Stats:
    files: int = 0
    rows: int = 0
    refused: int = 0
    crashes: int = 0
    partial: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)

    def fail(self, kind: type, message: str, strict: bool) -> None:
        if kind is Crash:
            self.crashes += 1
        else:
            self.partial += 1
        self.failures.append(message)
        if strict:
            raise kind(message)


def snapshot() -> dict[str, int]:
    """Row counts of every business table, history and many-to-many tables included."""
    counts = {}
    for label in BUSINESS_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.model_name not in NOT_BUSINESS:
                counts[model._meta.label] = model._base_manager.count()
    return counts


# --- cell values -------------------------------------------------------------------------------


def siret_from(siren_seed: int, establishment: int) -> str:
    siren = f"{siren_seed:08d}"
    body = siren + luhn.calc_check_digit(siren) + f"{establishment:04d}"
    return body + luhn.calc_check_digit(body)


valid_siret = st.builds(siret_from, st.integers(10**6, 10**8 - 1), st.integers(0, 9999)).filter(
    lambda s: not s.startswith("356000000")  # La Poste's SIRETs follow another rule
)
unicode_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
hostile = st.one_of(
    unicode_text,
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://x.invalid","clic")',
            "+33 1 23",
            "-5",
            "@SUM(A1)",
            "'=A1",
            "\t=x",
            "\x00",
            "a\x00b",
            "a\x07b\x1b",
            "\u202eevil",
            "\ufeff",
            "NaN",
            "inf",
            "-inf",
            "1e309",
            "9" * 40,
            "-0",
            "0,5",
            "1 000,50",
            "31/02/2024",
            "2024-13-01",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "",
            " ",
            "Oui",
            "Non",
            "peut-être",
            "None",
            "null",
            "<script>",
            "'; DROP TABLE x; --",
        ]
    ),
    st.integers(-(10**30), 10**30),
    st.floats(),
    st.dates(date(1, 1, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31)),
    st.booleans(),
    st.none(),
    st.text(min_size=300, max_size=3000),
)


def cell(*valid):
    """The plausible values of a column (a list or strategies)."""
    return st.one_of(*(st.sampled_from(v) if isinstance(v, list) else v for v in valid))


def numbers(low, high):
    return st.integers(low, high) | st.decimals(low, high, places=2).map(str)


def day():
    return st.dates(date(2020, 1, 1), date(2030, 12, 31))


@dataclass
class Kind:
    """One spreadsheet import: its columns and what a plausible value of each looks like."""

    name: str
    model: str
    columns: dict  # column name -> strategy
    resource: object  # function(context) -> resource

    def rows(self, clean: bool, max_rows: int = 6):
        """Plausible rows (some files must be accepted), or rows where a cell in four is hostile."""
        cells = (
            self.columns.values() if clean else [st.one_of(c, c, c, hostile) for c in self.columns.values()]
        )
        return st.lists(st.tuples(*cells), max_size=max_rows)


def kinds(context) -> dict[str, Kind]:
    from mutualis.catalogue.resources import PurchaseFamilyResource
    from mutualis.contracts.resources import ContractResource
    from mutualis.needs.resources import NeedLineResource
    from mutualis.organisations.models import Entity
    from mutualis.organisations.resources import EntityResource
    from mutualis.suppliers.resources import SupplierResource

    sirets = [context.hospital.siret, context.support.siret]
    yes_no = ["Oui", "Non", "oui", "x", "0", ""]
    return {
        "entities": Kind(
            "entities",
            "organisations.Entity",
            {
                "SIRET": cell(valid_siret, sirets),
                "Raison sociale": cell(unicode_text.filter(str.strip)),
                "Nature": cell(["Commune", "Établissement partie", "commune", "support"]),
                "Code commune INSEE": cell(["21231", "21054", "2A004"]),
                "Code postal": cell(["21000", ""]),
                "Membre actif": cell(yes_no),
            },
            lambda c: EntityResource(),
        ),
        "suppliers": Kind(
            "suppliers",
            "suppliers.Supplier",
            {
                "Type d'identifiant": cell(["SIRET", "siret", ""]),
                "Identifiant": cell(valid_siret),
                "Raison sociale": cell(unicode_text.filter(str.strip)),
                "Catégorie": cell(["PME", "Grande entreprise", ""]),
                "SIAE": cell(yes_no),
                "ESS": cell(yes_no),
            },
            lambda c: SupplierResource(),
        ),
        "families": Kind(
            "families",
            "catalogue.PurchaseFamily",
            {
                "Code": cell(st.from_regex(r"[A-Z]{3}-[0-9]{2}", fullmatch=True)),
                "Libellé": cell(unicode_text.filter(str.strip)),
                "Nature": cell(["Fournitures", "services", "Travaux"]),
                "Codes CPV": cell(["33600000-6", "33600000, 45200000", "98310000", ""]),
                "Acheteur responsable (identifiant)": cell(["", context.user.username]),
                "Active": cell(yes_no),
            },
            lambda c: PurchaseFamilyResource(),
        ),
        "contracts": Kind(
            "contracts",
            "contracts.Contract",
            {
                "Référence": cell(st.from_regex(r"[A-Z0-9]{1,12}", fullmatch=True)),
                "SIRET acheteur": cell(sirets),
                "Objet": cell(unicode_text.filter(str.strip)),
                "Nature": cell(["Marché"]),
                "Modalités d'exécution": cell(["Sans objet", "Bons de commande"]),
                "Code CPV": cell(["98310000", "45200000-9"]),
                "Procédure": cell(["Procédure adaptée", "Appel d'offres ouvert"]),
                "Montant HT": cell(numbers(1, 10**9)),
                "Date de notification": cell(day()),
                "Durée ferme (mois)": cell(st.integers(1, 120)),
                "Titulaires (identifiants)": cell(valid_siret),
                "Titulaires (raisons sociales)": cell(
                    st.from_regex(r"[A-Za-zéè ]{0,20}[a-z]", fullmatch=True)
                ),
                "Techniques": cell(["Sans objet", "Accord-cadre"]),
                "Types de prix": cell(["Définitif ferme"]),
                "Forme du prix": cell(["Forfaitaire", "Unitaire"]),
                "Considérations sociales": cell(["Clause sociale", "Pas de considération sociale"]),
                "Considérations environnementales": cell(["Pas de considération environnementale"]),
                "Entités utilisatrices (SIRET)": cell(["", context.hospital.siret, "; ".join(sirets)]),
            },
            lambda c: ContractResource(),
        ),
        "need_lines": Kind(
            "need_lines",
            "needs.NeedLine",
            {
                "SIRET de l'établissement": cell([context.hospital.siret]),
                "Famille (code)": cell(["HOT-02", "TRA-01"]),
                "Besoin": cell(unicode_text.filter(str.strip)),
                "Quantité": cell(numbers(0, 10**6)),
                "Montant estimé HT (€)": cell(numbers(1, 10**8)),
                "Récurrence": cell(["Ponctuel", "recurring"]),
                "Début souhaité": cell(day()),
            },
            lambda c: NeedLineResource(campaign=c.campaign, entities=Entity.objects.filter(pk=c.hospital.pk)),
        ),
    }


# --- files -------------------------------------------------------------------------------------


def headers_for(columns: list[str]):
    """The right header most of the time; else a column missing, unknown, doubled or shuffled."""
    return st.one_of(
        st.just(columns),
        st.just(columns),
        st.just(columns),
        st.permutations(columns),
        st.integers(0, len(columns) - 1).map(lambda i: columns[:i] + columns[i + 1 :]),
        unicode_text.map(lambda extra: [*columns, extra]),
        st.integers(0, len(columns) - 1).map(lambda i: [*columns, columns[i]]),
        st.lists(hostile, max_size=4),
    )


@st.composite
def spreadsheet_files(draw, kind: Kind):
    """(file name, content, data rows) of a hostile spreadsheet for this import."""
    columns = list(kind.columns)
    clean = draw(st.booleans())
    header = columns if clean else draw(headers_for(columns))
    rows = draw(kind.rows(clean))
    rows = [list(row)[: len(header)] + [None] * (len(header) - len(row)) for row in rows]
    if not clean and draw(st.booleans()):
        rows = [row + draw(st.lists(hostile, max_size=2)) for row in rows]  # ragged rows
    fmt = draw(st.sampled_from(["xlsx", "xlsx", "csv"]))
    content = xlsx_content([header, *rows]) if fmt == "xlsx" else draw(csv_content([header, *rows]))
    mangle = "none" if clean else draw(st.sampled_from(["none"] * 6 + ["truncate", "flip", "junk"]))
    if mangle == "truncate":
        content = content[: int(len(content) * draw(st.floats(0, 1, exclude_max=True)))]
    elif mangle == "flip" and content:
        at = int(len(content) * draw(st.floats(0, 1, exclude_max=True)))  # xlsx sizes vary with the clock
        content = content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :]
    elif mangle == "junk":
        content = draw(st.binary(max_size=200))
    return f"fuzz.{fmt}", content, len(rows)


def _xlsx_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # an xlsx cannot hold them at all
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return str(value)  # Excel keeps 15 digits; a longer number is text
    return value


def xlsx_content(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def csv_content(draw, rows: list[list]) -> bytes:
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"]))
    )
    for row in rows:
        writer.writerow(["" if value is None else str(value) for value in row])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    return buffer.getvalue().encode(encoding, errors="replace")


# --- the properties ----------------------------------------------------------------------------


def check_spreadsheet(kind: Kind, context, name: str, content: bytes, rows: int, stats: Stats, strict: bool):
    stats.files += 1
    stats.rows += rows
    start = time.perf_counter()
    before = snapshot()
    try:
        with transaction.atomic():
            resource = kind.resource(context)
            try:
                dataset = read_dataset(name, content, max_rows=resource.import_max_rows)
                report = import_dataset(resource, dataset, user=context.user)
            except ImportFileError as error:
                assert str(error), "a refusal says why"
                report = None
            after = snapshot()
            transaction.set_rollback(True)  # each file starts from the same database
    except Exception as error:  # any other exception is the bug looked for
        stats.seconds += time.perf_counter() - start
        stats.fail(Crash, f"{kind.name}: {error.__class__.__name__}: {error} on {content[:300]!r}", strict)
        return
    stats.seconds += time.perf_counter() - start
    if report is None or not report.accepted:
        stats.refused += 1
        if after != before:
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            stats.fail(PartialWrite, f"{kind.name}: refused file changed {changed}", strict)
        return
    written = after[kind.model] - before[kind.model]
    if report.created + report.updated + report.skipped != dataset.height or written != report.created:
        stats.fail(
            PartialWrite,
            f"{kind.name}: {dataset.height} rows, report {report.created}/{report.updated}/"
            f"{report.skipped}, {written} written",
            strict,
        )


def check_decp(path: Path, records: int, stats: Stats, strict: bool):
    """One DECP file through the service: unreadable files and rejected records write nothing."""
    from mutualis.opendata.decp_import.service import import_decp
    from mutualis.opendata.models import ExternalContract

    stats.files += 1
    stats.rows += records
    start = time.perf_counter()
    before = snapshot()
    try:
        with transaction.atomic():
            result = import_decp([path])
            after = snapshot()
            transaction.set_rollback(True)
    except Exception as error:
        stats.seconds += time.perf_counter() - start
        stats.fail(Crash, f"decp: {error.__class__.__name__}: {error} on {path.read_bytes()[:300]!r}", strict)
        return
    stats.seconds += time.perf_counter() - start
    [file] = result.summary["files"]
    counts = result.summary["counts"]
    stats.refused += file["status"] == "unreadable" or counts["rejected"] > 0
    written = sum(after[m._meta.label] - before[m._meta.label] for m in (ExternalContract, Contract))
    if file["status"] == "unreadable" and after != before:
        stats.fail(PartialWrite, f"decp: unreadable file changed the database: {file}", strict)
    elif written != counts["created"]:
        stats.fail(PartialWrite, f"decp: {counts} but {written} contracts written", strict)


# --- DECP files --------------------------------------------------------------------------------

DECP_DATA = Path(__file__).resolve().parents[1] / "data" / "decp"
REAL_DECP = sorted(
    p for p in DECP_DATA.rglob("*") if p.suffix in {".json", ".xml"} and p.stat().st_size < 200_000
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), unicode_text, hostile.map(str)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(unicode_text, inner, max_size=3),
    max_leaves=8,
)
DECP_FIELDS = [
    "id",
    "acheteur",
    "objet",
    "codeCPV",
    "montant",
    "dateNotification",
    "datePublicationDonnees",
    "dureeMois",
    "titulaires",
    "modifications",
    "procedure",
    "nature",
    "offresRecues",
    "considerationsSociales",
    "techniques",
    "lieuExecution",
    "formePrix",
]
decp_records = st.one_of(
    values,
    st.fixed_dictionaries({}, optional=dict.fromkeys(DECP_FIELDS, values)),
    st.fixed_dictionaries(
        {
            "id": st.text(min_size=1, max_size=20),
            "acheteur": st.fixed_dictionaries(
                {"id": st.sampled_from(["80537661300016", "8053766130001", " 805 376 613 00016", "", "x"])}
            ),
            "montant": st.one_of(st.integers(-(10**20), 10**20), st.floats(), hostile.map(str)),
            "dateNotification": st.one_of(
                st.dates(date(1, 1, 1), date(9999, 12, 31)).map(str), hostile.map(str)
            ),
        },
        optional=dict.fromkeys(set(DECP_FIELDS) - {"id", "acheteur", "montant", "dateNotification"}, values),
    ),
)


def _xml_escape(value) -> str:
    from xml.sax.saxutils import escape

    return escape(str(value))


def _xml_record(record) -> str:
    if not isinstance(record, dict):
        return f"<marche>{_xml_escape(record)}</marche>"
    inner = []
    for key, value in record.items():
        tag = "".join(ch for ch in str(key) if ch.isalnum()) or "x"
        if not tag[0].isalpha():
            tag = "x" + tag
        body = (
            "".join(f"<titulaire>{_xml_escape(v)}</titulaire>" for v in value)
            if isinstance(value, list)
            else (_xml_escape(value))
        )
        inner.append(f"<{tag}>{body}</{tag}>")
    return "<marche>" + "".join(inner) + "</marche>"


@st.composite
def decp_files(draw):
    """(suffix, content, records) of a hostile DECP file: generated JSON or XML, or a damaged real file."""
    source = draw(st.sampled_from(["json", "xml", "real"]))
    if source == "real":
        path = draw(st.sampled_from(REAL_DECP))
        content, suffix, records = path.read_bytes(), path.suffix, 0
    else:
        batch = draw(st.lists(decp_records, max_size=6))
        records, suffix = len(batch), f".{source}"
        if source == "json":
            text = __import__("json").dumps({"marches": {"marche": batch}}, default=str)
        else:
            text = (
                '<?xml version="1.0" encoding="UTF-8"?><marches>'
                + "".join(map(_xml_record, batch))
                + "</marches>"
            )
        content = text.encode()
    mangle = draw(st.sampled_from(["none", "none", "truncate", "flip", "utf-16", "latin-1", "junk", "bom"]))
    if mangle == "truncate":
        content = content[: int(len(content) * draw(st.floats(0, 1, exclude_max=True)))]
    elif mangle == "flip" and content:
        at = int(len(content) * draw(st.floats(0, 1, exclude_max=True)))  # xlsx sizes vary with the clock
        content = content[:at] + bytes([content[at] ^ draw(st.integers(1, 255))]) + content[at + 1 :]
    elif mangle in {"utf-16", "latin-1"}:
        content = content.decode("utf-8", errors="replace").encode(mangle, errors="replace")
    elif mangle == "junk":
        content = draw(st.binary(max_size=200))
    elif mangle == "bom":
        content = b"\xef\xbb\xbf" + content
    return suffix, content, records
