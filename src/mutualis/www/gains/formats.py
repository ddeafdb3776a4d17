"""How a gain is written on the pages: a negative gain (a dearer new situation) keeps its minus sign
and says « surcoût » in words, so it is never told by colour alone (RGAA 3.1)."""

from django.utils.html import format_html

from mutualis.core.formats import number


def signed_amount(value, *, unit: str = "") -> str:
    if value is None or value == "":
        return "—"
    suffix = f"\u00a0{unit}" if unit else ""
    if value < 0:
        return format_html(
            '<span class="text-nowrap">−{}{}</span> <span class="badge text-bg-warning">surcoût</span>',
            number(-value),
            suffix,
        )
    return format_html('<span class="text-nowrap">{}{}</span>', number(value), suffix)
