"""Indicators read from the registry: activity, competition and responsible purchasing.

Three aggregate queries whatever the number of contracts: the contracts' sums, the holders' shares
(SMEs, local businesses) and the departments of the territory's members. For a reader who sees the whole
registry they read the steering cube (steering/cube.py), otherwise the contracts themselves."""

from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from mutualis.contracts.models import Contract
from mutualis.legal.vocabulary import Procedure

from ..cube import cells_in, reads_cube
from ..measures import COMPETED, ENVIRONMENTAL, RESERVED, SOCIAL, SUMS, cell_sums, grouped
from ..models import ContractCell, HolderCell
from ..scope import Scope
from .base import Value, cents, share, value
from .holders import NO_HOLDER, cube_holder_sums, holder_shares

__all__ = [
    "COMPETED",
    "ENVIRONMENTAL",
    "RESERVED",
    "SOCIAL",
    "SUMS",
    "contract_indicators",
    "holder_indicators",
]
# The breakdowns the cube holds; the others (the buyer in charge; the holders by procedure) read the
# contracts.
CUBE_DIMENSIONS = (None, "buyer", "family", "procedure")
HOLDER_DIMENSIONS = (None, "buyer", "family")


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


def _figures(sums: dict, holders: dict) -> dict:
    """{code: figure} of the contract indicators from one group's sums."""
    count, amount = sums["contracts"], cents(sums["amount"])
    competed = sums["competed"]
    return {
        "contracts_notified": count,
        "amount_notified": amount,
        "offers_average": (Decimal(sums["offers"]) / competed).quantize(Decimal("0.1")) if competed else None,
        "single_offer_share": share(sums["single"], competed),
        "no_publicity_share": share(sums["no_publicity"], count),
        "social_share": share(sums["social"], count),
        "social_amount_share": share(cents(sums["social_amount"]), amount),
        "environmental_share": share(sums["environmental"], count),
        "environmental_amount_share": share(cents(sums["environmental_amount"]), amount),
        "reserved_share": share(sums["reserved"], count),
        # Over the holders whose size or commune is known: an unknown one is no evidence either way.
        "sme_amount_share": share(cents(holders["sme"]), cents(holders["sized"])),
        "local_amount_share": share(cents(holders["local"]), cents(holders["located"])),
    }


CODES = tuple(_figures(dict.fromkeys(SUMS, 0), NO_HOLDER))


def _contract_sums(scope: Scope, user, group_by: str | None) -> dict:
    """{group: the contracts' SUMS}; the group None is the whole scope."""
    fields = (group_by,) if group_by else ()
    if group_by in CUBE_DIMENSIONS and reads_cube(user):
        return _by_value(grouped(cells_in(ContractCell, scope), fields, cell_sums()))
    return _by_value(grouped(notified_in(scope, user), fields, SUMS))


def _holder_sums(scope: Scope, user, group_by: str | None) -> dict:
    """{group: the holders' sums (steering/indicators/holders.py)}."""
    fields = (group_by,) if group_by else ()
    if group_by in HOLDER_DIMENSIONS and reads_cube(user):
        return _by_value(cube_holder_sums(cells_in(HolderCell, scope), fields))
    return holder_shares(notified_in(scope, user), group_by)


def _by_value(groups: dict) -> dict:
    """{(value,): sums} or {(): sums} as {value: sums} or {None: sums}."""
    return {key[0] if key else None: sums for key, sums in groups.items()}


def contract_breakdown(scope: Scope, user, group_by: str) -> list[tuple[object, dict]]:
    """[(value of the contract's field `group_by`, {code: figure})], largest amount first."""
    groups, holders = _contract_sums(scope, user, group_by), _holder_sums(scope, user, group_by)
    rows = [(key, _figures(sums, holders.get(key, NO_HOLDER))) for key, sums in groups.items()]
    return sorted(rows, key=lambda row: -row[1]["amount_notified"])


HOLDER_CODES = ("sme_amount_share", "local_amount_share")
CONTRACT_CODES = tuple(code for code in CODES if code not in HOLDER_CODES)


def contract_indicators(scope: Scope, user) -> list[Value]:
    figures = _figures(_contract_sums(scope, user, None)[None], NO_HOLDER)
    url = rows_url(scope)
    urls = {"no_publicity_share": rows_url(scope, procedure=Procedure.NO_COMPETITION)}
    return [
        *(value(code, figures[code], rows_url=urls.get(code, url)) for code in CONTRACT_CODES),
        value(
            "insertion_hours",
            None,
            note="Non disponible : les heures d'insertion réalisées ne sont pas encore recueillies.",
        ),
    ]


def holder_indicators(scope: Scope, user) -> list[Value]:
    """The SME and local shares: a query of their own, which pages that show neither do not run."""
    holders = _holder_sums(scope, user, None)[None]
    figures = _figures(dict.fromkeys(SUMS, 0), holders)
    notes = {
        "sme_amount_share": "Non disponible : la catégorie d'entreprise des titulaires n'est pas renseignée.",
        "local_amount_share": "Non disponible : la commune des titulaires n'est pas renseignée.",
    }
    url, counted = rows_url(scope), cents(holders["total"])
    return [
        value(
            code, figures[code], rows_url=url, note=notes[code] if figures[code] is None and counted else ""
        )
        for code in HOLDER_CODES
    ]
