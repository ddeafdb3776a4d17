"""One holder awarded several contracts of one family in a year without publicity or competition: each
award may be lawful alone, together they may hide a need that called for a procedure."""

from collections import defaultdict
from datetime import date

from django.db.models import Count

from mutualis.contracts.models import ContractHolder
from mutualis.legal.vocabulary import Procedure

from .base import HIGH, Flag, contracts_of, euros, link_to

KIND = "repeated_no_publicity"
# A steering choice, not a legal value: from three awards in a family and a year the pattern is worth a
# look (two may be a contract and its follow-up).
REPEATED_AWARDS = 3


def find(scope, user, today) -> list[Flag]:
    contracts = contracts_of(scope, user).filter(
        notification_date__range=(date(scope.year, 1, 1), date(scope.year, 12, 31)),
        procedure=Procedure.NO_COMPETITION,
        family__isnull=False,
    )
    holders = ContractHolder.objects.filter(contract__in=contracts.values("pk"))
    repeated = (
        holders.order_by()
        .values("supplier", "contract__family")
        .annotate(awards=Count("contract", distinct=True))
        .filter(awards__gte=REPEATED_AWARDS)
        .values_list("supplier", "contract__family")
    )
    pairs = set(repeated)
    if not pairs:
        return []
    # One query for the contracts behind every pair found (a holder's contracts of the family).
    rows = (
        holders.filter(supplier__in={s for s, _ in pairs}, contract__family__in={f for _, f in pairs})
        .select_related("supplier", "contract__family")
        .order_by("contract__notification_date", "contract__reference")
    )
    grouped = defaultdict(list)
    for row in rows:
        if (row.supplier_id, row.contract.family_id) in pairs:
            grouped[(row.supplier_id, row.contract.family_id)].append(row)
    flags = []
    for (supplier_id, family_id), items in sorted(grouped.items()):
        supplier, family = items[0].supplier, items[0].contract.family
        total = sum(item.contract.amount for item in items)
        references = ", ".join(item.contract.reference for item in items)
        flags.append(
            Flag(
                kind=KIND,
                key=f"supplier:{supplier_id}:family:{family_id}:{scope.year}",
                title=f"{supplier.name} : {len(items)} contrats sans publicité en {scope.year}",
                explanation=(
                    f"{supplier.name} a reçu {len(items)} contrats de la famille {family.code} — "
                    f"{family.label} en {scope.year}, tous passés sans publicité ni mise en concurrence "
                    f"préalables, pour {euros(total)} HT au total ({references})."
                ),
                links=[link_to(item.contract) for item in items],
                severity=HIGH,
            )
        )
    return flags
