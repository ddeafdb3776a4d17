"""`spend_import`: an entity's finance exports → its spend lines, matched to the registry.

Each file is written in one transaction: a file that cannot be read to its end changes nothing. The key
is (entity, exercice, numero_mandat): a row equal to the stored one changes nothing, a different one
replaces it (reported), a new one is inserted through the bulk path. A bad row is reported and skipped.
A dry run computes everything and rolls it back.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from mutualis.contracts.alerts import consumption_alerts_for
from mutualis.opendata.decp_import.bulk import insert_rows

from .cube import spend_cube_refresh
from .keys import SeenKeys
from .matching import Matcher
from .models import MatchMethod, SpendImport, SpendImportStatus, SpendLine
from .parsing import SpendFile, SpendFileError
from .report import Report
from .rows import FILE_FIELDS, RowError, RowParser, SpendRow

BATCH_SIZE = 5000
COUNTS = ("read", "created", "replaced", "unchanged", "rejected", "matched", "off_contract", "warnings")
INSERTED = [
    "entity", "fiscal_year", "mandate_number", *FILE_FIELDS,
    "supplier", "contract", "family", "match_method", "not_entitled", "spend_import",
]  # fmt: skip
# The same, as the model's attributes (what an instance for bulk_update takes).
ATTRIBUTES = [
    *FILE_FIELDS,
    "supplier_id",
    "contract_id",
    "family_id",
    "match_method",
    "not_entitled",
    "spend_import_id",
]
MATCHED = ["supplier", "contract", "family", "match_method", "not_entitled"]
# The file's column behind each stored field, to name what a replacement changed.
COLUMN_OF = dict(
    zip(
        FILE_FIELDS,
        ("date", "siret_fournisseur", "siren", "fournisseur", "montant_ht", "montant_ttc", "compte",
         "numero_marche", "libelle"),
        strict=True,
    )
)  # fmt: skip


class _DryRun(Exception):
    """Raised to roll a dry run back."""


@dataclass
class SpendImportResult:
    run: SpendImport
    counts: dict
    refused: list[tuple[str, str]]  # (file name, reason)
    # Contracts whose consumption moved: for the consumption alerts, once they exist.
    touched_contract_ids: set[int] = field(default_factory=set)


def progress_key(run_id: int) -> str:
    return f"spend-import-progress:{run_id}"


def spend_import(
    entity, files, *, dry_run=False, user=None, run: SpendImport | None = None, report_path=None,
    batch_size=BATCH_SIZE, progress=False,
) -> SpendImportResult:  # fmt: skip
    """Import the files for `entity`; with `progress`, the run's advance is kept in the cache."""
    paths = [Path(p) for p in files]
    if run is None:
        run = SpendImport.objects.create(
            entity=entity, dry_run=dry_run, user=user, files=[str(p) for p in paths],
            status=SpendImportStatus.RUNNING,
        )  # fmt: skip
    job = _Job(entity, run, Report(Path(report_path) if report_path else None), batch_size, progress)
    try:
        with transaction.atomic():
            for index, path in enumerate(paths):
                job.import_file(index, len(paths), path)
            if not dry_run and (job.counts["created"] or job.counts["replaced"]):
                spend_cube_refresh([entity.pk])  # the map's sums, in the same transaction as the lines
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    finally:
        job.report.close()
    touched = job.touched if not dry_run else set()
    counts = {**job.counts, "report_total": job.report.total, "files_refused": len(job.refused)}
    message = " ; ".join(f"{name} : {reason}" for name, reason in job.refused)
    status = (
        SpendImportStatus.FAILED if job.refused and len(job.refused) == len(paths) else SpendImportStatus.DONE
    )
    SpendImport.objects.filter(pk=run.pk).update(
        status=status, counts=counts, report=job.report.entries, message=message, finished_at=timezone.now()
    )
    run.refresh_from_db()
    cache.delete(progress_key(run.pk))
    if touched:
        # A framework may have just crossed 80 % or 100 % of its ceiling: say it now, not tomorrow.
        consumption_alerts_for(touched)
    return SpendImportResult(run, counts, job.refused, touched)


class _Job:
    def __init__(self, entity, run, report: Report, batch_size: int, progress: bool):
        self.entity, self.run, self.report, self.batch_size = entity, run, report, batch_size
        self.matcher = Matcher(entity)
        self.counts = dict.fromkeys(COUNTS, 0)
        self.refused: list[tuple[str, str]] = []
        self.touched: set[int] = set()
        self.progress = progress

    def import_file(self, index: int, total: int, path: Path) -> None:
        source = SpendFile(path)
        counts_before = dict(self.counts)
        touched_before = set(self.touched)
        self.report.begin_file()
        self.seen = SeenKeys()
        self.years_stored: dict[int, bool] = {}
        try:
            with transaction.atomic():  # a file written whole or not at all
                parser, batch = None, []
                for line, raw in source.rows():
                    if parser is None:
                        parser = RowParser(source.columns)
                    self.counts["read"] += 1
                    row = self._parsed(parser, source.name, line, raw)
                    if row is not None:
                        batch.append((line, row))
                    if len(batch) >= self.batch_size:
                        self._write(source.name, batch)
                        batch = []
                        self._advance(index, total, source.fraction)
                self._write(source.name, batch)
        except SpendFileError as error:
            self.counts, self.touched = counts_before, touched_before
            self.report.end_file(kept=False)
            self.refused.append((source.name, str(error)))
            self.report.add(
                source.name, None, "", f"fichier refusé, rien n'en a été importé : {error}", "refusé"
            )
            return
        self.report.end_file(kept=True)

    def _advance(self, index: int, total: int, fraction: float) -> None:
        if self.progress:
            done = min((index + fraction) / max(total, 1), 0.99)
            value = {"progress": done, "records_read": self.counts["read"]}
            cache.set(progress_key(self.run.pk), value, timeout=24 * 3600)

    def _parsed(self, parser: RowParser, name: str, line: int, raw: list) -> SpendRow | None:
        try:
            row = parser.parse(raw)
        except RowError as error:
            self.counts["rejected"] += 1
            self.report.add(name, line, error.field, error.reason, "rejeté")
            return None
        if self.seen.add(row.fiscal_year, row.mandate_number):
            self.counts["rejected"] += 1
            reason = (
                f"mandat {row.mandate_number} de {row.fiscal_year} déjà présent plus haut dans le fichier"
            )
            self.report.add(name, line, "numero_mandat", reason, "rejeté")
            return None
        return row

    def _year_stored(self, year: int) -> bool:
        if year not in self.years_stored:
            stored = SpendLine.objects.filter(entity_id=self.entity.pk, fiscal_year=year).exists()
            self.years_stored[year] = stored
        return self.years_stored[year]

    def _existing(self, batch) -> dict:
        """The stored lines of this batch's keys: (year, number) → (pk, file values, link)."""
        by_year: dict[int, list[str]] = {}
        for _, row in batch:
            by_year.setdefault(row.fiscal_year, []).append(row.mandate_number)
        found = {}
        # A year with no line before this file cannot hold one of its keys (duplicates within the file
        # are caught as they are read): the first import of a year asks nothing per batch.
        by_year = {year: numbers for year, numbers in by_year.items() if self._year_stored(year)}
        columns = ("pk", "mandate_number", *FILE_FIELDS, *(f"{f}_id" for f in MATCHED[:3]), *MATCHED[3:])
        for year, numbers in by_year.items():
            stored = SpendLine.objects.filter(
                entity_id=self.entity.pk, fiscal_year=year, mandate_number__in=numbers
            ).values_list(*columns)
            for pk, number, *rest in stored:
                found[(year, number)] = (pk, tuple(rest[: len(FILE_FIELDS)]), tuple(rest[len(FILE_FIELDS) :]))
        return found

    def _write(self, name: str, batch: list[tuple[int, SpendRow]]) -> None:
        if not batch:
            return
        existing = self._existing(batch)
        self.matcher.prime_suppliers({(row.supplier_siret, row.supplier_siren) for _, row in batch})
        new, replaced = [], []
        for line, row in batch:
            old = existing.get((row.fiscal_year, row.mandate_number))
            if old is not None and old[1] == row.values():
                self.counts["unchanged"] += 1
                self.counts["matched" if old[2][1] else "off_contract"] += 1
                continue
            link = self._link(name, line, row, old)
            if old is None:
                new.append(
                    (self.entity.pk, row.fiscal_year, row.mandate_number, *row.values(), *link, self.run.pk)
                )
                continue
            changed = [
                COLUMN_OF[f] for f, a, b in zip(FILE_FIELDS, old[1], row.values(), strict=True) if a != b
            ]
            self.report.add(
                name,
                line,
                ", ".join(changed),
                f"remplace le mandat {row.mandate_number} déjà importé",
                "remplacé",
            )
            if old[2][1]:
                self.touched.add(old[2][1])
            replaced.append(
                SpendLine(
                    pk=old[0], **dict(zip(ATTRIBUTES, (*row.values(), *link, self.run.pk), strict=True))
                )
            )
        insert_rows(SpendLine, INSERTED, new)
        if replaced:
            SpendLine.objects.bulk_update(replaced, INSERTED[3:], batch_size=1000)
        self.counts["created"] += len(new)
        self.counts["replaced"] += len(replaced)

    def _link(self, name: str, line: int, row: SpendRow, old) -> tuple:
        """(supplier, contract, family, method, not entitled): a buyer's correction survives a replacement."""
        match = self.matcher.match(
            siret=row.supplier_siret, siren=row.supplier_siren, reference=row.contract_reference,
            paid_on=row.paid_on, account=row.account,
        )  # fmt: skip
        if old is not None and old[2][3] == MatchMethod.MANUAL:
            supplier, contract, family, method, not_entitled = old[2]
        else:
            supplier, contract, family = match.supplier_id, match.contract_id, match.family_id
            method, not_entitled = match.method, match.not_entitled
            if match.warning:
                self.counts["warnings"] += 1
                column = "numero_marche" if row.contract_reference else "siret_fournisseur"
                self.report.add(name, line, column, match.warning, "avertissement")
        self.counts["matched" if contract else "off_contract"] += 1
        if contract:
            self.touched.add(contract)
        return supplier, contract, family, method, not_entitled
