from django import template

register = template.Library()


@register.filter
def has_perm(access, perm) -> bool:
    """{% if access|has_perm:Perm.MANAGE_SUPPLIERS %}: the role matrix, read from templates."""
    return bool(access) and access.has(perm)
