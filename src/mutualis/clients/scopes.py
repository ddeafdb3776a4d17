"""For which entities a person may ask the purchasing team for its services: REQUEST_SERVICES held by a
role of the whole territory (every entity), or by a role held in that entity (a prescriber asks for his
own entity)."""

from mutualis.organisations.acting_for import entities_for, entity_ids_for, may_act_for
from mutualis.organisations.roles import Perm


def requestable_entity_ids(user) -> frozenset[int] | None:
    """None: every entity; else the entities the user may ask for (maybe none)."""
    return entity_ids_for(user, Perm.REQUEST_SERVICES)


def may_request_for(user, entity_id: int) -> bool:
    return may_act_for(user, Perm.REQUEST_SERVICES, entity_id)


def requestable_entities(user):
    return entities_for(user, Perm.REQUEST_SERVICES)
