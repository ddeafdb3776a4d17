"""For which entities a person may declare an incident: DECLARE_INCIDENTS held by a role of the whole
territory (every entity), or by a role held in that entity (a referent declares for his own entities)."""

from mutualis.organisations.acting_for import entities_for, entity_ids_for, may_act_for
from mutualis.organisations.roles import Perm


def declarable_entity_ids(user) -> frozenset[int] | None:
    """None: every entity; else the entities the user may declare for (maybe none)."""
    return entity_ids_for(user, Perm.DECLARE_INCIDENTS)


def may_declare_for(user, entity_id: int) -> bool:
    return may_act_for(user, Perm.DECLARE_INCIDENTS, entity_id)


def declarable_entities(user):
    return entities_for(user, Perm.DECLARE_INCIDENTS)
