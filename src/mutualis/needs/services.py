"""Writes on needs: campaigns, lines and their workflow; every transition logged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import Campaign, NeedLine, NeedStatus
from .workflow import AUTHORS, EDITABLE, NEED_LINE, roles_on


@transaction.atomic
def campaign_save(*, actor, campaign: Campaign, families) -> Campaign:
    """Open or change a needs campaign and the families it covers; actor None = the system (demo)."""
    if actor is not None and not access_for(actor).has(Perm.MANAGE_CAMPAIGNS):
        raise PermissionDenied
    if campaign.pk is None and campaign.created_by is None:
        campaign.created_by = actor
    campaign.full_clean()
    campaign.save()
    campaign.families.set(families)
    return campaign


def can_edit(actor, line: NeedLine) -> bool:
    return line.status in EDITABLE and bool(roles_on(actor, line) & AUTHORS)


@transaction.atomic
def need_line_save(*, actor, line: NeedLine) -> NeedLine:
    """Create or change a line while it is a draft or returned, within an open campaign."""
    if line.pk and not can_edit(actor, NeedLine.objects.get(pk=line.pk)):
        raise PermissionDenied
    if not line.pk and not (roles_on(actor, line) & AUTHORS):
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
    # Two moves may lead to the same status (returned by the team, or by the referent): the one that
    # starts from the line's status is taken.
    targets = [t for t in NEED_LINE.transitions if t.target == to_status]
    transition = next((t for t in targets if line.status in t.sources), targets[0] if targets else None)
    if transition is None:
        label = NeedStatus(to_status).label if to_status in NeedStatus.values else to_status
        raise ValidationError(f"Passage de « {line.get_status_display()} » à « {label} » impossible.")
    return NEED_LINE.apply(line, transition, actor, comment=comment).record
