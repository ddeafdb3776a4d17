"""For which entities a person may ask the purchasing team for its services: REQUEST_SERVICES held by a
role of the whole territory (every entity), or by a role held in that entity (a prescriber asks for his
own entity)."""

from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm


def requestable_entity_ids(user) -> frozenset[int] | None:
    """None: every entity; else the entities the user may ask for (maybe none)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    ids = set()
    for entity_id, roles in access.roles_by_entity.items():
        for role in roles:
            if Perm.REQUEST_SERVICES in ROLE_PERMISSIONS[role]:
                if role in TERRITORY_WIDE_ROLES:
                    return None
                ids.add(entity_id)
    return frozenset(ids)


def may_request_for(user, entity_id: int) -> bool:
    ids = requestable_entity_ids(user)
    return ids is None or entity_id in ids


def requestable_entities(user):
    ids = requestable_entity_ids(user)
    entities = Entity.objects.filter(is_active=True).order_by("name")
    return entities if ids is None else entities.filter(pk__in=ids)
