from django import template

register = template.Library()


@register.filter
def has_perm(access, perm) -> bool:
    """{% if access|has_perm:Perm.MANAGE_SUPPLIERS %}: the role matrix, read from templates."""
    return bool(access) and access.has(perm)


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }}: a dict lookup with a variable key."""
    return mapping.get(key) if mapping else None
