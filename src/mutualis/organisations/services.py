"""Writes on the territory's members and people: entities, granting and revoking roles, purchasing
groups and their members' adhesions."""

from datetime import date

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from mutualis.notifications.emails import send_email

from .access import access_for, forget_access
from .groups import GroupMembership, PurchasingGroup
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
def group_save(
    *, actor, group: PurchasingGroup, members, scope_families, signed_on: date | None = None
) -> PurchasingGroup:
    """Create or change a joint purchasing group with its members and the families it covers.

    A member added here gets an adhesion awaiting its decision and signature (`signed_on`: recorded as
    signed on that day, for a loader copying signed conventions). A member taken off loses its adhesion
    only if it never decided nor signed: otherwise its departure is recorded (adhesion_leave)."""
    _require(actor, Perm.MANAGE_GROUPS)
    group.full_clean()
    wanted = {entity.pk: entity for entity in members if entity.pk != group.coordinator_id}
    adhesions = {a.entity_id: a for a in group.adhesions.select_related("entity")} if group.pk else {}
    kept = [a for pk, a in adhesions.items() if pk not in wanted and (a.decision_date or a.signed_on)]
    if kept:  # checked before any write: the form shows the error and the group keeps its version
        names = ", ".join(str(a.entity) for a in kept)
        raise ValidationError(
            {"members": f"{names} a déjà délibéré ou signé : enregistrez sa sortie du groupement."}
        )
    group.save()
    group.adhesions.exclude(entity_id__in=wanted).delete()
    for pk, entity in wanted.items():
        if pk not in adhesions:
            GroupMembership.objects.create(
                group=group, entity=entity, signed_on=signed_on, joined_on=signed_on
            )
    group.scope_families.set(scope_families)
    return group


def _day(value: date) -> str:
    return date_format(value, "j F Y")


@transaction.atomic
def adhesion_record_decision(
    *,
    actor,
    group: PurchasingGroup,
    entity: Entity,
    decision_date: date,
    decision_reference: str,
    joined_on: date | None = None,
) -> GroupMembership:
    """Record a member's decision to join (deliberation or décision): its adhesion, awaiting signature.
    `joined_on` defaults to the decision's date."""
    _require(actor, Perm.MANAGE_GROUPS)
    if entity.pk == group.coordinator_id:
        raise ValidationError({"entity": f"{entity} coordonne le groupement : il en est membre de droit."})
    adhesion = GroupMembership.objects.filter(group=group, entity=entity).first()
    if adhesion and adhesion.left_on:
        raise ValidationError({"entity": f"{entity} a quitté le groupement le {_day(adhesion.left_on)}."})
    adhesion = adhesion or GroupMembership(group=group, entity=entity)
    errors = {}
    if decision_date > timezone.localdate():
        errors["decision_date"] = "La date de la décision ne peut être dans le futur."
    if not (decision_reference or "").strip():
        errors["decision_reference"] = (
            "Indiquez la référence de la décision (n° de délibération ou de décision)."
        )
    if adhesion.signed_on and adhesion.signed_on < decision_date:
        errors["decision_date"] = (
            "La date de la décision ne peut suivre la signature de la convention "
            f"({_day(adhesion.signed_on)})."
        )
    if errors:
        raise ValidationError(errors)
    adhesion.decision_date, adhesion.decision_reference = decision_date, decision_reference.strip()
    adhesion.joined_on = joined_on or adhesion.joined_on or decision_date
    adhesion.full_clean()
    adhesion.save()
    return adhesion


@transaction.atomic
def adhesion_sign(*, actor, adhesion: GroupMembership, signed_on: date) -> GroupMembership:
    """Record the member's signature of the convention: from that day it takes part in the group's
    procedures. The signature follows the member's decision (its assembly approves first)."""
    _require(actor, Perm.MANAGE_GROUPS)
    if adhesion.left_on:
        raise ValidationError(
            {"signed_on": f"{adhesion.entity} a quitté le groupement : il ne signe plus la convention."}
        )
    if not adhesion.decision_date:
        raise ValidationError(
            {"signed_on": f"Enregistrez d'abord la décision de {adhesion.entity} : la signature la suit."}
        )
    if signed_on < adhesion.decision_date:
        raise ValidationError(
            {
                "signed_on": "La date de signature ne peut précéder la décision du membre "
                f"({_day(adhesion.decision_date)})."
            }
        )
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "La date de signature ne peut être dans le futur."})
    adhesion.signed_on = signed_on
    adhesion.save()
    return adhesion


@transaction.atomic
def adhesion_leave(*, actor, adhesion: GroupMembership, left_on: date) -> GroupMembership:
    """Record a member's departure: from that day it no longer takes part in new procedures."""
    _require(actor, Perm.MANAGE_GROUPS)
    if adhesion.left_on:
        raise ValidationError(
            {"left_on": f"{adhesion.entity} a déjà quitté le groupement le {_day(adhesion.left_on)}."}
        )
    start = adhesion.joined_on or adhesion.decision_date
    if start and left_on < start:
        raise ValidationError(
            {"left_on": f"La date de sortie ne peut précéder la date d'adhésion ({_day(start)})."}
        )
    adhesion.left_on = left_on
    adhesion.save()
    return adhesion


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
    send_email(to=[user.email], subject=subject, body=body)
