"""The need lines' workflow, declared as data: which transition, by which roles."""

from mutualis.organisations.roles import Role

from .models import NeedStatus

ENTITY_SIDE = frozenset({Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.ADMIN, Role.BUYER})
TEAM_SIDE = frozenset({Role.BUYER, Role.ADMIN})

# (from, to) -> roles allowed; the referent's own entity is checked by the service.
TRANSITIONS: dict[tuple[str, str], frozenset[Role]] = {
    (NeedStatus.DRAFT, NeedStatus.SUBMITTED): ENTITY_SIDE,
    (NeedStatus.RETURNED, NeedStatus.SUBMITTED): ENTITY_SIDE,
    (NeedStatus.SUBMITTED, NeedStatus.VALIDATED): TEAM_SIDE,
    (NeedStatus.SUBMITTED, NeedStatus.RETURNED): TEAM_SIDE,
    (NeedStatus.VALIDATED, NeedStatus.RETURNED): TEAM_SIDE,
}
EDITABLE = frozenset({NeedStatus.DRAFT, NeedStatus.RETURNED})
COMMENT_REQUIRED = frozenset({NeedStatus.RETURNED})
