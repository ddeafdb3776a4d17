"""Writing requests: asked by a client for his own entities (or by the team), changed or withdrawn by the
client until the team takes them in charge, assigned to a buyer, moved only through their workflow
(REQUEST), with messages and files that stay on the request (a file's author may delete it while the
request is not closed; the deletion is logged)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import (
    FINAL_STATUSES,
    RequestAttachment,
    RequestMessage,
    RequestStatus,
    RequestTransition,
    ServiceModule,
    ServiceRequest,
)
from ..scopes import may_request_for
from ..workflow import REQUEST, may_amend

# What the client may still change while the request waits for the team (the rest is the team's).
AMENDABLE = ("object", "estimated_amount", "wished_date")


def _require(actor, perm: Perm) -> None:
    if not access_for(actor).has(perm):
        raise PermissionDenied


@transaction.atomic
def module_save(*, actor, module: ServiceModule) -> ServiceModule:
    """Change a module of the offer (its description, deliverables, delay, team): administrators."""
    _require(actor, Perm.MANAGE_SERVICE_OFFER)
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def request_submit(*, actor, request: ServiceRequest, modules, files=()) -> ServiceRequest:
    """A client asks for modules of the offer for one purchase: submitted, logged, the team told."""
    _require(actor, Perm.REQUEST_SERVICES)
    errors: dict[str, list[str]] = {}
    if request.entity_id and not may_request_for(actor, request.entity_id):
        errors["entity"] = [f"Vous ne pouvez pas faire de demande pour {request.entity} : ce n'est pas "
                            "l'une de vos entités."]  # fmt: skip
    modules = list(modules)
    if not modules:
        errors["modules"] = ["Choisissez au moins un module de l'offre de service."]
    elif any(not module.is_active for module in modules):
        errors["modules"] = ["Un module choisi n'est plus proposé : choisissez parmi les modules actuels."]
    request.status, request.requested_by = RequestStatus.SUBMITTED, actor
    try:
        request.full_clean(exclude=["requested_by", "modules", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    request.save()
    request.modules.set(modules)
    for upload in files:
        _attach(actor, request, upload)
    RequestTransition.objects.create(
        request=request, name="submit", from_status=request.status, to_status=request.status, by=actor
    )
    buyer = request.family.responsible_buyer
    if buyer is not None and buyer.is_active and buyer.pk != actor.pk:
        _tell(buyer, request, "submitted", f"Nouvelle demande d'accompagnement : {shorten(request.object)}",
              f"{actor} ({request.entity}) demande : {', '.join(str(m) for m in modules)}.")  # fmt: skip
    return request


@transaction.atomic
def request_update(*, actor, request: ServiceRequest) -> ServiceRequest:
    """The client corrects his request (object, estimated amount, wished date) while it is still
    submitted; checked against the version he read (EditConflict), the team's fields left as they are."""
    current = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if not may_amend(actor, current):
        raise PermissionDenied
    if current.status != RequestStatus.SUBMITTED:
        raise ValidationError(
            f"La demande n° {current.pk} est {current.get_status_display().lower()} : elle ne peut plus "
            "être modifiée. Écrivez plutôt un message à la cellule achats."
        )
    for name in AMENDABLE:
        setattr(current, name, getattr(request, name))
    current.version = request.version  # a save since the client read it is a conflict, not overwritten
    current.full_clean(exclude=["requested_by", "assigned_to"])
    current._history_user = actor  # the API authenticates in the view: simple-history would not know who
    current.save()
    return current


@transaction.atomic
def request_assign(*, actor, request: ServiceRequest, buyer, target_date=None) -> ServiceRequest:
    """The team names (or changes) the buyer in charge of an open request, and may set the target date it
    agreed on (else the one the take computes stays); the buyer is told."""
    _require(actor, Perm.MANAGE_SERVICE_REQUESTS)
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise ValidationError("La demande est close : elle ne peut plus être confiée.")
    if buyer is None or not buyer.is_active or not access_for(buyer).has(Perm.MANAGE_SERVICE_REQUESTS):
        raise ValidationError({"buyer": "Choisissez une personne active de la cellule achats."})
    if target_date is not None:
        if target_date < timezone.localdate():
            raise ValidationError({"target_date": "La date cible ne peut pas être dans le passé."})
        locked.target_date = target_date
    locked.assigned_to = buyer
    locked.save()
    if buyer.pk != actor.pk:
        subject = f"Demande d'accompagnement confiée : {shorten(locked.object)}"
        _tell(
            buyer,
            locked,
            f"assigned-{buyer.pk}",
            subject,
            f"{actor} vous confie la demande de {locked.entity}.",
        )
    return locked


def request_transition(*, actor, request: ServiceRequest, name: str, comment: str = "", **options):
    """Take in charge (optionally `buyer=`), start, deliver or decline (the comment is the reason), or the
    client withdraws it (the comment, optional, is his reason)."""
    return REQUEST.apply(request, name, actor, comment=comment, **options).record


def may_write_on(actor, request: ServiceRequest) -> bool:
    """The client side (who may ask for its entity) and the team: the request's two parties."""
    access = access_for(actor)
    return access.has(Perm.MANAGE_SERVICE_REQUESTS) or (
        access.has(Perm.REQUEST_SERVICES) and may_request_for(actor, request.entity_id)
    )


@transaction.atomic
def message_post(*, actor, request: ServiceRequest, body: str) -> RequestMessage:
    """A message from the client or the team, kept on the request; the other party is told."""
    if not may_write_on(actor, request):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError({"body": "Écrivez votre message."})
    message = RequestMessage.objects.create(request=request, author=actor, body=body.strip())
    team_side = access_for(actor).has(Perm.MANAGE_SERVICE_REQUESTS)
    recipient = request.requested_by if team_side else request.assigned_to
    if recipient is not None and recipient.is_active and recipient.pk != actor.pk:
        _tell(recipient, request, f"message-{message.pk}", f"Message sur la demande n° {request.pk}",
              f"{actor} : {shorten(message.body)}")  # fmt: skip
    return message


def _attach(actor, request, upload) -> RequestAttachment:
    attachment = RequestAttachment(request=request, file=upload, uploaded_by=actor)
    try:
        attachment.full_clean(exclude=["request", "uploaded_by"])
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, actor, request: ServiceRequest, file) -> RequestAttachment:
    """A file joined to the request by one of its parties (private: served by a view that checks)."""
    if not may_write_on(actor, request):
        raise PermissionDenied
    return _attach(actor, request, file)


@transaction.atomic
def attachment_delete(*, actor, attachment: RequestAttachment) -> ServiceRequest:
    """Its author removes a file while the request is not closed; the request's log names the file."""
    request = ServiceRequest.objects.select_for_update().get(pk=attachment.request_id)
    if attachment.uploaded_by_id != getattr(actor, "pk", None) or not may_write_on(actor, request):
        raise PermissionDenied
    if request.status in FINAL_STATUSES:
        raise ValidationError(
            f"La demande n° {request.pk} est {request.get_status_display().lower()} : ses pièces jointes "
            "ne peuvent plus être supprimées."
        )
    storage, stored, name = attachment.file.storage, attachment.file.name, attachment.name
    attachment._history_user = actor
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    RequestTransition.objects.create(
        request=request,
        name="delete_file",
        from_status=request.status,
        to_status=request.status,
        by=actor,
        comment=f"Pièce jointe supprimée : {name}",
    )
    return request


def tell_team(request: ServiceRequest, move) -> None:
    """The buyer in charge (else the family's buyer, told of the request) hears it was withdrawn."""
    buyer = request.assigned_to or request.family.responsible_buyer
    if buyer is None or not buyer.is_active or buyer.pk == getattr(move.actor, "pk", None):
        return
    reason = f" Motif : {move.comment.strip()}" if move.comment.strip() else ""
    _tell(buyer, request, f"{move.transition.name}-{move.log_row.pk}",
          f"Demande d'accompagnement retirée : {shorten(request.object)}",
          f"{move.actor} ({request.entity}) a retiré la demande.{reason}")  # fmt: skip


def tell_client(request: ServiceRequest, move) -> None:
    """The client hears of each move of his request (its buyer and target date, its delivery, a refusal)."""
    client = request.requested_by
    if client is None or not client.is_active or client.pk == getattr(move.actor, "pk", None):
        return
    detail = {
        "take": f"Elle est confiée à {request.assigned_to}, date cible le {request.target_date:%d/%m/%Y}."
        if request.target_date
        else f"Elle est confiée à {request.assigned_to}.",
        "decline": f"Motif : {request.decline_reason}",
    }.get(move.transition.name, "")
    status = request.get_status_display().lower()
    body = f"« {request.object} » est maintenant {status}. {detail}".strip()
    _tell(
        client,
        request,
        f"{move.transition.name}-{move.log_row.pk}",
        f"Votre demande n° {request.pk} : {status}",
        body,
    )


def _tell(recipient, request: ServiceRequest, key: str, subject: str, body: str) -> None:
    notify(
        recipients=[recipient],
        message=Message(
            key=f"service-request-{request.pk}-{key}",
            subject=subject,
            body=body,
            url=request.get_absolute_url(),
            kind=Kind.SERVICE_REQUEST,
        ),
    )
