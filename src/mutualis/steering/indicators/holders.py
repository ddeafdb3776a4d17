"""The holders' shares of the contracts' amounts (SMEs, local businesses): each holder of a contract gets
an equal part of its amount. Read from the cube's HolderCell for a reader of the whole registry, from the
contracts otherwise."""

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum

from mutualis.contracts.models import ContractHolder
from mutualis.organisations.models import Entity
from mutualis.suppliers.models import SizeCategory

from ..measures import grouped


def territory_departments() -> set[str]:
    """The départements where the territory has a member (from the members' INSEE commune codes)."""
    codes = Entity.objects.active().exclude(insee_code="").values_list("insee_code", flat=True)
    return {department_of(code) for code in codes}


def department_of(insee_code: str) -> str:
    # Overseas communes have a three-digit département (971…976); Corsica's 2A/2B are two characters.
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


def is_local(insee_code: str, departments: set[str] | None = None) -> bool | None:
    """Whether a business with this commune is located in the territory, by the indicators' definition
    (one of the territory's départements); None when its commune is unknown."""
    if not insee_code:
        return None
    return department_of(insee_code) in (territory_departments() if departments is None else departments)


def _local(prefix: str = "") -> Q:
    """The holders established in one of the territory's départements (`prefix`: the path to them)."""
    local = Q(pk__in=[])
    for department in territory_departments():
        local |= Q(**{f"{prefix}supplier__insee_code__startswith": department})
    return local


PART = DecimalField(max_digits=20, decimal_places=6)


def holder_shares(contracts, group_by: str | None = None) -> dict:
    """The contracts' amounts shared equally between their holders, summed for SMEs and local ones;
    per value of the contract's field `group_by` when given ({value: sums}), else {None: sums}."""
    if group_by is None:
        return {None: holder_totals(contracts)}
    # Grouped, each holder row counts its contract's holders in a correlated subquery (SQL cannot sum
    # per group over a per-contract aggregate without a subquery in FROM, which the ORM does not write).
    holders_of_contract = (
        ContractHolder.objects.filter(contract=OuterRef("contract"))
        .order_by()
        .values("contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    per_holder = F("contract__amount") / F("holders")
    sums = {
        "total": Sum(per_holder, output_field=PART),
        "sized": Sum(per_holder, filter=~Q(supplier__size_category=""), output_field=PART),
        "sme": Sum(per_holder, filter=Q(supplier__size_category=SizeCategory.PME), output_field=PART),
        "located": Sum(per_holder, filter=~Q(supplier__insee_code=""), output_field=PART),
        "local": Sum(per_holder, filter=_local(), output_field=PART),
    }
    rows = ContractHolder.objects.filter(contract__in=contracts.values("pk"))
    key = f"contract__{group_by}"
    grouped = rows.annotate(holders=Subquery(holders_of_contract)).order_by().values(key).annotate(**sums)
    return {row[key]: row for row in grouped}


def holder_totals(contracts) -> dict:
    """The same sums for the whole scope, per contract first: its holders counted in one join and GROUP
    BY (amount × matching holders / holders is the equal split), then summed. The correlated count per
    holder row looped once per row and per sum: seconds at 100,000 contracts a year on PostgreSQL."""
    supplier = "holder_links__supplier__"
    per_contract = (
        contracts.order_by()
        .annotate(
            n=Count("holder_links"),
            n_sized=Count("holder_links", filter=~Q(**{f"{supplier}size_category": ""})),
            n_sme=Count("holder_links", filter=Q(**{f"{supplier}size_category": SizeCategory.PME})),
            n_located=Count("holder_links", filter=~Q(**{f"{supplier}insee_code": ""})),
            n_local=Count("holder_links", filter=_local("holder_links__")),
        )
        .filter(n__gt=0)
    )
    counts = {"total": "n", "sized": "n_sized", "sme": "n_sme", "located": "n_located", "local": "n_local"}
    return per_contract.aggregate(
        **{name: Sum(F("amount") * F(count) / F("n"), output_field=PART) for name, count in counts.items()}
    )


NO_HOLDER = {"total": None, "sized": None, "sme": None, "located": None, "local": None}


def cube_holder_sums(cells, fields: tuple) -> dict:
    """The same sums from the cube's holder cells, by the cells' `fields`."""
    sums = {
        "total": Sum("amount"),
        "sized": Sum("amount", filter=~Q(size_category="")),
        "sme": Sum("amount", filter=Q(size_category=SizeCategory.PME)),
        "located": Sum("amount", filter=~Q(department="")),
        "local": Sum("amount", filter=Q(department__in=territory_departments())),
    }
    return grouped(cells, fields, sums)
