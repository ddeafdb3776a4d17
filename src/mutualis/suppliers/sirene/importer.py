"""`supplier_data_import(run)`: a SIRENE stock file or an inclusion list → the suppliers it names.

The file is streamed (files.py); only the rows of suppliers the database knows are looked at: their
keys are loaded once (a set of strings, a few MB for 100,000 suppliers). Matching rows are gathered in
batches; each batch reads its suppliers, writes those whose identity changed (bulk, with a history row
and their version bumped, so a form opened before the import is refused rather than overwriting it) and
stamps the date of data on those unchanged. The whole file is one transaction: a refused file (a
missing column, a truncated file) leaves the database as it was. A bad row is reported with its line
and column, and skipped.
"""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from mutualis.core.batching import batched
from mutualis.geo.models import Commune

from ..identifiers import IdentifierKind
from ..models import DataImportKind, DataImportStatus, SireneState, Supplier, SupplierDataImport
from ..signals import suppliers_updated
from .files import DataFile, FileRefused, RowError
from .inclusion import INCLUSION_ALIASES, INCLUSION_REQUIRED, inclusion_fields
from .records import ESTABLISHMENT_REQUIRED, LEGAL_UNIT_REQUIRED, Row, establishment_fields, legal_unit_fields

BATCH_SIZE = 500
STORED_ENTRIES = 1000
COUNTS = ("read", "matched", "updated", "unchanged", "rejected")
SIRENE_KINDS = {DataImportKind.ESTABLISHMENTS, DataImportKind.LEGAL_UNITS}


def supplier_data_import(run: SupplierDataImport, *, batch_size: int = BATCH_SIZE) -> SupplierDataImport:
    job = _Job(run, batch_size)
    SupplierDataImport.objects.filter(pk=run.pk).update(status=DataImportStatus.RUNNING)
    try:
        # The cube's refresh for the suppliers whose size or commune moved runs once, at the end.
        with transaction.atomic(), batched():
            job.run()
        status, message = DataImportStatus.DONE, ""
    except FileRefused as error:
        status, message = DataImportStatus.FAILED, f"Fichier refusé, rien n'en a été importé : {error}"
        job.counts = dict.fromkeys(COUNTS, 0) | {"read": job.counts["read"]}
    counts = {**job.counts, "report_total": job.total}
    SupplierDataImport.objects.filter(pk=run.pk).update(
        status=status, counts=counts, report=job.entries, message=message, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


class _Job:
    def __init__(self, run: SupplierDataImport, batch_size: int):
        self.run_record, self.batch_size = run, batch_size
        self.kind = run.kind
        self.date_field = "sirene_date" if run.kind in SIRENE_KINDS else "inclusion_date"
        self.counts = dict.fromkeys(COUNTS, 0)
        self.entries: list[dict] = []
        self.total = 0
        self.batch: list[tuple[int, list[int], dict]] = []

    def report(self, line: int, field: str, reason: str) -> None:
        self.total += 1
        self.counts["rejected"] += 1
        if len(self.entries) < STORED_ENTRIES:
            self.entries.append({"line": line, "field": field, "reason": reason})

    def run(self) -> None:
        keys = _known_keys()
        if self.kind == DataImportKind.ESTABLISHMENTS:
            source = DataFile(self.run_record.path, ESTABLISHMENT_REQUIRED)
            communes = dict(Commune.objects.values_list("code", "name"))
            match, fields = (
                self._establishment_matcher(keys),
                (lambda row: establishment_fields(row, communes)),
            )
        elif self.kind == DataImportKind.LEGAL_UNITS:
            source = DataFile(self.run_record.path, LEGAL_UNIT_REQUIRED)
            match, fields = self._legal_unit_matcher(keys), legal_unit_fields
        else:
            source = DataFile(self.run_record.path, INCLUSION_REQUIRED, INCLUSION_ALIASES)
            match, fields = self._inclusion_matcher(keys), inclusion_fields
        for line, values, error in source.rows():
            self.counts["read"] += 1
            if error is not None:
                self.report(line, error.field, error.reason)
                continue
            pks = match(values, source.columns)
            if not pks:
                continue
            try:
                self.batch.append((line, pks, fields(Row(source.columns, values))))
            except RowError as row_error:
                self.report(line, row_error.field, row_error.reason)
            if len(self.batch) >= self.batch_size:
                self._write()
        self._write()

    def _establishment_matcher(self, keys):
        by_siret, by_siren = keys

        def match(values, columns):
            found = by_siret.get(values[columns["siret"]])
            pks = [found] if found else []
            # A supplier known by its SIREN takes the address of its head office.
            if by_siren and values[columns["etablissementSiege"]] == "true":
                pks += by_siren.get(values[columns["siren"]], [])
            return pks

        return match

    def _legal_unit_matcher(self, keys):
        _, by_siren = keys
        every = _sirens()

        def match(values, columns):
            return every.get(values[columns["siren"]], [])

        self.siren_kind = set().union(*by_siren.values()) if by_siren else set()
        return match

    def _inclusion_matcher(self, keys):
        by_siret, _ = keys
        every = _sirens()

        def match(values, columns):
            siret = "".join(values[columns["siret"]].split())
            found = by_siret.get(siret)
            # By SIRET, else every supplier of the same company (SIREN).
            return [found] if found else every.get(siret[:9], []) if len(siret) >= 9 else []

        return match

    def _write(self) -> None:
        if not self.batch:
            return
        wanted: dict[int, dict] = {}
        for _line, pks, fields in self.batch:
            for pk in pks:
                wanted[pk] = fields
        self.batch = []
        date = self.run_record.data_date
        changed, unchanged, names, now, diffs = [], [], set(), timezone.now(), {}
        for supplier in Supplier.objects.select_for_update().filter(pk__in=wanted).order_by("pk"):
            fields = dict(wanted[supplier.pk])
            # An establishment keeps its own state unless its company has ceased.
            if (
                self.kind == DataImportKind.LEGAL_UNITS
                and supplier.pk not in self.siren_kind
                and fields["sirene_state"] != SireneState.CEASED
            ):
                fields.pop("sirene_state")
            diff = {name: value for name, value in fields.items() if getattr(supplier, name) != value}
            if "inclusion_kind" in diff:
                supplier.inclusion_kind = diff["inclusion_kind"]
                supplier.apply_inclusion_kind()
                diff |= {"is_siae": supplier.is_siae, "is_ea_esat": supplier.is_ea_esat}
            if not diff:
                unchanged.append(supplier.pk)
                continue
            for name, value in diff.items():
                setattr(supplier, name, value)
            setattr(supplier, self.date_field, date)
            supplier.version += 1
            supplier.updated_at = now
            names |= set(diff)
            diffs[supplier.pk] = set(diff)
            changed.append(supplier)
        if changed:
            reason = f"{self.run_record.get_kind_display()}, données du {date:%d/%m/%Y}"
            bulk_update_with_history(
                changed, Supplier, sorted(names | {self.date_field, "version", "updated_at"}),
                batch_size=self.batch_size, default_user=self.run_record.user, default_change_reason=reason,
            )  # fmt: skip
            # Once written: the steering cube counts suppliers by size and commune: tell it which changed.
            counted = [s.pk for s in changed if {"size_category", "insee_code"} & diffs[s.pk]]
            if counted:
                suppliers_updated.send(sender=Supplier, supplier_ids=counted)
        if unchanged:
            # The data are confirmed as of this date: a bookkeeping column, no history row.
            Supplier.objects.filter(pk__in=unchanged).update(**{self.date_field: date})
        self.counts["matched"] += len(changed) + len(unchanged)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(unchanged)


def _known_keys() -> tuple[dict, dict]:
    """SIRET → pk of the suppliers known by SIRET; SIREN → [pk] of those known by SIREN."""
    by_siret, by_siren = {}, {}
    rows = Supplier.objects.filter(identifier_kind__in=[IdentifierKind.SIRET, IdentifierKind.SIREN])
    for pk, kind, identifier in rows.values_list("pk", "identifier_kind", "identifier").iterator():
        if kind == IdentifierKind.SIRET:
            by_siret[identifier] = pk
        else:
            by_siren.setdefault(identifier, []).append(pk)
    return by_siret, by_siren


def _sirens() -> dict[str, list[int]]:
    """SIREN → [pk] of every supplier of that company (known by SIRET or SIREN)."""
    found: dict[str, list[int]] = {}
    for pk, siren in Supplier.objects.exclude(siren="").values_list("pk", "siren").iterator():
        found.setdefault(siren, []).append(pk)
    return found
