from django import template

from mutualis.www.gains.formats import signed_amount

register = template.Library()


@register.filter
def gain_amount(value) -> str:
    """{{ figures.total|gain_amount }}: « 1 234,00 € », or « −1 234,00 € surcoût » written out."""
    return signed_amount(value, unit="€")
