"""Performance indicators from the gains module and from spend: a figure only where there is data."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode

from mutualis.gains.models import Gain
from mutualis.spend.models import SpendLine

from ..scope import Scope
from .base import Value, cents, share, value

NO_QUARTER = "Non disponible pour un trimestre : la méthode PHARE compte les gains par année."


def _gains(scope: Scope, user) -> Value:
    if scope.quarter:
        return value("gains", None, note=NO_QUARTER)
    gains = Gain.objects.for_user(user).counted()
    if scope.entity:
        gains = gains.filter(entity=scope.entity)
    if scope.family:
        gains = gains.filter(family=scope.family)
    year = scope.year
    totals = gains.in_year(year).aggregate(
        gain_n=Sum("gain_year_n", filter=Q(year_n=year)),
        gain_n1=Sum("gain_year_n1", filter=Q(year_n=year - 1)),
        records=Count("pk"),
    )
    url = f"{reverse('gains:summary')}?{urlencode({'year': year})}"
    if not totals["records"]:
        return value("gains", None, rows_url=url, note="Non disponible : aucun gain déclaré pour la période.")
    return value("gains", cents(totals["gain_n"]) + cents(totals["gain_n1"]), rows_url=url)


def _spend(scope: Scope, user) -> Value:
    lines = SpendLine.objects.for_user(user).filter(paid_on__range=(scope.start, scope.end))
    if scope.entity:
        lines = lines.filter(entity=scope.entity)
    if scope.family:
        lines = lines.filter(family=scope.family)
    sums = lines.aggregate(total=Sum("amount_ht"), on=Sum("amount_ht", filter=Q(contract__isnull=False)))
    url = f"{reverse('spend:map')}?{urlencode({'year': scope.year})}"
    if sums["total"] is None:
        return value(
            "spend_under_contract_share",
            None,
            rows_url=url,
            note="Non disponible : aucune dépense importée pour la période.",
        )
    return value("spend_under_contract_share", share(cents(sums["on"]), cents(sums["total"])), rows_url=url)


def performance_indicators(scope: Scope, user) -> list[Value]:
    return [_gains(scope, user), _spend(scope, user)]
