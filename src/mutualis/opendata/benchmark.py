"""Benchmark against other buyers: what published DECP data says about a family or CPV code."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, Q, Sum

from mutualis.suppliers.models import Supplier

from .models import ExternalContract, ExternalHolder, cpv_prefix_range

TOP = 20


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


def benchmark(codes: list[str]) -> Benchmark:
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
            .order_by("-count", "-amount")[:TOP]
        ),
        top_suppliers=_top_suppliers(contracts),
        recent=list(contracts.prefetch_related("holders").order_by("-notification_date")[:TOP]),
    )


def _top_suppliers(contracts) -> list[dict]:
    rows = list(
        ExternalHolder.objects.filter(contract__in=contracts)
        .values("identifier_kind", "identifier")
        .annotate(name=Max("name"), count=Count("contract", distinct=True), amount=Sum("contract__amount"))
        .order_by("-count", "-amount")[:TOP]
    )
    # DECP 2022 publishes no names: take them from the territory's supplier directory when known.
    known = dict(
        Supplier.objects.filter(identifier__in=[r["identifier"] for r in rows]).values_list(
            "identifier", "name"
        )
    )
    for row in rows:
        row["name"] = row["name"] or known.get(row["identifier"], "")
    return rows
