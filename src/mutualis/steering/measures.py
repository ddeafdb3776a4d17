"""What the contract indicators count, contract by contract: one definition for the live sums and for the
cube that keeps them (steering/cube.py)."""

from django.db.models import Count, Max, Q, Sum

from mutualis.contracts.enums import EnvironmentalConsideration, SocialConsideration
from mutualis.legal.vocabulary import Procedure

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

# Not a subsequent contract of a framework agreement: the framework's own value counts for them.
STANDALONE = Q(framework__isnull=True)

# The sums over contracts, named as the cube's columns (ContractCell).
SUMS = {
    "contracts": Count("pk"),
    "amount": Sum("amount"),
    "competed": Count("pk", filter=COMPETED),
    "offers": Sum("offers_received", filter=COMPETED),
    "single": Count("pk", filter=COMPETED & Q(offers_received=1)),
    "no_publicity": Count("pk", filter=Q(procedure=Procedure.NO_COMPETITION)),
    "social": Count("pk", filter=SOCIAL),
    "social_amount": Sum("amount", filter=SOCIAL),
    "environmental": Count("pk", filter=ENVIRONMENTAL),
    "environmental_amount": Sum("amount", filter=ENVIRONMENTAL),
    "reserved": Count("pk", filter=RESERVED),
    "standalone": Count("pk", filter=STANDALONE),
    "standalone_amount": Sum("amount", filter=STANDALONE),
    "standalone_largest": Max("amount", filter=STANDALONE),
}


def cell_sums(names=tuple(SUMS)) -> dict:
    """The same figures summed over the cube's cells (the largest amount is the largest of theirs)."""
    return {name: Max(name) if name == "standalone_largest" else Sum(name, default=0) for name in names}


def grouped(queryset, fields: tuple, sums: dict) -> dict[tuple, dict]:
    """{values of `fields` (() for the whole queryset): {name: sum}}. The sums are aliased on the way,
    since an annotation may not take the name of a field it sums (ContractCell.amount, Contract.amount)."""
    aliased = {f"sum_{name}": expression for name, expression in sums.items()}
    if not fields:
        row = queryset.aggregate(**aliased)
        return {(): {name: row[f"sum_{name}"] for name in sums}}
    rows = queryset.order_by().values(*fields).annotate(**aliased)
    return {tuple(row[f] for f in fields): {name: row[f"sum_{name}"] for name in sums} for row in rows}
