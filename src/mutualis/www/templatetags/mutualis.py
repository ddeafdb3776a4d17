from django import template

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
