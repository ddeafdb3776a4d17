"""Splitting: purchases of one family and one year that each stayed under a procedure threshold their
total reaches. Two sources, each read by its own module: the registry's contracts passed separately
(needs.opportunities.splitting_alerts, thresholds of the year's last day) and an entity's off-contract
spend of the fiscal year (spend.splitting through the spend map, thresholds of 1 January). Both add up
one buyer's purchases only (R2121-1), never those of independent buyers. The check is
yearly: a quarter's scope reads its whole year."""

from datetime import date

from django.db.models import Max, Sum
from django.urls import reverse
from django.utils.http import urlencode

from mutualis.needs.opportunities import splitting_alerts, splitting_alerts_of
from mutualis.organisations.models import Entity
from mutualis.spend.models import SpendFamilyCell, SpendLine
from mutualis.spend.spendmap import spend_map

from ..cube import cells_in, reads_cube
from ..measures import grouped
from ..models import ContractCell
from ..scope import Scope
from .base import HIGH, Flag, contracts_of, euros

KIND = "splitting"


def _family(family) -> str:
    return f"Famille {family.code} — {family.label}"


def _registry_key(alert, year: int, default_buyer) -> str:
    # The territory's default buyer keeps the key flags had before they were per buyer, so that the
    # acknowledgements made then still find their flag.
    key = f"family:{alert.family.pk}:{year}"
    buyer_id = getattr(alert.buyer, "pk", None)
    return key if buyer_id == getattr(default_buyer, "pk", None) else f"{key}:buyer:{buyer_id}"


def _registry_alerts(scope, user):
    """The year's alerts from the steering cube's standalone contracts for a reader of the whole
    registry, from the contracts otherwise: the same rows either way."""
    if not reads_cube(user):
        contracts = contracts_of(scope, user).filter(notification_date__year=scope.year)
        return splitting_alerts(years=1, today=date(scope.year, 12, 31), contracts=contracts)
    year = Scope(scope.year, entity=scope.entity, family=scope.family)
    sums = {"n": Sum("standalone"), "total": Sum("standalone_amount"), "largest": Max("standalone_largest")}
    cells = grouped(
        cells_in(ContractCell, year).filter(family__isnull=False), ("family", "year", "buyer"), sums
    )
    rows = [
        {"family": family, "year": year, "buyer": buyer, **figures}
        for (family, year, buyer), figures in sorted(cells.items())
        if figures["n"] >= 2
    ]
    return splitting_alerts_of(rows)


def _from_registry(scope, user) -> list[Flag]:
    """One flag per family and buyer: the alerts never add two buyers' contracts (R2121-1)."""
    last_day = date(scope.year, 12, 31)
    by_family: dict[tuple, list] = {}
    for alert in _registry_alerts(scope, user):
        by_family.setdefault((alert.family.pk, getattr(alert.buyer, "pk", None)), []).append(alert)
    params = {"notified_from": date(scope.year, 1, 1).isoformat(), "notified_to": last_day.isoformat()}
    default_buyer = Entity.objects.support_establishment() if by_family else None
    flags = []
    for alerts in by_family.values():
        alert = max(alerts, key=lambda item: item.threshold)  # the highest threshold reached
        reached = ", ".join(f"« {item.threshold_name} » ({euros(item.threshold)})" for item in alerts)
        query = {**params, "family": alert.family.pk}
        if alert.buyer:
            query["buyer"] = alert.buyer.pk
        url = f"{reverse('contracts:contract_list')}?{urlencode(query)}"
        by = f" Acheteur : {alert.buyer}." if alert.buyer else ""
        flags.append(
            Flag(
                kind=KIND,
                key=_registry_key(alert, scope.year, default_buyer),
                title=f"{_family(alert.family)} : achats {scope.year} fractionnés (registre)",
                explanation=(
                    f"{_family(alert.family)}, {scope.year} : {alert.purchases} contrats passés séparément "
                    f"pour {euros(alert.total)} HT au total, le plus important de {euros(alert.largest)} ; "
                    f"le total atteint le seuil {reached} que chacun restait sous.{by}"
                ),
                links=[(f"Contrats {scope.year} de la famille {alert.family.code}", url)],
                severity=HIGH,
            )
        )
    return flags


def _whose(item) -> str:
    """The entities behind a buyer's flag, when they are others than the buyer alone."""
    if item.entities == [item.buyer]:
        return ""
    return f" (dépenses de {', '.join(str(entity) for entity in item.entities)})"


def _from_spend(scope, user) -> list[Flag]:
    result = spend_map(
        SpendLine.objects.for_user(user),
        SpendFamilyCell.objects.for_user(user),
        year=scope.year,
        entity=scope.entity,
        family=scope.family,
        top=0,
    )
    if result.splitting is None:
        return []
    flags = []
    for item in result.splitting.flags:
        highest = item.highest
        url = f"{reverse('spend:line_list')}?{urlencode(item.params)}"
        flags.append(
            Flag(
                kind=KIND,
                # Per buyer now (R2121-1); a buyer's key keeps the shape entity keys had.
                key=f"family:{item.family.pk}:{item.year}:entity:{item.buyer.pk}",
                title=f"{_family(item.family)} : dépense {item.year} hors marché de {item.buyer}",
                explanation=(
                    f"{_family(item.family)}, exercice {item.year}, {item.buyer}{_whose(item)} : "
                    f"{item.lines} mandat(s) "
                    f"hors marché pour {euros(item.amount)} HT, au-delà du seuil « {highest.label} » "
                    f"({euros(highest.value)}, {highest.reference})."
                ),
                links=[(f"Mandats hors marché {item.year} de {item.buyer}", url)],
                severity=HIGH,
            )
        )
    return flags


def find(scope, user, today) -> list[Flag]:
    return _from_registry(scope, user) + _from_spend(scope, user)
