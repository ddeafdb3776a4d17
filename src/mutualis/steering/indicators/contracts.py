"""Indicators read from the registry: activity, competition and responsible purchasing.

Three aggregate queries whatever the number of contracts: the contracts' sums, the holders' shares
(SMEs, local businesses) and the departments of the territory's members."""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.http import urlencode

from mutualis.contracts.enums import EnvironmentalConsideration, SocialConsideration
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.legal.vocabulary import Procedure
from mutualis.organisations.models import Entity
from mutualis.suppliers.models import SizeCategory

from ..scope import Scope
from .base import Value, cents, share, value

SOCIAL = (
    Q(social_considerations__has_element=SocialConsideration.CLAUSE)
    | Q(social_considerations__has_element=SocialConsideration.CRITERION)
    | Q(social_considerations__has_element=SocialConsideration.RESERVED)
)
ENVIRONMENTAL = Q(environmental_considerations__has_element=EnvironmentalConsideration.CLAUSE) | Q(
    environmental_considerations__has_element=EnvironmentalConsideration.CRITERION
)
RESERVED = Q(social_considerations__has_element=SocialConsideration.RESERVED)
# Offers are counted where there was competition: a contract passed without any has one offer by nature.
COMPETED = Q(offers_received__isnull=False) & ~Q(procedure=Procedure.NO_COMPETITION)


def notified_in(scope: Scope, user):
    """The registry's contracts notified in the scope's period, bought by its entity, of its family."""
    contracts = Contract.objects.for_user(user).filter(notification_date__range=(scope.start, scope.end))
    if scope.entity:
        contracts = contracts.filter(buyer=scope.entity)
    if scope.family:
        contracts = contracts.filter(family=scope.family)
    return contracts


def rows_url(scope: Scope, **extra) -> str:
    """The registry's list showing the contracts behind a figure."""
    params = {"notified_from": scope.start.isoformat(), "notified_to": scope.end.isoformat()}
    if scope.entity:
        params["buyer"] = scope.entity.pk
    if scope.family:
        params["family"] = scope.family.pk
    return f"{reverse('contracts:contract_list')}?{urlencode({**params, **extra})}"


def territory_departments() -> set[str]:
    """The départements where the territory has a member (from the members' INSEE commune codes)."""
    codes = Entity.objects.active().exclude(insee_code="").values_list("insee_code", flat=True)
    return {department_of(code) for code in codes}


def department_of(insee_code: str) -> str:
    # Overseas communes have a three-digit département (971…976); Corsica's 2A/2B are two characters.
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


def _local(prefix: str = "") -> Q:
    """The holders established in one of the territory's départements (`prefix`: the path to them)."""
    local = Q(pk__in=[])
    for department in territory_departments():
        local |= Q(**{f"{prefix}supplier__insee_code__startswith": department})
    return local


PART = DecimalField(max_digits=20, decimal_places=6)


def _holder_shares(contracts, group_by: str | None = None) -> dict:
    """The contracts' amounts shared equally between their holders, summed for SMEs and local ones;
    per value of the contract's field `group_by` when given ({value: sums}), else {None: sums}."""
    if group_by is None:
        return {None: _holder_totals(contracts)}
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


def _holder_totals(contracts) -> dict:
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


SUMS = {
    "count": Count("pk"),
    "total": Sum("amount"),
    "competed": Count("pk", filter=COMPETED),
    "offers": Sum("offers_received", filter=COMPETED),
    "single": Count("pk", filter=COMPETED & Q(offers_received=1)),
    "no_publicity": Count("pk", filter=Q(procedure=Procedure.NO_COMPETITION)),
    "social": Count("pk", filter=SOCIAL),
    "social_total": Sum("amount", filter=SOCIAL),
    "environmental": Count("pk", filter=ENVIRONMENTAL),
    "environmental_total": Sum("amount", filter=ENVIRONMENTAL),
    "reserved": Count("pk", filter=RESERVED),
}
NO_HOLDER = {"total": None, "sized": None, "sme": None, "located": None, "local": None}


def _figures(sums: dict, holders: dict) -> dict:
    """{code: figure} of the contract indicators from one group's sums."""
    count, amount = sums["count"], cents(sums["total"])
    competed = sums["competed"]
    return {
        "contracts_notified": count,
        "amount_notified": amount,
        "offers_average": (Decimal(sums["offers"]) / competed).quantize(Decimal("0.1")) if competed else None,
        "single_offer_share": share(sums["single"], competed),
        "no_publicity_share": share(sums["no_publicity"], count),
        "social_share": share(sums["social"], count),
        "social_amount_share": share(cents(sums["social_total"]), amount),
        "environmental_share": share(sums["environmental"], count),
        "environmental_amount_share": share(cents(sums["environmental_total"]), amount),
        "reserved_share": share(sums["reserved"], count),
        # Over the holders whose size or commune is known: an unknown one is no evidence either way.
        "sme_amount_share": share(cents(holders["sme"]), cents(holders["sized"])),
        "local_amount_share": share(cents(holders["local"]), cents(holders["located"])),
    }


CODES = tuple(_figures(dict.fromkeys(SUMS, 0), NO_HOLDER))


def contract_breakdown(scope: Scope, user, group_by: str) -> list[tuple[object, dict]]:
    """[(value of the contract's field `group_by`, {code: figure})], largest amount first."""
    contracts = notified_in(scope, user)
    groups = contracts.order_by().values(group_by).annotate(**SUMS)
    holders = _holder_shares(contracts, group_by)
    rows = [(row[group_by], _figures(row, holders.get(row[group_by], NO_HOLDER))) for row in groups]
    return sorted(rows, key=lambda row: -row[1]["amount_notified"])


def contract_indicators(scope: Scope, user) -> list[Value]:
    contracts = notified_in(scope, user)
    figures = _figures(contracts.aggregate(**SUMS), _holder_shares(contracts)[None])
    url = rows_url(scope)
    urls = {"no_publicity_share": rows_url(scope, procedure=Procedure.NO_COMPETITION)}
    notes = {
        "sme_amount_share": "Non disponible : la catégorie d'entreprise des titulaires n'est pas renseignée.",
        "local_amount_share": "Non disponible : la commune des titulaires n'est pas renseignée.",
    }
    return [
        *(
            value(
                code,
                figures[code],
                rows_url=urls.get(code, url),
                note=notes.get(code, "") if figures[code] is None and figures["contracts_notified"] else "",
            )
            for code in CODES
        ),
        value(
            "insertion_hours",
            None,
            note="Non disponible : les heures d'insertion réalisées ne sont pas encore recueillies.",
        ),
    ]
