"""The spend map's links and shares: every figure leads to the spend lines behind it."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from mutualis.core.formats import percent

register = template.Library()
SHARE_STEP = Decimal("0.001")  # shares shown to a tenth of a per cent
OFF = {"off": "oui", "on": "non"}


@register.filter
def lines_url(figures, which: str = "") -> str:
    """{{ figures|lines_url }}, {{ figures|lines_url:"off" }}: the list filtered on the figure's rows
    (only those off contract, or under contract). A flag of the splitting check has its params too."""
    params = dict(figures.params)
    if which in OFF:
        params["off_contract"] = OFF[which]
    return f"{reverse('spend:line_list')}?{urlencode(params)}"


@register.filter
def share(figures) -> str:
    """The share under contract, « 83,3 % », or — without spend."""
    value = figures.share
    return "—" if value is None else percent(value.quantize(SHARE_STEP))


@register.filter
def bar_width(amount, largest) -> str:
    """A bar's width in per cent of the largest, for the charts' inline style (« 42.5 »)."""
    if not largest:
        return "0"
    return f"{Decimal(amount) * 100 / Decimal(largest):.1f}"
