"""`import_decp`: stream DECP files, normalise each record, and upsert it in batches.

Each file is written in one transaction: a file that cannot be read to the end (truncated, not DECP)
changes nothing. A rejected record is never written at all. A dry run rolls everything back.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from mutualis.catalogue.models import CpvCode
from mutualis.contracts.bulk import Lookups
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.core.batching import batched
from mutualis.opendata.models import ExternalContract, ExternalHolder, ImportRun, ImportStatus
from mutualis.opendata.summary import CELLS, benchmark_summary_refresh, cpv_touched
from mutualis.organisations.models import Entity

from .external import upsert_external
from .normalize import Record, Rejected, normalise
from .readers import UnreadableFile, read_records
from .registry import missing_for_registry, upsert_registry
from .report import Report

BATCH_SIZE = 2000


class _DryRun(Exception):
    """Raised to roll a dry run back."""


@dataclass
class ImportResult:
    summary: dict
    entries: list
    rejections: list
    run: ImportRun | None

    @property
    def unreadable_files(self) -> list[dict]:
        return [f for f in self.summary["files"] if f["status"] == "unreadable"]


def import_decp(
    paths, *, dry_run=False, report_path=None, user=None, batch_size=BATCH_SIZE, run: ImportRun | None = None
) -> ImportResult:
    """Import the files; with `run`, report progress on it and store the outcome there."""
    paths = [Path(p) for p in paths]
    report = Report(Path(report_path) if report_path else None)
    context = _Context(
        members=dict(Entity.objects.values_list("siret", "pk")),
        known_cpv=set(CpvCode.objects.values_list("code", flat=True)),
        report=report,
        batch_size=batch_size,
        progress=Progress(run, len(paths)) if run else None,
    )
    try:
        with transaction.atomic():
            for index, path in enumerate(paths):
                context.file_index = index
                context.import_file(path)
            if not dry_run:  # the benchmark's cells of the codes the files touched, with the rows
                benchmark_summary_refresh(context.benchmark_cpv)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if not dry_run:
        analyze_tables(wrote_registry=context.wrote_registry)
    summary = report.close(dry_run)
    status, message = _outcome(summary["files"])
    values = {
        "files": [str(p) for p in paths],
        "dry_run": dry_run,
        "counts": summary["counts"],
        "report": {"files": summary["files"], "entries": report.entries},
        "user": user,
        "finished_at": timezone.now(),
        "status": status,
        "message": message,
        "progress": 1.0,
        "records_read": summary["counts"]["read"],
    }
    if run is None:
        run = ImportRun.objects.create(**values)
    else:
        ImportRun.objects.filter(pk=run.pk).update(**values)
        run.refresh_from_db()
    return ImportResult(summary, report.entries, report.rejections, run)


def analyze_tables(*, wrote_registry: bool) -> None:
    """Fresh planner statistics once the rows are in: a large import changes the counts per CPV and the
    shape of the tables, and neither database re-reads them soon enough by itself (SQLite never does)."""
    models = [ExternalContract, ExternalHolder, *CELLS] + (
        [Contract, ContractHolder] if wrote_registry else []
    )
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _outcome(files: list[dict]) -> tuple[str, str]:
    """The run's honest status: failed when no file could be read, partial when some could not."""
    unreadable = [f for f in files if f["status"] == "unreadable"]
    if not unreadable:
        return ImportStatus.DONE, ""
    names = " ; ".join(f"{f['file']} ({f.get('error', 'illisible')})" for f in unreadable)
    if len(unreadable) == len(files):
        return ImportStatus.FAILED, f"Aucun fichier n'a pu être lu, rien n'a été importé : {names}"
    return ImportStatus.PARTIAL, f"Fichier(s) illisible(s), rien n'en a été importé : {names}"


class Progress:
    """Progress of a background import, kept in the cache: the import's own transaction is not
    visible to the page that polls it until it commits."""

    def __init__(self, run: ImportRun, file_count: int):
        self.key = progress_key(run.pk)
        self.file_count = max(file_count, 1)

    def update(self, file_index: int, fraction: float, records_read: int) -> None:
        overall = min((file_index + fraction) / self.file_count, 0.99)
        cache.set(self.key, {"progress": overall, "records_read": records_read}, timeout=24 * 3600)


def progress_key(run_id: int) -> str:
    return f"decp-import-progress:{run_id}"


@dataclass
class _Context:
    members: dict
    known_cpv: set
    report: Report
    batch_size: int
    progress: Progress | None = None
    file_index: int = 0
    records_read: int = 0
    wrote_registry: bool = False
    lookups: Lookups = field(default_factory=Lookups)  # what the registry's checks read, once per import
    benchmark_cpv: set = field(default_factory=set)

    def import_file(self, path: Path) -> None:
        counts = dict.fromkeys(self.report.counts, 0)
        try:
            with transaction.atomic():  # a savepoint: an unreadable file leaves nothing behind
                records = read_records(path)
                while batch := list(islice(records, self.batch_size)):
                    self._batch(path, batch, counts)
                    self.records_read += len(batch)
                    if self.progress:
                        self.progress.update(self.file_index, batch[-1].fraction, self.records_read)
        except UnreadableFile as error:
            self.report.add_file(path.name, "unreadable", counts, str(error))
            return
        self.report.add_file(path.name, "imported", counts)

    def _batch(self, path: Path, raw_records, counts: dict) -> None:
        by_uid: dict[str, Record] = {}
        for raw in raw_records:
            counts["read"] += 1
            try:
                record = normalise(raw, self.known_cpv)
            except Rejected as rejection:
                counts["rejected"] += 1
                self.report.entry(
                    file=path.name,
                    record=raw.position,
                    status="rejected",
                    field=rejection.field,
                    reason=rejection.reason,
                )
                continue
            previous = by_uid.get(record.uid)
            if previous is not None and previous.object != record.object:
                # Lots published under one id (seen in real files): keep each, with a suffix from its object.
                suffix = hashlib.blake2b(record.object.encode(), digest_size=2).hexdigest()
                record.warnings.append(
                    f"id : déjà utilisé pour un autre objet dans ce fichier, suffixe « -{suffix} » ajouté"
                )
                record.reference = f"{record.reference}-{suffix}"
                previous = by_uid.get(record.uid)
            # The same contract twice in a file: the later publication wins (the later one on a tie).
            if previous is None or (previous.published_on or date.min) <= (record.published_on or date.min):
                by_uid[record.uid] = record
        self.benchmark_cpv |= cpv_touched(by_uid.values())
        external = []
        with batched():  # what is summed from the registry is refreshed once for the file
            self._store(path, by_uid, counts, external)
        outcomes = upsert_external(external, source=path.name) if external else {}
        for record in external:
            self._count(path, record, outcomes[record.uid], counts, "external")

    def _store(self, path: Path, by_uid: dict, counts: dict, external: list) -> None:
        """The members' records into the registry; the others, the incomplete and the refused, left in
        `external`."""
        members = []
        for record in by_uid.values():
            buyer = self.members.get(record.buyer_siret)
            missing = missing_for_registry(record) if buyer else None
            if buyer and not missing:
                members.append((record, buyer))
                continue
            if buyer:
                record.warnings.append(
                    "registre : incomplet (" + ", ".join(missing) + "), gardé en contrat externe"
                )
            external.append(record)
        if not members:
            return
        outcomes, refused = upsert_registry(members, self.lookups)
        self.wrote_registry = True
        stored = [record for record, _ in members if record.uid in outcomes]
        ExternalContract.objects.filter(uid__in=[r.uid for r in stored]).delete()  # now in the registry
        for record, _ in members:
            if record.uid in refused:
                record.warnings.append(f"registre : refusé ({refused[record.uid]}), gardé en contrat externe")
                external.append(record)
            else:
                self._count(path, record, outcomes[record.uid], counts, "registry")

    def _count(self, path: Path, record: Record, outcome: str, counts: dict, store: str) -> None:
        counts[outcome] += 1
        counts[store] += 1
        counts["repaired"] += bool(record.repairs)
        counts["warned"] += bool(record.warnings)
        if record.repairs or record.warnings:
            self.report.entry(
                file=path.name,
                record=record.position,
                uid=record.uid,
                status=outcome,
                repairs=record.repairs,
                warnings=record.warnings,
            )
