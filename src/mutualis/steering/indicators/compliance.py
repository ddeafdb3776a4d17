"""Legal compliance indicators: the DECP published on time here; the others count the risk flags."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from mutualis.legal.publication import publication_windows

from ..cube import cells_in, day_spans, reads_cube
from ..flags import flags_of_kind
from ..measures import grouped
from ..models import ContractCell
from ..scope import Scope
from .base import Value, share, value
from .contracts import notified_in, rows_url


def decp_on_time(scope: Scope, user, today=None) -> tuple[int, int]:
    """(on time, counted) among the period's contracts subject to publication. A contract counts once
    it is published or its deadline has passed: the cube holds the published ones, and those still
    unpublished past their deadline are counted from the contracts (a partial index keeps them few)."""
    today = today or timezone.localdate()
    if not reads_cube(user):
        return _decp_on_time_live(scope, user, today)
    sums = grouped(
        cells_in(ContractCell, scope),
        (),
        {"published": Sum("published", default=0), "on_time": Sum("on_time", default=0)},
    )[()]
    late = notified_in(scope, user).publication_late(today).count()
    return sums["on_time"], sums["published"] + late


def _decp_on_time_live(scope: Scope, user, today) -> tuple[int, int]:
    """The same from the contracts. Published dates are compared in SQL against the fewest and the most
    days the deadline can last (steering.cube.day_spans: 59 to 62 for two months); the few in between
    are decided one by one."""
    on_time = counted = 0
    for window in publication_windows():
        start = max(scope.start, window.valid_from)
        end = min(scope.end, window.until - timedelta(days=1)) if window.until else scope.end
        if start > end:
            continue
        months = relativedelta(months=window.deadline_months)
        shortest, longest = day_spans(window.deadline_months)
        contracts = notified_in(scope, user).filter(
            notification_date__range=(start, end), amount__gte=window.minimum_amount
        )
        published = Q(data_published_on__isnull=False)
        overdue = Q(data_published_on__isnull=True, notification_date__lt=today - months)
        sums = contracts.aggregate(
            counted=Count("pk", filter=published | overdue),
            surely_on_time=Count(
                "pk", filter=Q(data_published_on__lte=F("notification_date") + timedelta(days=shortest))
            ),
        )
        between = (
            contracts.order_by()
            .filter(
                data_published_on__gt=F("notification_date") + timedelta(days=shortest),
                data_published_on__lte=F("notification_date") + timedelta(days=longest),
            )
            .values_list("notification_date", "data_published_on")
        )
        on_time += sums["surely_on_time"] + sum(1 for notified, out in between if out <= notified + months)
        counted += sums["counted"]
    return on_time, counted


# The compliance counts are the risk flags of these kinds (steering/flags): one definition for both.
FLAG_KINDS = {
    "amendments_over_limit": "amendments_over_limit",
    "renewals_late": "renewal_late",
    "splitting_flags": "splitting",
}


def decp_indicators(scope: Scope, user) -> list[Value]:
    on_time, counted = decp_on_time(scope, user, timezone.localdate())
    url = rows_url(scope, publication_late=True)
    return [value("decp_on_time_share", share(on_time, counted), rows_url=url)]


def flag_indicators(scope: Scope, user) -> list[Value]:
    today = timezone.localdate()
    values = []
    for code, kind in FLAG_KINDS.items():
        flags = flags_of_kind(kind, scope, user, today)
        url = f"{reverse('steering:flag_list')}?{urlencode({**scope.query(), 'kind': kind})}"
        values.append(value(code, len(flags), rows_url=url))
    return values
