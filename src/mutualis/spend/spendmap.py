"""The spend map (cartographie des achats) of one fiscal year, from the lines the reader may see: spend per
family × entity with the share under contract, off-contract spend, the top suppliers, the ex-post
splitting check, and the totals of every year.

Every figure is a SQL sum over the cubes the writes keep (spend/cube.py), whatever the number of lines:
the family cells grouped by (family, entity) for the year give the grid, the off-contract table and the
splitting check, grouped by year the years' totals; the supplier cells give the top suppliers and their
names (with one family chosen, the supplier ranking reads that family's lines). Then one query each for
the names of the families and entities found, the legal table and the territory's kind of buyer."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, Sum

from mutualis.catalogue.models import PurchaseFamily
from mutualis.legal.rules import rule_rows
from mutualis.needs.procedure import territory_buyer_kind
from mutualis.organisations.models import Entity

from .filters import NO_SIREN
from .models import EntityScopedQuerySet, SpendLineQuerySet, SpendSupplierCell
from .splitting import OffSpend, SplittingCheck, splitting_check

ZERO = Decimal(0)
CENT = Decimal("0.01")
NULL = "null"  # the list's value for « no family »
UNCLASSIFIED = "Non classées (sans famille)"
NO_SIREN_LABEL = "Fournisseurs sans SIREN"
TOP_SUPPLIERS = 20


def to_cent(value) -> Decimal:
    # SQLite sums decimals in floating point: every sum is brought back to its exact cent.
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """The sums behind one figure, and the list's filters that show its rows."""

    params: dict = field(default_factory=dict)
    total: Decimal = ZERO
    on_contract: Decimal = ZERO
    lines: int = 0
    off_lines: int = 0

    @property
    def off_contract(self) -> Decimal:
        return self.total - self.on_contract

    @property
    def share(self) -> Decimal | None:
        """Share of the amount under contract (0 to 1), None without spend."""
        return self.on_contract / self.total if self.total else None

    def add(self, row: dict) -> None:
        self.total += to_cent(row["total"])
        self.on_contract += to_cent(row["on_contract"])
        self.lines += row["lines"]
        self.off_lines += row["off_lines"]


@dataclass
class FamilyRow:
    key: str  # the family's id, or "null"
    label: str
    family: PurchaseFamily | None
    total: Figures
    cells: dict = field(default_factory=dict)  # entity id → Figures


@dataclass
class SupplierRow:
    siren: str
    name: str
    figures: Figures


@dataclass
class SpendMap:
    year: int | None
    entity: Entity | None
    family: PurchaseFamily | None
    years: list[tuple[int, Figures]]
    entities: list[Entity] = field(default_factory=list)
    rows: list[FamilyRow] = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # entity id → Figures
    total: Figures = field(default_factory=Figures)
    suppliers: list[SupplierRow] = field(default_factory=list)
    splitting: SplittingCheck | None = None

    @property
    def base(self) -> dict:
        """The map's own filters, carried by every link."""
        params = {"fiscal_year": self.year}
        if self.entity:
            params["entity"] = self.entity.pk
        if self.family:
            params["family"] = self.family.pk
        return params


def sums(cells: EntityScopedQuerySet, *group_by: str) -> list[dict]:
    """Amount, amount under contract, lines and off-contract lines per group of family cells, in one
    query, ordered by the groups (None first)."""
    rows = cells.order_by().values(*group_by, "off").annotate(amount=Sum("amount"), count=Sum("lines"))
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in group_by)
        if key not in merged:
            merged[key] = {**dict(zip(group_by, key, strict=True)), "total": ZERO, "on_contract": ZERO,
                           "lines": 0, "off_lines": 0}  # fmt: skip
        item, amount = merged[key], to_cent(row["amount"])
        item["total"] += amount
        item["lines"] += row["count"]
        if row["off"]:
            item["off_lines"] += row["count"]
        else:
            item["on_contract"] += amount
    return [merged[key] for key in sorted(merged, key=lambda key: [(v is not None, v) for v in key])]


def _narrowed(lines, entity, family):
    if entity is not None:
        lines = lines.filter(entity=entity)
    if family is not None:
        lines = lines.filter(family=family)
    return lines


def _years(lines, spend_map: SpendMap) -> list[tuple[int, Figures]]:
    extra = {k: v for k, v in spend_map.base.items() if k != "fiscal_year"}
    years = []
    for row in sums(lines, "fiscal_year"):
        figures = Figures({"fiscal_year": row["fiscal_year"], **extra})
        figures.add(row)
        years.append((row["fiscal_year"], figures))
    return years


def _grid(lines, spend_map: SpendMap) -> tuple[list[OffSpend], dict, dict]:
    """Fills the family × entity grid; returns the off-contract spend the splitting check reads, and the
    families and entities found."""
    base, year = spend_map.base, spend_map.year
    rows = sums(lines.filter(fiscal_year=year), "family", "entity")
    families = PurchaseFamily.objects.in_bulk({row["family"] for row in rows} - {None})
    entities = Entity.objects.with_buyer_key().in_bulk({row["entity"] for row in rows})
    spend_map.entities = sorted(entities.values(), key=lambda entity: entity.name)
    spend_map.total = Figures(dict(base))
    by_family: dict = {}
    off = []
    for row in rows:
        family_id, entity_id = row["family"], row["entity"]
        key = NULL if family_id is None else str(family_id)
        if key not in by_family:
            family = families.get(family_id)
            label = UNCLASSIFIED if family is None else f"{family.code} — {family.label}"
            by_family[key] = FamilyRow(key, label, family, Figures({**base, "family": key}))
        line = by_family[key]
        line.cells[entity_id] = Figures({**base, "family": key, "entity": entity_id})
        if entity_id not in spend_map.columns:
            spend_map.columns[entity_id] = Figures({**base, "entity": entity_id})
        for figures in (line.cells[entity_id], line.total, spend_map.columns[entity_id], spend_map.total):
            figures.add(row)
        off_lines = row["off_lines"]
        if off_lines:
            amount = to_cent(row["total"]) - to_cent(row["on_contract"])
            off.append(OffSpend(entity_id, family_id, amount, off_lines))
    # Largest spend first; the lines the mapping missed last, where they are seen as such.
    spend_map.rows = sorted(by_family.values(), key=lambda r: (r.family is None, -r.total.total, r.label))
    return off, families, entities


def _supplier_rows(lines, cells, spend_map: SpendMap, top: int) -> tuple[list[dict], dict]:
    """The top suppliers of the year and their names: from the supplier cells, or from the lines of the
    one family chosen (the supplier cells do not know families)."""
    if spend_map.family is None:
        year_cells = cells.filter(fiscal_year=spend_map.year).order_by()
        off = Q(off=True)
        rows = list(
            year_cells.values("supplier_siren")
            .annotate(
                total=Sum("amount"),
                on_contract=Sum("amount", filter=~off, default=ZERO),
                line_count=Sum("lines"),
                off_count=Sum("lines", filter=off, default=0),
            )
            .order_by("-total", "supplier_siren")[:top]
        )
        for row in rows:  # the cells' own column is named `lines`: renamed after the sum
            row["lines"], row["off_lines"] = row.pop("line_count"), row.pop("off_count")
        source = year_cells
    else:
        year_lines = lines.filter(fiscal_year=spend_map.year).order_by()
        off = Q(contract__isnull=True)
        rows = list(
            year_lines.values("supplier_siren")
            .annotate(
                total=Sum("amount_ht"),
                on_contract=Sum("amount_ht", filter=~off, default=ZERO),
                lines=Count("*"),
                off_lines=Count("entity", filter=off),
            )
            .order_by("-total", "supplier_siren")[:top]
        )
        source = year_lines
    shown = [row["supplier_siren"] for row in rows if row["supplier_siren"]]
    # A name per SIREN (the last in sort order: any spelling will do).
    names = dict(
        source.filter(supplier_siren__in=shown)
        .values("supplier_siren")
        .annotate(name=Max("supplier_name"))
        .values_list("supplier_siren", "name")
    )
    return rows, names


def _suppliers(lines, cells, spend_map: SpendMap, top: int) -> list[SupplierRow]:
    rows, names = _supplier_rows(lines, cells, spend_map, top)
    suppliers = []
    for row in rows:
        siren = row["supplier_siren"]
        figures = Figures({**spend_map.base, "supplier_siren": siren or NO_SIREN})
        figures.add(row)
        suppliers.append(SupplierRow(siren, names.get(siren, "") if siren else NO_SIREN_LABEL, figures))
    return suppliers


def spend_map(
    lines: SpendLineQuerySet,
    cells: EntityScopedQuerySet,
    *,
    year: int | None = None,
    entity: Entity | None = None,
    family: PurchaseFamily | None = None,
    top: int = TOP_SUPPLIERS,
) -> SpendMap:
    """The map for `year` (default: the latest with spend), narrowed to one entity or one family when
    given. `lines` (SpendLine) and `cells` (SpendFamilyCell) are already scoped to the reader; the
    supplier cells are read within the same entities."""
    lines, family_cells = _narrowed(lines, entity, family), _narrowed(cells, entity, family)
    supplier_cells = SpendSupplierCell.objects.filter(entity_id__in=cells.values("entity_id"))
    if entity is not None:
        supplier_cells = supplier_cells.filter(entity=entity)
    result = SpendMap(year=year, entity=entity, family=family, years=[])
    result.years = _years(family_cells, result)
    if year is None and result.years:
        result.year = year = result.years[-1][0]  # the latest year with spend
    if year is None:
        return result
    off, families, entities = _grid(family_cells, result)
    result.suppliers = _suppliers(lines, supplier_cells, result, top)
    # The check adds up spend per buyer key (R2121-1): the buyers the entities found buy through are read
    # too, for their names, even when the reader does not see their own spend.
    buyers = {pk: entity.buyer_key_id for pk, entity in entities.items()}
    named = {**Entity.objects.in_bulk(set(buyers.values()) - set(entities)), **entities}
    result.splitting = splitting_check(
        year,
        off,
        families=families,
        entities=named,
        buyer_kind=territory_buyer_kind(),
        rows=rule_rows(),
        buyers=buyers,
    )
    return result
