"""Who may import spend for which entity: IMPORT_SPEND held by a role of the whole territory, or by a
role held in that entity (a referent imports their own establishment's mandates only)."""

from mutualis.organisations.acting_for import entities_for, entity_ids_for, may_act_for
from mutualis.organisations.roles import Perm


def importable_entity_ids(user) -> frozenset[int] | None:
    """None: every entity; else the entities the user may import for (maybe none)."""
    return entity_ids_for(user, Perm.IMPORT_SPEND)


def may_import_for(user, entity_id: int) -> bool:
    return may_act_for(user, Perm.IMPORT_SPEND, entity_id)


def importable_entities(user):
    return entities_for(user, Perm.IMPORT_SPEND)
