"""For which entities a person may act with a permission that an entity role holds for its own entities
only (import spend, declare an incident, ask the purchasing team for help): every entity when a role of
the whole territory grants it, else the entities where one of the person's roles grants it."""

from .access import access_for
from .models import Entity


def entity_ids_for(user, perm) -> frozenset[int] | None:
    """None: every entity; else the entities the user may act for (maybe none)."""
    return access_for(user).entity_ids_with(perm)


def may_act_for(user, perm, entity_id: int) -> bool:
    ids = entity_ids_for(user, perm)
    return ids is None or entity_id in ids


def entities_for(user, perm):
    """The active entities the user may act for, by name (a form's choices)."""
    ids = entity_ids_for(user, perm)
    entities = Entity.objects.filter(is_active=True).order_by("name")
    return entities if ids is None else entities.filter(pk__in=ids)
