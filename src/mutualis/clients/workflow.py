"""A request's workflow, on the one mechanism (core.workflow): the purchasing team takes it in charge
(a buyer and a target date), works on it and delivers it, or declines it with the reason; until it is
taken in charge, the client (its requester or his entity's referent) may withdraw it."""

from django.db.models import Max
from django.utils import timezone

from mutualis.core.workflow import Move, Transition, Workflow, transition_log
from mutualis.legal.working_days import add_working_days
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm, Role

from .models import OPEN_STATUSES, RequestStatus, RequestTransition, ServiceRequest

# Those who handle requests: roles of the whole territory (buyers, legal officers, administrators).
MANAGERS = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_SERVICE_REQUESTS in perms
)
# The person who asked, whatever his roles (a buyer may ask on an entity's behalf).
REQUESTER = "requester"
# The client side, who may still change or withdraw a request the team has not taken in charge: its
# requester and the referent of its entity (counted only there: a referent elsewhere is no party).
CLIENT_SIDE = frozenset({REQUESTER, Role.REFERENT})


def roles_on(actor, request: ServiceRequest) -> frozenset:
    """The managers' roles are territory-wide ones; the client side counts as requester or as the
    referent of the request's entity, only for what CLIENT_SIDE may do."""
    access = access_for(actor)
    if access.is_superuser:
        return frozenset({*Role, REQUESTER})
    roles = set(access.roles & TERRITORY_WIDE_ROLES)
    if request.requested_by_id == getattr(actor, "pk", None) and access.has(Perm.REQUEST_SERVICES):
        roles.add(REQUESTER)
    if Role.REFERENT in access.roles_by_entity.get(request.entity_id, ()):
        roles.add(Role.REFERENT)
    return frozenset(roles)


def may_amend(actor, request: ServiceRequest) -> bool:
    """Whether the person is the client side of the request (its requester, his entity's referent)."""
    return bool(roles_on(actor, request) & CLIENT_SIDE)


def target_date(request: ServiceRequest, taken_on):
    """Taken-in-charge date + the longest expected delay of the requested modules, in working days
    (French public holidays skipped); None when no module is requested."""
    longest = request.modules.aggregate(longest=Max("delay_days"))["longest"]
    return add_working_days(taken_on, longest) if longest else None


def _take(request: ServiceRequest, move: Move) -> None:
    # The buyer named by the team, else the one already assigned, else the person who takes it.
    request.assigned_to = move.options.get("buyer") or request.assigned_to or move.actor
    request.taken_on = move.options.get("today") or timezone.localdate()
    request.target_date = target_date(request, request.taken_on)


def _deliver(request: ServiceRequest, move: Move) -> None:
    request.delivered_on = timezone.localdate()


def _decline(request: ServiceRequest, move: Move) -> None:
    request.decline_reason = move.comment.strip()


def _tell_team(request: ServiceRequest, move: Move) -> None:
    from .services.requests import tell_team

    tell_team(request, move)


def _tell_client(request: ServiceRequest, move: Move) -> None:
    from .services.requests import tell_client  # notifications live with the services

    tell_client(request, move)


def _delivered(request: ServiceRequest, move: Move) -> None:
    from .services.satisfaction import survey_send

    _tell_client(request, move)
    survey_send(request)  # the client's questionnaire, with its link


REQUEST = Workflow(
    field="status",
    lock=lambda request: ServiceRequest.objects.select_for_update().get(pk=request.pk),
    roles_of=roles_on,
    log=transition_log(RequestTransition, "request"),
    refusal=lambda request, transition: (
        f"La demande n° {request.pk} est {request.get_status_display().lower()} : "
        f"« {transition.label.lower()} » n'est pas possible."
    ),
    transitions=(
        Transition(
            "take",
            "Prendre en charge",
            sources={RequestStatus.SUBMITTED},
            target=RequestStatus.TAKEN,
            roles=MANAGERS,
            perform=_take,
            after=_tell_client,
        ),
        Transition(
            "start",
            "Commencer le travail",
            sources={RequestStatus.TAKEN},
            target=RequestStatus.IN_PROGRESS,
            roles=MANAGERS,
            after=_tell_client,
        ),
        Transition(
            "deliver",
            "Marquer comme livrée",
            sources={RequestStatus.IN_PROGRESS},
            target=RequestStatus.DELIVERED,
            roles=MANAGERS,
            perform=_deliver,
            after=_delivered,
        ),
        Transition(
            "decline",
            "Décliner la demande",
            sources=set(OPEN_STATUSES),
            target=RequestStatus.DECLINED,
            roles=MANAGERS,
            comment_required=True,
            comment_hint="Dites au client pourquoi la cellule achats ne peut pas donner suite.",
            perform=_decline,
            after=_tell_client,
        ),
        Transition(
            "withdraw",
            "Retirer la demande",
            sources={RequestStatus.SUBMITTED},
            target=RequestStatus.WITHDRAWN,
            roles=CLIENT_SIDE,
            after=_tell_team,
        ),
    ),
)
