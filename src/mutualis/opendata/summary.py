"""The benchmark page's sums (models: Benchmark*Cell), kept by the DECP import.

Every figure of the page reads all the contracts under the chosen codes, so its cost grows with them; the
cells sum the contracts per 8-digit CPV code (totals), per code and buyer, per code and holder, and per
code and exact amount (for the exact median), so that the page sums a few cells per code instead.

The import hands `benchmark_summary_refresh` the codes it touched (the codes of the records it read and
the codes those contracts had before): their cells are summed again from the contracts, inside the
import's transaction, so a failed import leaves them as they were. Summing again from the rows, rather
than adding and subtracting, keeps the cells exact whatever the import decided (an older publication left
alone, a contract moved to another code or into the registry). `benchmark_summary_build` sums everything
(`mutualis refresh_benchmark_summary`); until it has run once, the page reads the contracts.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from .models import (
    BenchmarkAmountCell,
    BenchmarkBuyerCell,
    BenchmarkCpvCell,
    BenchmarkHolderCell,
    BenchmarkSummaryBuild,
    ExternalContract,
    ExternalHolder,
)

CELLS = [BenchmarkCpvCell, BenchmarkBuyerCell, BenchmarkHolderCell, BenchmarkAmountCell]
# Past this many codes, one pass over every contract costs less than a pass per chunk of codes.
CODES_PER_PASS = 500


def summary_ready() -> bool:
    return BenchmarkSummaryBuild.objects.exists()


def cpv_touched(records: Iterable) -> set[str]:
    """The codes a batch of records may change: theirs, and those their stored contracts have now (an
    update may move a contract to another code; a member's record takes it into the registry)."""
    records = list(records)
    stored = ExternalContract.objects.filter(uid__in=[r.uid for r in records]).order_by()
    return {r.cpv for r in records} | set(stored.values_list("cpv", flat=True).distinct())


def benchmark_summary_refresh(codes: Iterable[str]) -> None:
    """Sum again the cells of these CPV codes (exact codes, as stored on the contracts)."""
    codes = sorted(set(codes))
    if not codes:
        return
    if not summary_ready() or len(codes) > CODES_PER_PASS:
        benchmark_summary_build()
        return
    with transaction.atomic():
        for model in CELLS:
            model.objects.filter(cpv__in=codes).delete()
        _insert_cells(codes)


def benchmark_summary_build() -> None:
    """Sum every published contract again (first build, or a safety net after writes that bypassed the
    import)."""
    with transaction.atomic():
        for model in CELLS:
            model.objects.all().delete()
        _insert_cells(None)
        BenchmarkSummaryBuild.objects.update_or_create(pk=1, defaults={"built_at": timezone.now()})


def analyze_cells() -> None:
    """Planner statistics of the cells after a full build (the import analyses the tables it wrote)."""
    with connection.cursor() as cursor:
        for model in CELLS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _insert_cells(codes: list[str] | None) -> None:
    """The cells of these codes (None: of every code), summed from the contracts."""
    contracts = ExternalContract.objects.order_by()
    holders = ExternalHolder.objects.order_by()
    if codes is not None:
        contracts = contracts.filter(cpv__in=codes)
        holders = holders.filter(contract__cpv__in=codes)
    _insert_select(
        BenchmarkCpvCell,
        contracts.values("cpv").annotate(
            contracts=Count("pk"),
            amounts=Count("amount"),  # before `amount`, which then names the sum
            amount=Sum("amount"),
            offers=Sum("offers_received", default=0),
            with_offers=Count("offers_received"),
            social=Count("pk", filter=Q(has_social_consideration=True)),
            environmental=Count("pk", filter=Q(has_environmental_consideration=True)),
            # Considerations exist only in the 2022 format: the page's shares are of those records.
            with_considerations=Count("pk", filter=Q(schema_version="2")),
        ),
    )
    _insert_select(
        BenchmarkBuyerCell,
        contracts.values("cpv", "buyer_siret").annotate(
            contracts=Count("pk"),
            amount=Sum("amount"),
            buyer_name=Max("buyer_name"),
            last_notified=Max("notification_date"),
        ),
    )
    _insert_select(
        BenchmarkHolderCell,
        holders.values("contract__cpv", "identifier_kind", "identifier").annotate(
            contracts=Count("pk"), amount=Sum("contract__amount"), name=Max("name")
        ),
        columns=["cpv", "identifier_kind", "identifier", "contracts", "amount", "name"],
    )
    _insert_select(
        BenchmarkAmountCell,
        contracts.filter(amount__isnull=False).values("cpv", "amount").annotate(contracts=Count("pk")),
    )


def _insert_select(model, grouped, columns: list[str] | None = None) -> None:
    """INSERT … SELECT of a grouped QuerySet: the sums never travel through Python. The columns are the
    QuerySet's values then its annotations, in that order (or `columns`)."""
    names = columns or [*grouped.query.values_select, *grouped.query.annotation_select]
    quote = connection.ops.quote_name
    target = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({target}) {sql}", params)
