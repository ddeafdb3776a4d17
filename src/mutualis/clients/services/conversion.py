"""A request becomes a need line or a procurement project without retyping: the existing services of
`needs` and `procurements` are called with the request's values, and the request keeps the link."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.needs.models import Campaign, NeedLine
from mutualis.needs.services import need_line_save
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Project
from mutualis.procurements.services import project_save

from ..models import RequestStatus, ServiceRequest


def _locked(actor, request: ServiceRequest) -> ServiceRequest:
    if not access_for(actor).has(Perm.MANAGE_SERVICE_REQUESTS):
        raise PermissionDenied
    locked = ServiceRequest.objects.select_for_update().select_related("family", "entity").get(pk=request.pk)
    if locked.status in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
        raise ValidationError(
            f"La demande a été {locked.get_status_display().lower()} : elle ne devient ni besoin ni projet."
        )
    if locked.estimated_amount is None:
        raise ValidationError("Indiquez d'abord le montant estimé de l'achat : il est repris tel quel.")
    return locked


def open_campaign_for(request: ServiceRequest) -> Campaign | None:
    """The latest open needs campaign that covers the request's family, if any."""
    return Campaign.objects.open().filter(families=request.family_id).order_by("-year", "-pk").first()


@transaction.atomic
def request_to_need_line(*, actor, request: ServiceRequest) -> NeedLine:
    """A draft need line of the request's entity in the open campaign of its family; linked once."""
    locked = _locked(actor, request)
    if locked.need_line_id:
        raise ValidationError(f"La demande a déjà donné la ligne de besoin n° {locked.need_line_id}.")
    campaign = open_campaign_for(locked)
    if campaign is None:
        raise ValidationError(
            f"Aucune campagne de recensement ouverte ne couvre la famille « {locked.family} » : "
            "ouvrez-en une, ou transformez la demande en projet."
        )
    line = need_line_save(
        actor=actor,
        line=NeedLine(
            campaign=campaign,
            entity=locked.entity,
            family=locked.family,
            description=locked.object[:500],
            estimated_amount=locked.estimated_amount,
            wished_start=locked.wished_date,
        ),
    )
    locked.need_line = line
    locked.save()
    return line


def _quarter(day) -> str:
    """The planned launch quarter (« 2027-T1 »): the client's wished date, or this quarter if it is past."""
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


@transaction.atomic
def request_to_project(*, actor, request: ServiceRequest) -> Project:
    """A procurement project for the request's purchase (its buyer the one in charge); linked once."""
    locked = _locked(actor, request)
    if locked.project_id:
        raise ValidationError(f"La demande a déjà donné le projet n° {locked.project_id}.")
    project = project_save(
        actor=actor,
        project=Project(
            object=locked.object,
            family=locked.family,
            cpv=locked.family.cpv_codes.order_by("code").first(),
            estimated_value=locked.estimated_amount,
            buyer=locked.assigned_to,
            planned_launch_quarter=_quarter(max(filter(None, (locked.wished_date, timezone.localdate())))),
            buyer_entity=locked.entity.buyer,  # who buys for the entity (the buyer key)
        ),
        entities=[locked.entity],
    )
    locked.project = project
    locked.save()
    return project
