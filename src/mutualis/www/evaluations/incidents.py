"""Incidents during execution: the list, an incident's page with its follow-up, its declare and edit pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from mutualis.core.filters import as_id
from mutualis.core.scoping import scoped
from mutualis.evaluations.filters import IncidentFilterSet
from mutualis.evaluations.incident_workflow import INCIDENT
from mutualis.evaluations.models import Incident, IncidentStatus
from mutualis.evaluations.permissions import may_declare_for
from mutualis.evaluations.resources import IncidentResource
from mutualis.evaluations.services.incidents import CLOSED_MESSAGE, incident_save, incident_transition
from mutualis.organisations.roles import Perm

from ..actions import RecordActionView
from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..lists import FilteredListView
from .forms import IncidentForm, declarable_contracts
from .tables import IncidentTable

LIST = "evaluations:incident_list"
RELATED = ("contract", "contract__family", "entity", "supplier", "handled_by", "declared_by")


NOTHING_OPEN = "Aucune action de suivi ne vous est ouverte à cet état"


class IncidentListView(FilteredListView):
    model = Incident
    required_perm = Perm.VIEW_INCIDENTS
    table_class = IncidentTable
    filterset_class = IncidentFilterSet
    resource_class = IncidentResource
    export_name = "incidents_execution"
    title = "Incidents d'exécution"
    intro = (
        "Retards de livraison, non-conformités, défauts de service et litiges de facturation subis par les "
        "entités sur leurs contrats, avec leur gravité, les pénalités appliquées et leur suivi. "
        "Les pénalités ne sont jamais comptées comme un gain achat."
    )
    create_perm = Perm.DECLARE_INCIDENTS
    create_url_name = "evaluations:incident_create"

    def optimise(self, queryset):
        return queryset.select_related(*RELATED)


class IncidentDetailView(RecordDetailView):
    """An incident: what, where and with whom, its follow-up buttons, its log and its history."""

    required_perm = Perm.VIEW_INCIDENTS
    template_name = "www/evaluations/incident_detail.html"
    context_object_name = "incident"

    def get_queryset(self):
        return scoped(Incident.objects.all(), self.request.user).select_related(*RELATED)

    def get_context_data(self, **kwargs):
        incident = self.object
        context = super().get_context_data(
            moves=INCIDENT.available(incident, self.request.user),
            transitions=incident.transitions.select_related("by"),
            nothing_open=NOTHING_OPEN
            + (
                "."
                if incident.status == IncidentStatus.CLOSED
                else " : le traitement revient à la cellule achats."
            ),
            **kwargs,
        )
        # Editable while not closed, by whoever may declare for its entity.
        context["can_edit"] = (
            not incident.is_closed
            and self.access.has(Perm.DECLARE_INCIDENTS)
            and may_declare_for(self.request.user, incident.entity_id)
        )
        return context


class IncidentTransitionView(RecordActionView):
    """Take in charge, close or reopen: the workflow checks the role, the state and the comment."""

    required_perm = Perm.VIEW_INCIDENTS
    refused = "Le suivi des incidents revient à la cellule achats."

    def get_record(self, pk):
        return get_object_or_404(scoped(Incident.objects.all(), self.request.user), pk=pk)

    def act(self, incident) -> str:
        incident = incident_transition(
            actor=self.request.user, incident=incident, name=self.move_name(), comment=self.comment()
        )
        return f"L'incident est maintenant : {incident.get_status_display().lower()}."


class IncidentEditMixin:
    model = Incident
    form_class = IncidentForm
    template_name = "www/evaluations/incident_form.html"
    required_perm = Perm.DECLARE_INCIDENTS
    service = incident_save
    success_message = "Incident enregistré."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "contract": self.chosen_contract()}

    def chosen_contract(self):
        return None

    def service_arguments(self, form) -> dict:
        return {"incident": form.save(commit=False)}


class IncidentCreateView(IncidentEditMixin, RecordCreateView):
    title = "Déclarer un incident d'exécution"
    list_url_name = LIST

    def chosen_contract(self):
        """Opened from a contract's page (?contract=<pk>): that contract, if the person may use it."""
        if not hasattr(self, "_contract"):
            pk = as_id(self.request.GET.get("contract", ""))
            self._contract = declarable_contracts(self.request.user).filter(pk=pk).first() if pk else None
        return self._contract

    def get_initial(self):
        initial = super().get_initial()
        contract = self.chosen_contract()
        if contract is not None:
            initial["contract"] = contract.pk
            holders = list(contract.holders.all()[:2])
            if len(holders) == 1:
                initial["supplier"] = holders[0].pk
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        entities = form.fields["entity"].queryset
        if not form.is_bound and "entity" not in form.initial and entities.count() == 1:
            form.initial["entity"] = entities.get().pk  # a referent of one entity declares for it
        return form


class IncidentUpdateView(IncidentEditMixin, RecordUpdateView):
    title = "Modifier l'incident"

    def get_queryset(self):
        return scoped(Incident.objects.all(), self.request.user)

    def get_object(self, queryset=None):
        incident = super().get_object(queryset)
        if not may_declare_for(self.request.user, incident.entity_id):
            raise PermissionDenied
        return incident

    def get(self, request, *args, **kwargs):
        return self._closed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._closed() or super().post(request, *args, **kwargs)

    def _closed(self):
        """A closed incident is not edited: back to its page, which says to reopen it first."""
        incident = self.get_object()
        if not incident.is_closed:
            return None
        messages.error(self.request, CLOSED_MESSAGE)
        return redirect(incident)
