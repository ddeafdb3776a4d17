"""Writes on needs: lines and their workflow; every transition logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.roles import Role

from .models import NeedLine, NeedStatus
from .workflow import EDITABLE, ENTITY_SIDE, NEED_LINE, roles_on


def can_edit(actor, line: NeedLine) -> bool:
    return line.status in EDITABLE and bool(roles_on(actor, line) & ENTITY_SIDE)


@transaction.atomic
def need_line_save(*, actor, line: NeedLine) -> NeedLine:
    """Create or change a line while it is a draft or returned, within an open campaign."""
    if line.pk and not can_edit(actor, NeedLine.objects.get(pk=line.pk)):
        raise PermissionDenied
    if not line.pk and not (roles_on(actor, line) - {Role.GOVERNANCE, Role.PRESCRIBER, Role.LEGAL_OFFICER}):
        raise PermissionDenied
    if not line.campaign.is_open:
        raise ValidationError("La campagne est close : les besoins ne peuvent plus être modifiés.")
    if not line.campaign.families.filter(pk=line.family_id).exists():
        raise ValidationError({"family": "Cette famille ne fait pas partie de la campagne."})
    line.full_clean()
    line.save()
    return line


def need_line_transition(*, actor, line: NeedLine, to_status: str, comment: str = "") -> NeedLine:
    """Move a line to `to_status` along its declared workflow (NEED_LINE), or refuse with the reason."""
    transition = next((t for t in NEED_LINE.transitions if t.target == to_status), None)
    if transition is None:
        label = NeedStatus(to_status).label if to_status in NeedStatus.values else to_status
        raise ValidationError(f"Passage de « {line.get_status_display()} » à « {label} » impossible.")
    return NEED_LINE.apply(line, transition, actor, comment=comment).record
