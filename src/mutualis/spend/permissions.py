"""Who may import spend for which entity: IMPORT_SPEND held by a role of the whole territory, or by a
role held in that entity (a referent imports their own establishment's mandates only)."""

from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm


def importable_entity_ids(user) -> frozenset[int] | None:
    """None: every entity; else the entities the user may import for (maybe none)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    ids = set()
    for entity_id, roles in access.roles_by_entity.items():
        for role in roles:
            if Perm.IMPORT_SPEND in ROLE_PERMISSIONS[role]:
                if role in TERRITORY_WIDE_ROLES:
                    return None
                ids.add(entity_id)
    return frozenset(ids)


def may_import_for(user, entity_id: int) -> bool:
    ids = importable_entity_ids(user)
    return ids is None or entity_id in ids


def importable_entities(user):
    ids = importable_entity_ids(user)
    entities = Entity.objects.filter(is_active=True).order_by("name")
    return entities if ids is None else entities.filter(pk__in=ids)
