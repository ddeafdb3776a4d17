"""Performance indicators from the gains module and from spend: a figure only where there is data."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode

from mutualis.gains.models import Gain
from mutualis.spend.models import SpendFamilyCell, SpendLine

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
    """The fiscal year's payment orders (those of its complementary period paid in January included);
    a year is read from the spend map's cube (kept by every write of lines), a quarter from the lines."""
    if scope.quarter:
        rows = SpendLine.objects.filter(fiscal_year=scope.year, paid_on__range=(scope.start, scope.end))
        amount, on_contract = "amount_ht", Q(contract__isnull=False)
    else:
        rows = SpendFamilyCell.objects.filter(fiscal_year=scope.year)
        amount, on_contract = "amount", Q(off=False)
    rows = rows.for_user(user)
    if scope.entity:
        rows = rows.filter(entity=scope.entity)
    if scope.family:
        rows = rows.filter(family=scope.family)
    sums = rows.aggregate(total=Sum(amount), on=Sum(amount, filter=on_contract))
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
