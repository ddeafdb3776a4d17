"""The improvement log (ISO 9001 § 10): the list, an action's page with its workflow, its edit pages."""

from django.shortcuts import get_object_or_404

from mutualis.contracts.models import Contract
from mutualis.core.filters import as_id
from mutualis.core.scoping import scoped
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Project, StageCode
from mutualis.steering.filters import ImprovementFilterSet
from mutualis.steering.improvement_workflow import IMPROVEMENT
from mutualis.steering.models import ImprovementAction
from mutualis.steering.resources import ImprovementResource
from mutualis.steering.services.improvements import improvement_save, improvement_transition

from ..actions import RecordActionView
from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..lists import FilteredListView
from .improvement_forms import ImprovementForm
from .improvement_tables import STAGES, ImprovementTable

LIST = "steering:improvement_list"
RELATED = ("project", "contract", "owner", "created_by")


class ImprovementListView(FilteredListView):
    model = ImprovementAction
    required_perm = Perm.VIEW_STEERING
    table_class = ImprovementTable
    filterset_class = ImprovementFilterSet
    resource_class = ImprovementResource
    export_name = "actions_amelioration"
    title = "Non-conformités et actions d'amélioration"
    intro = (
        "Le journal d'amélioration continue (ISO 9001) : chaque non-conformité ou action porte sur une "
        "étape de la cartographie des processus, un projet ou un contrat, avec son pilote et son échéance."
    )
    create_perm = Perm.MANAGE_IMPROVEMENTS
    create_url_name = "steering:improvement_create"

    def optimise(self, queryset):
        return queryset.select_related(*RELATED)


class ImprovementDetailView(RecordDetailView):
    """An action: what and about what, its workflow buttons, its log and its history."""

    required_perm = Perm.VIEW_STEERING
    edit_perm = Perm.MANAGE_IMPROVEMENTS
    template_name = "www/steering/improvement_detail.html"
    context_object_name = "action"

    def get_queryset(self):
        return scoped(ImprovementAction.objects.all(), self.request.user).select_related(*RELATED)

    def get_context_data(self, **kwargs):
        action = self.object
        moves = IMPROVEMENT.available(action, self.request.user)
        return super().get_context_data(
            stage_label=STAGES.get(action.stage_code, action.stage_code),
            moves=moves,
            transitions=action.transitions.select_related("by"),
            **kwargs,
        )


class ImprovementTransitionView(RecordActionView):
    """Take in charge, close, reopen or cancel: the workflow checks the role (or owner), state, comment."""

    required_perm = Perm.VIEW_STEERING

    def get_record(self, pk):
        return get_object_or_404(scoped(ImprovementAction.objects.all(), self.request.user), pk=pk)

    def act(self, action) -> str:
        action = improvement_transition(
            actor=self.request.user, action=action, name=self.move_name(), comment=self.comment()
        )
        return f"L'action est maintenant : {action.get_status_display().lower()}."


class ImprovementEditMixin:
    model = ImprovementAction
    form_class = ImprovementForm
    required_perm = Perm.MANAGE_IMPROVEMENTS
    service = improvement_save
    success_message = "Action enregistrée."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def service_arguments(self, form) -> dict:
        return {"action": form.save(commit=False)}


class ImprovementCreateView(ImprovementEditMixin, RecordCreateView):
    title = "Signaler une non-conformité ou une action d'amélioration"
    list_url_name = LIST

    def get_initial(self):
        """Opened from a project, a contract or a stage of the map: that record is already chosen."""
        initial = {**super().get_initial(), "owner": self.request.user}
        user, query = self.request.user, self.request.GET
        project = as_id(query.get("project", ""))
        if project and Project.objects.for_user(user).filter(pk=project).exists():
            initial["project"] = project
        contract = as_id(query.get("contract", ""))
        if contract and Contract.objects.for_user(user).filter(pk=contract).exists():
            initial["contract"] = contract
        if query.get("stage") in StageCode.values:
            initial["stage_code"] = query["stage"]
        return initial


class ImprovementUpdateView(ImprovementEditMixin, RecordUpdateView):
    title = "Modifier l'action"

    def get_queryset(self):
        return scoped(ImprovementAction.objects.all(), self.request.user)
