"""What one user may see and do: computed once per request from their memberships."""

from dataclasses import dataclass

from .roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm, Role

_CACHE_ATTR = "_mutualis_access"


@dataclass(frozen=True)
class Access:
    """The roles of a user per entity, and what follows from them."""

    is_superuser: bool
    roles_by_entity: dict[int, frozenset[Role]]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset().union(*self.roles_by_entity.values()) if self.roles_by_entity else frozenset()

    @property
    def sees_whole_territory(self) -> bool:
        return self.is_superuser or bool(self.roles & TERRITORY_WIDE_ROLES)

    @property
    def entity_ids(self) -> frozenset[int] | None:
        """Entities in scope; None means every entity of the territory."""
        return None if self.sees_whole_territory else frozenset(self.roles_by_entity)

    def has(self, perm: Perm) -> bool:
        return self.is_superuser or any(perm in ROLE_PERMISSIONS[role] for role in self.roles)

    def can_see_entity(self, entity_id: int) -> bool:
        scope = self.entity_ids
        return scope is None or entity_id in scope

    def entity_ids_with(self, perm: Perm) -> frozenset[int] | None:
        """The entities for which the user holds `perm`: every one (None) when a role of the whole territory
        grants it, else those where one of the user's roles there grants it (maybe none). What a referent may
        import, declare or ask for his own entities only."""
        if self.is_superuser:
            return None
        ids = set()
        for entity_id, roles in self.roles_by_entity.items():
            for role in roles:
                if perm in ROLE_PERMISSIONS[role]:
                    if role in TERRITORY_WIDE_ROLES:
                        return None
                    ids.add(entity_id)
        return frozenset(ids)


NO_ACCESS = Access(is_superuser=False, roles_by_entity={})


def access_for(user) -> Access:
    """The user's Access, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        roles: dict[int, set[Role]] = {}
        for entity_id, role in user.memberships.filter(entity__is_active=True).values_list(
            "entity_id", "role"
        ):
            roles.setdefault(entity_id, set()).add(Role(role))
        cached = Access(
            is_superuser=user.is_superuser,
            roles_by_entity={entity_id: frozenset(r) for entity_id, r in roles.items()},
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_access(user) -> None:
    """Drop the cached Access after the user's memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
