"""Writes on the territory's members and people: entities, granting and revoking roles."""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .access import access_for, forget_access
from .groups import PurchasingGroup
from .models import Entity, Membership, Territory, User
from .roles import Perm, Role


def _require(actor, perm: Perm) -> None:
    """Refuse a person without the permission; actor None is the system itself (demo, loaders)."""
    if actor is not None and not access_for(actor).has(perm):
        raise PermissionDenied


@transaction.atomic
def entity_save(*, actor, entity: Entity) -> Entity:
    """Create or change a member entity, checked as a form would (SIRET, FINESS, commune); actor None = the
    system (demo, loaders)."""
    _require(actor, Perm.MANAGE_ENTITIES)
    entity.full_clean()
    entity.save()
    return entity


@transaction.atomic
def territory_save(*, actor, territory: Territory) -> Territory:
    """Change the territory's name, kind and visual identity; actor None = the system (demo)."""
    _require(actor, Perm.CONFIGURE_TERRITORY)
    territory.full_clean()
    territory.save()
    return territory


@transaction.atomic
def user_save(*, actor, user: User) -> User:
    """Change a person's details (not their roles, nor their password); actor None = the system (demo)."""
    _require(actor, Perm.MANAGE_MEMBERSHIPS)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def group_save(*, actor, group: PurchasingGroup, members, scope_families) -> PurchasingGroup:
    """Create or change a joint purchasing group with its members and the families it covers."""
    _require(actor, Perm.MANAGE_GROUPS)
    group.full_clean()
    group.save()
    group.members.set(members)
    group.scope_families.set(scope_families)
    return group


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


@transaction.atomic
def user_invite(*, actor, user: User, entity: Entity, role: Role, request=None) -> User:
    """Create the account with its first role, without a password, and e-mail a link to choose one."""
    _require(actor, Perm.MANAGE_MEMBERSHIPS)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, entity=entity, role=role)
    if user.email:
        # Sent after commit: no e-mail for an account that was rolled back.
        transaction.on_commit(lambda: _send_password_link(user, request))
    return user


def _send_password_link(user: User, request) -> None:
    # Django's reset form skips accounts without a usable password: build the same link here.
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "domain": request.get_host() if request else "localhost:8000",
        "protocol": "https" if request and request.is_secure() else "http",
    }
    subject = render_to_string("registration/account_invite_subject.txt", context).strip()
    body = render_to_string("registration/account_invite_email.txt", context)
    send_mail(subject, body, None, [user.email])
