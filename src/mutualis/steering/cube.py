"""The steering cube (ContractCell, HolderCell): the registry summed per quarter, buyer, family and
procedure, kept up to date on every write so that a year of indicators reads a few thousand cells
instead of a year of contracts (benchmarks/steering.py: 100,000 contracts a year).

Writes reach it through steering/receivers.py (contracts, holders, a supplier's size or commune) and
through `cube_refresh_contracts` for the writes that bypass save(); a write refreshes the cells of the
(year, buyer, family) it touched, summed again from the contracts. `cube_build` sums everything again: the
first time (`mutualis refresh_steering_cube`), then every night as a safety net.
Until it is built, the indicators read the contracts themselves (slower, same figures)."""

from collections import defaultdict
from datetime import date, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Case, CharField, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import ExtractQuarter, ExtractYear, Substr
from django.utils import timezone

from mutualis.contracts.models import Contract, ContractHolder
from mutualis.core.batching import collect
from mutualis.legal.publication import publication_windows
from mutualis.organisations.access import access_for

from . import figures_cache
from .measures import SUMS, grouped
from .models import ContractCell, CubeBuild, HolderCell
from .scope import Scope

KEY = ("year", "quarter", "buyer_id", "family_id", "procedure")
PART = DecimalField(max_digits=20, decimal_places=6)


def cube_ready() -> bool:
    return CubeBuild.objects.exists()


def reads_cube(user) -> bool:
    """The cube sums the whole registry: it answers a reader who sees all of it, once built."""
    return access_for(user).entity_ids is None and cube_ready()


def cells_in(model, scope: Scope):
    """The cube's cells (ContractCell or HolderCell) of the scope."""
    cells = model.objects.filter(year=scope.year).order_by()
    if scope.quarter:
        cells = cells.filter(quarter=scope.quarter)
    if scope.entity:
        cells = cells.filter(buyer=scope.entity)
    if scope.family:
        cells = cells.filter(family=scope.family)
    return cells


# --- Which contracts and which cells a refresh covers ---------------------------------------------


def _selection(years, buyers, families, prefix: str = "") -> Q:
    """The contracts (prefix "": Contract; "contract__": ContractHolder) of these years, buyers and
    families; None is "all", a family set may hold None (contracts without a family)."""
    selected = Q(**{f"{prefix}notification_date__isnull": False})
    if years is not None:
        spans = Q(pk__in=[])
        for year in years:
            spans |= Q(**{f"{prefix}notification_date__range": (date(year, 1, 1), date(year, 12, 31))})
        selected &= spans
    if buyers is not None:
        selected &= Q(**{f"{prefix}buyer_id__in": list(buyers)})
    if families is not None:
        named = [f for f in families if f is not None]
        of_family = Q(**{f"{prefix}family_id__in": named})
        selected &= of_family | Q(**{f"{prefix}family__isnull": True}) if None in families else of_family
    return selected


def _cells(years, buyers, families) -> Q:
    """The same selection over the cells."""
    selected = Q()
    if years is not None:
        selected &= Q(year__in=list(years))
    if buyers is not None:
        selected &= Q(buyer_id__in=list(buyers))
    if families is not None:
        named = Q(family_id__in=[f for f in families if f is not None])
        selected &= named | Q(family__isnull=True) if None in families else named
    return selected


# --- Summing --------------------------------------------------------------------------------------


@cache
def day_spans(months: int) -> tuple[int, int]:
    """The fewest and most days `months` months can last (over a leap cycle: 59 and 62 for two)."""
    start, spans = date(2000, 1, 1), set()
    for offset in range(4 * 366):
        day = start + timedelta(days=offset)
        spans.add(((day + relativedelta(months=months)) - day).days)
    return min(spans), max(spans)


def _window_of(window) -> Q:
    """The contracts notified in a publication window and subject to publication (amount at least its
    minimum)."""
    subject = Q(notification_date__gte=window.valid_from, amount__gte=window.minimum_amount)
    return subject & Q(notification_date__lt=window.until) if window.until else subject


def _publication_sums() -> dict:
    """Published (among those to publish) and surely on time: published within the fewest days the
    deadline can last. Those between the fewest and the most are decided one by one (_between)."""
    published = Q(pk__in=[])
    on_time = Q(pk__in=[])
    for window in publication_windows():
        shortest, _ = day_spans(window.deadline_months)
        subject = _window_of(window)
        published |= subject & Q(data_published_on__isnull=False)
        on_time |= subject & Q(data_published_on__lte=F("notification_date") + timedelta(days=shortest))
    return {"published": Count("pk", filter=published), "on_time": Count("pk", filter=on_time)}


def _between(contracts):
    """(key, 1) for each contract published between the fewest and the most days of its deadline, and
    on time by the calendar."""
    for window in publication_windows():
        shortest, longest = day_spans(window.deadline_months)
        rows = contracts.filter(
            _window_of(window),
            data_published_on__gt=F("notification_date") + timedelta(days=shortest),
            data_published_on__lte=F("notification_date") + timedelta(days=longest),
        ).values_list(*KEY, "notification_date", "data_published_on")
        months = relativedelta(months=window.deadline_months)
        for *key, notified, published in rows:
            if published <= notified + months:
                yield tuple(key)


def _contract_cells(years, buyers, families) -> list[ContractCell]:
    contracts = Contract.objects.filter(_selection(years, buyers, families)).order_by()
    contracts = contracts.annotate(
        year=ExtractYear("notification_date"), quarter=ExtractQuarter("notification_date")
    )
    cells = grouped(contracts, KEY, {**SUMS, **_publication_sums()})
    for key in _between(contracts):
        cells[key]["on_time"] += 1
    return [
        ContractCell(
            **dict(zip(KEY, key, strict=True)),
            **{
                name: row[name] if row[name] is not None or name == "standalone_largest" else 0
                for name in ContractCell.SUMMED
            },
        )
        for key, row in cells.items()
    ]


def _holder_cells(years, buyers, families) -> list[HolderCell]:
    """Each holder's equal part of its contract's amount, summed by the holder's département and size."""
    holders_of_contract = (
        ContractHolder.objects.filter(contract=OuterRef("contract"))
        .order_by()
        .values("contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    insee = "supplier__insee_code"
    # Overseas communes have a three-digit département (971…976): steering.indicators.holders.department_of.
    department = Case(
        When(**{f"{insee}__startswith": "97"}, then=Substr(insee, 1, 3)),
        default=Substr(insee, 1, 2),
        output_field=CharField(),
    )
    holders = (
        ContractHolder.objects.filter(_selection(years, buyers, families, "contract__"))
        .order_by()
        .annotate(
            year=ExtractYear("contract__notification_date"),
            quarter=ExtractQuarter("contract__notification_date"),
            buyer_id=F("contract__buyer_id"),
            family_id=F("contract__family_id"),
            department=department,
            size_category=F("supplier__size_category"),
            holders=Subquery(holders_of_contract),
        )
    )
    fields = (*KEY[:-1], "department", "size_category")  # not per procedure (models/cube.py)
    parts = grouped(holders, fields, {"amount": Sum(F("contract__amount") / F("holders"), output_field=PART)})
    return [HolderCell(**dict(zip(fields, key, strict=True)), **sums) for key, sums in parts.items()]


@transaction.atomic
def cube_refresh(years=None, buyers=None, families=None) -> None:
    """Sum the contracts of these years, buyers and families again (None: all)."""
    if any(values is not None and not values for values in (years, buyers, families)):
        return
    cells = _cells(years, buyers, families)
    ContractCell.objects.filter(cells).delete()
    HolderCell.objects.filter(cells).delete()
    ContractCell.objects.bulk_create(_contract_cells(years, buyers, families), batch_size=2000)
    HolderCell.objects.bulk_create(_holder_cells(years, buyers, families), batch_size=2000)
    figures_cache.changed()  # the cells were rewritten in bulk, past the save signals


def cube_build() -> None:
    """Everything summed again, and the cube marked as built (the nightly job, the first build)."""
    with transaction.atomic():
        cube_refresh()
        CubeBuild.objects.update_or_create(pk=1, defaults={"built_at": timezone.now()})


# --- Refreshing what a write touched ---------------------------------------------------------------


def cube_touch(keys) -> None:
    """These (year, buyer id, family id) changed: their cells are summed again, now or when the open
    batch of writes ends (mutualis.core.batching)."""
    collect(_refresh_keys, {key for key in keys if key[0] is not None})


def _refresh_keys(keys) -> None:
    if not cube_ready():
        return
    by_year = defaultdict(lambda: (set(), set()))
    for year, buyer, family in keys:
        by_year[year][0].add(buyer)
        by_year[year][1].add(family)
    # Per year, the buyers × families of that year: a few cells more than touched, never fewer.
    for year, (buyers, families) in by_year.items():
        cube_refresh({year}, buyers, families)


def key_of(contract) -> tuple:
    day = contract.notification_date
    return (day.year if day else None, contract.buyer_id, contract.family_id)


def contract_keys(contracts) -> set[tuple]:
    """The (year, buyer, family) of these contracts (a queryset), read in one query."""
    rows = (
        contracts.filter(notification_date__isnull=False)
        .annotate(year=ExtractYear("notification_date"))
        .order_by()
        .values_list("year", "buyer_id", "family_id")
        .distinct()
    )
    return set(rows)


def cube_refresh_contracts(contracts) -> None:
    """For writes that bypass save() (QuerySet.update, bulk_update): the cells of these contracts."""
    cube_touch(contract_keys(contracts))
