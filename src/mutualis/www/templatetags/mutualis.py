from decimal import Decimal

from django import template

from mutualis.core.formats import number
from mutualis.core.french import of, of_parts
from mutualis.legal.wording import describe_version

register = template.Library()


@register.filter
def has_perm(access, perm) -> bool:
    """{% if access|has_perm:Perm.MANAGE_SUPPLIERS %}: the role matrix, read from templates."""
    return bool(access) and access.has(perm)


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }}: a dict lookup with a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def legal_version(version: str) -> str:
    """{{ project.thresholds_version|legal_version }}: « seuils en vigueur au 1er avril 2026 (décret …) »."""
    return describe_version(version)


@register.filter
def de(name) -> str:
    """{{ territory.name|de }}: « du Groupement… », « de la Région… », « d'Amiens »."""
    return of(name)


@register.filter
def de_parts(name) -> tuple[str, str]:
    """{% with parts=name|de_parts %}{{ parts.0 }}<strong>{{ parts.1 }}</strong>: the article kept outside."""
    return of_parts(name)


@register.filter
def amount(value, decimals=2) -> str:
    """{{ line.estimated_amount|amount }}: the one way amounts are written (« 52 500,00 »); — when empty.
    `amount:"2-4"`: at least 2 decimals, up to 4 where they count (a unit price: « 0,0425 », « 84 000,00 »);
    `amount:"0-4"` for a quantity (« 1 », « 2,5 »)."""
    if value is None or value == "":
        return "—"
    text = str(decimals)
    if "-" not in text:
        return number(value, int(text))
    fewest, most = (int(part) for part in text.split("-"))
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return number(value, max(fewest, min(most, -exponent if isinstance(exponent, int) else most)))
