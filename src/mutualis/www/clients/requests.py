"""Internal clients' requests: the list (the client's own, the team's queue with its workload per buyer),
the request form and its correction while submitted, a request's page with its moves (the client's
withdrawal among them), messages, files and hand-off to a need or a project."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from mutualis.clients.filters import ServiceRequestFilterSet
from mutualis.clients.models import (
    FINAL_STATUSES,
    RequestAttachment,
    RequestStatus,
    SatisfactionSurvey,
    ServiceRequest,
)
from mutualis.clients.resources import ServiceRequestResource
from mutualis.clients.services import conversion
from mutualis.clients.services.requests import (
    attachment_add,
    attachment_delete,
    may_write_on,
    message_post,
    request_assign,
    request_submit,
    request_transition,
    request_update,
)
from mutualis.clients.workflow import REQUEST, may_amend
from mutualis.core.scoping import scoped
from mutualis.organisations.roles import Perm

from ..actions import RecordActionView
from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..files import private_file_response
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .forms import AmendForm, AssignForm, AttachmentForm, MessageForm, ServiceRequestForm
from .tables import ServiceRequestTable

NOT_AMENDABLE = (
    "La cellule achats a pris la demande en charge : elle ne se modifie plus. Écrivez-lui un message."
)
WITHDRAW_OR_WAIT = (
    "La cellule achats prendra la demande en charge ; d'ici là, vous pouvez la modifier ou la retirer."
)
WITH_TEAM = "Aucune action ne vous est ouverte à cet état : le traitement revient à la cellule achats."
CLOSED = "Aucune action : la demande est close."
RELATED = ("entity", "family", "requested_by", "assigned_to", "need_line", "project")


class RequestListView(FilteredListView):
    model = ServiceRequest
    required_perm = Perm.REQUEST_SERVICES
    table_class = ServiceRequestTable
    filterset_class = ServiceRequestFilterSet
    resource_class = ServiceRequestResource
    export_name = "demandes_accompagnement"
    template_name = "www/clients/request_list.html"
    title = "Demandes d'accompagnement"
    intro = (
        "Les demandes des clients internes à la cellule achats, module par module : qui s'en charge, "
        "pour quand (date cible = prise en charge + délai du module le plus long, en jours ouvrés), "
        "où elles en sont."
    )
    create_perm = Perm.REQUEST_SERVICES
    create_url_name = "clients:request_create"

    def optimise(self, queryset):
        return queryset.select_related(*RELATED).prefetch_related("modules")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.access.has(Perm.MANAGE_SERVICE_REQUESTS):
            context["workload"] = scoped(ServiceRequest.objects.all(), self.request.user).workload()
        return context


class RequestCreateView(RecordCreateView):
    model = ServiceRequest
    form_class = ServiceRequestForm
    template_name = "www/clients/request_form.html"
    required_perm = Perm.REQUEST_SERVICES
    service = request_submit
    title = "Demander l'accompagnement de la cellule achats"
    success_message = "Demande transmise à la cellule achats."
    list_url_name = "clients:request_list"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        module = self.request.GET.get("module", "")
        if module.isdigit():
            initial["modules"] = [int(module)]
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        entities = form.fields["entity"].queryset
        if not form.is_bound and entities.count() == 1:
            form.initial["entity"] = entities.get().pk  # a client of one entity asks for it
        return form

    def service_arguments(self, form) -> dict:
        upload = form.cleaned_data.get("attachment")
        return {
            "request": form.save(commit=False),
            "modules": form.cleaned_data["modules"],
            "files": [upload] if upload else [],
        }


class RequestUpdateView(RecordUpdateView):
    """The client corrects his request while the team has not taken it in charge."""

    model = ServiceRequest
    form_class = AmendForm
    template_name = "www/clients/request_form.html"
    required_perm = Perm.REQUEST_SERVICES
    service = request_update
    title = "Modifier la demande"
    success_message = "Demande modifiée."

    def get_queryset(self):
        return scoped(ServiceRequest.objects.all(), self.request.user)

    def get_object(self, queryset=None):
        service_request = super().get_object(queryset)
        if not may_amend(self.request.user, service_request):
            raise PermissionDenied
        return service_request

    def get(self, request, *args, **kwargs):
        return self._taken() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._taken() or super().post(request, *args, **kwargs)

    def _taken(self):
        """Once taken in charge, the request is the team's: back to its page, which says to write."""
        service_request = self.get_object()
        if service_request.status == RequestStatus.SUBMITTED:
            return None
        messages.error(self.request, NOT_AMENDABLE)
        return redirect(service_request)

    def service_arguments(self, form) -> dict:
        return {"request": form.save(commit=False)}


def _visible(request, pk) -> ServiceRequest:
    return get_object_or_404(scoped(ServiceRequest.objects.all(), request.user), pk=pk)


class RequestDetailView(RecordDetailView):
    """A request: what and for whom, its moves and log, the messages, the files, the hand-off."""

    required_perm = Perm.REQUEST_SERVICES
    template_name = "www/clients/request_detail.html"
    context_object_name = "service_request"

    def get_queryset(self):
        return scoped(ServiceRequest.objects.all(), self.request.user).select_related(*RELATED)

    def get_context_data(self, **kwargs):
        service_request, user = self.object, self.request.user
        manages = self.access.has(Perm.MANAGE_SERVICE_REQUESTS)
        moves = REQUEST.available(service_request, user)
        # The withdrawal has its own form (an optional reason, a confirmation); the shared one asks
        # a comment only where it is required.
        withdraw = next((move for move in moves if move.name == "withdraw"), None)
        return super().get_context_data(
            moves=[move for move in moves if move is not withdraw],
            withdraw=withdraw,
            may_amend=service_request.status == RequestStatus.SUBMITTED and may_amend(user, service_request),
            files_open=service_request.status not in FINAL_STATUSES,
            transitions=service_request.transitions.select_related("by"),
            nothing_open=CLOSED if manages else (WITHDRAW_OR_WAIT if withdraw else WITH_TEAM),
            request_messages=service_request.messages.select_related("author"),
            attachments=service_request.attachments.all(),
            modules=service_request.modules.all(),
            may_write=may_write_on(user, service_request),
            message_form=MessageForm(),
            attachment_form=AttachmentForm(),
            assign_form=AssignForm(initial={"buyer": service_request.assigned_to_id}) if manages else None,
            manages=manages,
            campaign=conversion.open_campaign_for(service_request) if manages else None,
            survey_to_answer=SatisfactionSurvey.objects.filter(
                request=service_request, request__requested_by=user, answered_at__isnull=True
            ).first(),
            **kwargs,
        )


class RequestActionView(RecordActionView):
    """A POST on one request: the subclass's `act` calls a service; refusals come back as messages."""

    required_perm = Perm.REQUEST_SERVICES
    refused = "Cette action revient à la cellule achats."

    def get_record(self, pk):
        return _visible(self.request, pk)


class RequestTransitionView(RequestActionView):
    def act(self, service_request):
        name = self.move_name()
        if name == "withdraw":  # the one move that is the client's, not the team's
            self.refused = "Seuls le demandeur et le référent achats de son entité retirent une demande."
        moved = request_transition(
            actor=self.request.user, request=service_request, name=name, comment=self.comment()
        )
        return f"La demande est maintenant : {moved.get_status_display().lower()}."


class RequestAssignView(RequestActionView):
    def act(self, service_request):
        form = AssignForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        assigned = request_assign(actor=self.request.user, request=service_request, **form.cleaned_data)
        return f"Demande confiée à {assigned.assigned_to}."


class MessageCreateView(RequestActionView):
    refused = "Seuls le client et la cellule achats écrivent sur une demande."

    def act(self, service_request):
        message_post(actor=self.request.user, request=service_request, body=self.request.POST.get("body", ""))
        return "Message envoyé."


class AttachmentCreateView(RequestActionView):
    refused = "Seuls le client et la cellule achats joignent des fichiers à une demande."

    def act(self, service_request):
        form = AttachmentForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise ValidationError("Choisissez le fichier à joindre.")
        attachment_add(actor=self.request.user, request=service_request, file=form.cleaned_data["file"])
        return "Fichier joint."


class AttachmentDeleteView(RequestActionView):
    """Its author removes a file (a POST, confirmed on the page); the request's log keeps its name."""

    refused = "Seule la personne qui a joint ce fichier peut le supprimer."

    def get_record(self, pk):
        return get_object_or_404(
            RequestAttachment.objects.filter(
                request__in=scoped(ServiceRequest.objects.all(), self.request.user)
            ).select_related("request"),
            pk=pk,
        )

    def act(self, attachment):
        name = attachment.name
        attachment_delete(actor=self.request.user, attachment=attachment)
        return f"Pièce jointe « {name} » supprimée."


class ConvertView(RequestActionView):
    """Turn the request into a need line (`what="besoin"`) or a project, without retyping."""

    what = ""
    refused = "Vous ne pouvez pas créer ce besoin ou ce projet."

    def act(self, service_request):
        actor = self.request.user
        if self.what == "besoin":
            line = conversion.request_to_need_line(actor=actor, request=service_request)
            return f"Ligne de besoin n° {line.pk} créée en brouillon dans « {line.campaign} »."
        project = conversion.request_to_project(actor=actor, request=service_request)
        return f"Projet n° {project.pk} créé : {project.object}."


class AttachmentDownloadView(RequirePermMixin, View):
    """Files are served through this view only, to those who see the request."""

    required_perm = Perm.REQUEST_SERVICES

    def get(self, request, pk):
        attachment = get_object_or_404(
            RequestAttachment.objects.filter(request__in=scoped(ServiceRequest.objects.all(), request.user)),
            pk=pk,
        )
        return private_file_response(attachment.file.name, filename=attachment.name)
