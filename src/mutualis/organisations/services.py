"""Writes on the territory's people: granting and revoking roles."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .access import access_for, forget_access
from .models import Entity, Membership, User
from .roles import Perm, Role


def _require(actor, perm: Perm) -> None:
    if not access_for(actor).has(perm):
        raise PermissionDenied


@transaction.atomic
def membership_grant(*, actor, user: User, entity: Entity, role: Role) -> Membership:
    """Give `user` the `role` in `entity`; refuses a duplicate with a clear message."""
    _require(actor, Perm.MANAGE_MEMBERSHIPS)
    if Membership.objects.filter(user=user, entity=entity, role=role).exists():
        raise ValidationError(f"{user} a déjà le rôle « {Role(role).label} » dans {entity}.")
    membership = Membership.objects.create(user=user, entity=entity, role=role)
    forget_access(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    """Withdraw a role; an administrator cannot withdraw the last administrator role of the territory."""
    _require(actor, Perm.MANAGE_MEMBERSHIPS)
    if membership.role == Role.ADMIN and Membership.objects.filter(role=Role.ADMIN).count() == 1:
        raise ValidationError(
            "C'est le dernier rôle d'administrateur du territoire : attribuez-en un autre d'abord."
        )
    membership.delete()
    forget_access(membership.user)
