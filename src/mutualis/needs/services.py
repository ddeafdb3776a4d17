"""Writes on needs: lines and their workflow; every transition logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role

from .models import NeedLine, NeedTransition
from .workflow import COMMENT_REQUIRED, EDITABLE, TRANSITIONS


def _roles_on(actor, line: NeedLine) -> set[Role]:
    """Team roles count everywhere; entity roles only on their own entity's lines."""
    access = access_for(actor)
    if access.is_superuser:
        return set(Role)
    roles = set()
    for entity_id, entity_roles in access.roles_by_entity.items():
        for role in entity_roles:
            if role in {Role.ADMIN, Role.BUYER} or entity_id == line.entity_id:
                roles.add(role)
    return roles


def can_transition(actor, line: NeedLine, to_status: str) -> bool:
    allowed = TRANSITIONS.get((line.status, to_status))
    return bool(allowed) and bool(_roles_on(actor, line) & allowed)


def can_edit(actor, line: NeedLine) -> bool:
    return line.status in EDITABLE and bool(
        _roles_on(actor, line) & {Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.ADMIN, Role.BUYER}
    )


@transaction.atomic
def need_line_save(*, actor, line: NeedLine) -> NeedLine:
    """Create or change a line while it is a draft or returned, within an open campaign."""
    if line.pk and not can_edit(actor, NeedLine.objects.get(pk=line.pk)):
        raise PermissionDenied
    if not line.pk and not (_roles_on(actor, line) - {Role.GOVERNANCE, Role.PRESCRIBER, Role.LEGAL_OFFICER}):
        raise PermissionDenied
    if not line.campaign.is_open:
        raise ValidationError("La campagne est close : les besoins ne peuvent plus être modifiés.")
    if not line.campaign.families.filter(pk=line.family_id).exists():
        raise ValidationError({"family": "Cette famille ne fait pas partie de la campagne."})
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def need_line_transition(*, actor, line: NeedLine, to_status: str, comment: str = "") -> NeedLine:
    """Move a line along the declared workflow, or refuse with the reason."""
    locked = NeedLine.objects.select_for_update().get(pk=line.pk)
    if (locked.status, to_status) not in TRANSITIONS:
        raise ValidationError(f"Passage de « {locked.get_status_display()} » à « {to_status} » impossible.")
    if not can_transition(actor, locked, to_status):
        raise PermissionDenied
    if to_status in COMMENT_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "Dites à l'établissement ce qu'il doit corriger."})
    NeedTransition.objects.create(
        line=locked, from_status=locked.status, to_status=to_status, by=actor, comment=comment
    )
    NeedLine.objects.filter(pk=locked.pk).update(status=to_status)
    locked.status = to_status
    return locked
