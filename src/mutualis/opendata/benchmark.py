"""Benchmark against other buyers: what published DECP data says about a family or CPV code.

The figures are read from the cells of opendata/summary.py once they are built (a few rows per CPV code);
`benchmark_from_contracts` computes the same figures from the contracts themselves: the page's answer
until the cells exist, and the reference the tests hold the cells to.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, F, Max, Q, Sum, Window

from mutualis.suppliers.models import Supplier

from .models import (
    BenchmarkAmountCell,
    BenchmarkBuyerCell,
    BenchmarkCpvCell,
    BenchmarkHolderCell,
    ExternalContract,
    ExternalHolder,
    cpv_prefix_range,
)
from .summary import summary_ready

TOP = 20
# Ties broken by the key, so that both ways of reading give the same twenty.
BUYERS_ORDER = ("-count", "-amount", "buyer_siret")
SUPPLIERS_ORDER = ("-count", "-amount", "identifier_kind", "identifier")
RECENT_ORDER = ("-notification_date", "-pk")  # the notified ones only: an unknown date is not recent


def cpv_filter(codes: list[str]) -> Q:
    """Contracts whose CPV falls under any of the codes (a code covers its sub-tree)."""
    query = Q(pk__in=[])
    for code in codes:
        query |= cpv_prefix_range(code)
    return query


def median_amount(contracts) -> Decimal | None:
    """The exact median of every known amount, read by the database: the middle row (or the two middle
    rows) of the amounts in order, so no list of all amounts is ever loaded."""
    amounts = contracts.exclude(amount=None)
    count = amounts.count()
    if not count:
        return None
    middle = list(
        amounts.order_by("amount").values_list("amount", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(middle) / len(middle)


@dataclass
class Benchmark:
    contracts: int
    buyers: int
    total_amount: Decimal | None
    median_amount: Decimal | None
    average_offers: float | None
    social_share: float | None
    environmental_share: float | None
    top_buyers: list[dict]
    top_suppliers: list[dict]
    recent: list[ExternalContract]


def published_count() -> int:
    """How many published contracts are stored (the cells' sum: no count of the whole table)."""
    if summary_ready():
        return BenchmarkCpvCell.objects.aggregate(n=Sum("contracts", default=0))["n"]
    return ExternalContract.objects.count()


def benchmark(codes: list[str]) -> Benchmark:
    return benchmark_from_cells(codes) if summary_ready() else benchmark_from_contracts(codes)


def benchmark_from_cells(codes: list[str]) -> Benchmark:
    where = cpv_filter(codes)
    totals = BenchmarkCpvCell.objects.filter(where).aggregate(
        n=Sum("contracts", default=0),
        amount=Sum("amount"),
        amounts=Sum("amounts", default=0),
        offers=Sum("offers", default=0),
        with_offers=Sum("with_offers", default=0),
        social=Sum("social", default=0),
        environmental=Sum("environmental", default=0),
        with_considerations=Sum("with_considerations", default=0),
    )
    base = totals["with_considerations"]
    buyers = BenchmarkBuyerCell.objects.filter(where).order_by()
    holders = BenchmarkHolderCell.objects.filter(where).order_by()
    return Benchmark(
        contracts=totals["n"],
        buyers=buyers.aggregate(n=Count("buyer_siret", distinct=True))["n"],
        total_amount=totals["amount"],
        median_amount=_median_from_cells(where, totals["amounts"]),
        average_offers=totals["offers"] / totals["with_offers"] if totals["with_offers"] else None,
        social_share=totals["social"] / base if base else None,
        environmental_share=totals["environmental"] / base if base else None,
        top_buyers=list(
            buyers.values("buyer_siret")
            .annotate(
                name=Max("buyer_name"),
                count=Sum("contracts"),
                amount=Sum("amount"),
                last=Max("last_notified"),
            )
            .order_by(*BUYERS_ORDER)[:TOP]
        ),
        top_suppliers=_named(
            holders.values("identifier_kind", "identifier")
            .annotate(name=Max("name"), count=Sum("contracts"), amount=Sum("amount"))
            .order_by(*SUPPLIERS_ORDER)[:TOP]
        ),
        recent=_recent(codes, list(BenchmarkCpvCell.objects.filter(where).values_list("cpv", flat=True))),
    )


def _median_from_cells(where: Q, known: int) -> Decimal | None:
    """The exact median from the counts per amount: the amounts in order with their running count; the
    middle positions fall in the first amounts whose running count passes them."""
    if not known:
        return None
    low, high = (known - 1) // 2, known // 2
    running = BenchmarkAmountCell.objects.filter(where).annotate(
        upto=Window(Sum("contracts"), order_by=F("amount").asc())
    )
    # Cells of one amount in several codes share their running count: distinct keeps one of them.
    rows = list(running.filter(upto__gt=low).order_by("amount").values_list("amount", "upto").distinct()[:2])
    middle = [rows[0][0]] if low == high or rows[0][1] > high else [rows[0][0], rows[1][0]]
    return sum(middle) / len(middle)


def benchmark_from_contracts(codes: list[str]) -> Benchmark:
    """The same figures read from every matching contract (no cells)."""
    contracts = ExternalContract.objects.filter(cpv_filter(codes))
    totals = contracts.aggregate(
        n=Count("pk"),
        buyers=Count("buyer_siret", distinct=True),
        amount=Sum("amount"),
        offers=Avg("offers_received"),
        social=Count("pk", filter=Q(has_social_consideration=True)),
        environmental=Count("pk", filter=Q(has_environmental_consideration=True)),
        # Considerations exist only in the 2022 format: shares are computed on those records.
        with_considerations=Count("pk", filter=Q(schema_version="2")),
    )
    base = totals["with_considerations"]
    return Benchmark(
        contracts=totals["n"],
        buyers=totals["buyers"],
        total_amount=totals["amount"],
        median_amount=median_amount(contracts),
        average_offers=totals["offers"],
        social_share=totals["social"] / base if base else None,
        environmental_share=totals["environmental"] / base if base else None,
        top_buyers=list(
            contracts.values("buyer_siret")
            .annotate(
                name=Max("buyer_name"), count=Count("pk"), amount=Sum("amount"), last=Max("notification_date")
            )
            .order_by(*BUYERS_ORDER)[:TOP]
        ),
        top_suppliers=_named(
            ExternalHolder.objects.filter(contract__in=contracts)
            .values("identifier_kind", "identifier")
            .annotate(
                name=Max("name"), count=Count("contract", distinct=True), amount=Sum("contract__amount")
            )
            .order_by(*SUPPLIERS_ORDER)[:TOP]
        ),
        recent=_recent(codes),
    )


def _recent(codes: list[str], present: list[str] | None = None) -> list[ExternalContract]:
    """The newest notified contracts under the codes. With the codes `present` under them (from the
    cells), the newest of each code are read by the (cpv, notification date) index, TOP per code in one
    UNION ALL, then merged: the database never sorts every contract of a division (SQLite fetched and
    sorted half of 100,000 rows by the CPV index for the division 45: 600 ms)."""
    if present is None:
        contracts = ExternalContract.objects.filter(cpv_filter(codes), notification_date__isnull=False)
        ids = list(contracts.order_by(*RECENT_ORDER).values_list("pk", flat=True)[:TOP])
    else:
        ids = _newest_ids(present)
    by_id = ExternalContract.objects.prefetch_related("holders").in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _newest_ids(codes: list[str]) -> list[int]:
    table = connection.ops.quote_name(ExternalContract._meta.db_table)
    rows = []
    # SQLite caps a compound SELECT at 500 parts.
    for start in range(0, len(codes), 400):
        chunk = codes[start : start + 400]
        branch = (
            f"SELECT * FROM (SELECT id, notification_date FROM {table} WHERE cpv = %s"  # noqa: S608 - model names
            " AND notification_date IS NOT NULL ORDER BY notification_date DESC, id DESC"
            f" LIMIT {TOP}) AS part_{{}}"
        )
        sql = " UNION ALL ".join(branch.format(n) for n in range(len(chunk)))
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY notification_date DESC, id DESC LIMIT {TOP}", chunk)
            rows += cursor.fetchall()
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [pk for pk, _ in rows[:TOP]]


def _named(rows) -> list[dict]:
    rows = list(rows)
    # DECP 2022 publishes no names: take them from the territory's supplier directory when known.
    known = dict(
        Supplier.objects.filter(identifier__in=[r["identifier"] for r in rows]).values_list(
            "identifier", "name"
        )
    )
    for row in rows:
        row["name"] = row["name"] or known.get(row["identifier"], "")
    return rows
