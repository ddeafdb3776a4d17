"""Procurement projects: the list, a project's page, its creation and changes, its moves along the map."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View

from mutualis.catalogue.models import PurchaseFamily
from mutualis.gains.models import Gain
from mutualis.needs.models import Campaign
from mutualis.organisations.models import PurchasingGroup
from mutualis.organisations.roles import Perm
from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.filters import ProjectListFilterSet
from mutualis.procurements.models import LotTransition, Project, ProjectStatus
from mutualis.procurements.resources import ProjectResource
from mutualis.procurements.services import PROJECT, project_from_needs, project_save, project_transition
from mutualis.procurements.services.stages import forecast

from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .forms import WIDE_FIELDS, ProjectForm
from .interests import interests_of
from .tables import ProjectTable


class ProjectListView(FilteredListView):
    model = Project
    required_perm = Perm.VIEW_PROJECTS
    table_class = ProjectTable
    filterset_class = ProjectListFilterSet
    resource_class = ProjectResource
    export_name = "projets_achat"
    title = "Projets d'achat"
    template_name = "www/procurements/project_list.html"

    def optimise(self, queryset):
        return queryset.for_lists()

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=self.access.has(Perm.MANAGE_PROJECTS), **kwargs)


class ProjectDetailView(RecordDetailView):
    required_perm = Perm.VIEW_PROJECTS
    edit_perm = Perm.MANAGE_PROJECTS
    template_name = "www/procurements/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return Project.objects.for_user(self.request.user).select_related(
            "family", "cpv", "purchasing_group", "buyer_entity", "buyer", "legal_officer",
            "source_campaign", "process_map", "stage", "replaces",
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        project = self.object
        today = timezone.localdate()
        in_progress = project.status == ProjectStatus.IN_PROGRESS
        can_manage = self.access.has(Perm.MANAGE_PROJECTS) and in_progress
        actions = PROJECT.available(project, self.request.user) if can_manage else []
        sees_offers = project.offers_visible_to(self.request.user)
        criteria, lot_analyses = project_analysis(project, with_offers=sees_offers)
        context = super().get_context_data(
            today=today,
            in_progress=in_progress,
            can_manage=can_manage,
            entities=project.entities.order_by("name"),
            group_members=project.purchasing_group.members.order_by("name")
            if project.purchasing_group
            else [],
            committee=project.evaluation_committee.order_by("last_name", "first_name"),
            sees_offers=sees_offers,
            criteria=criteria,
            lot_analyses=lot_analyses,
            contracts=[a.lot.contract for a in lot_analyses if a.lot.contract],
            transitions=project.transitions.select_related("from_stage", "to_stage", "by"),
            lot_decisions=LotTransition.objects.filter(lot__project=project)
            .select_related("lot", "by")
            .order_by("at", "pk"),
            forecast=forecast(project, today) if in_progress else [],
            stage_actions=actions,
            problems=PROJECT.problems(project, "advance") if actions else [],
            lot_gains=self.lot_gains(project),
            interests=interests_of(project),
            sees_contacts=self.access.has(Perm.MANAGE_PROJECTS),
            **kwargs,
        )
        context["can_edit"] = context["can_edit"] and in_progress
        return context

    def lot_gains(self, project) -> dict:
        """The gain of each awarded lot, for those who follow gains (one query)."""
        if not self.access.has(Perm.VIEW_GAINS):
            return {}
        gains = Gain.objects.for_user(self.request.user).filter(lot__project=project)
        return {gain.lot_id: gain for gain in gains}


class ProjectEditMixin:
    model = Project
    form_class = ProjectForm
    required_perm = Perm.MANAGE_PROJECTS
    template_name = "www/procurements/project_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(wide_fields=WIDE_FIELDS, **kwargs)

    service = project_save

    def service_arguments(self, form) -> dict:
        data = form.cleaned_data
        return {
            "project": form.save(commit=False),
            "entities": data["entities"],
            "committee": data["evaluation_committee"],
        }


class ProjectCreateView(ProjectEditMixin, RecordCreateView):
    title = "Nouveau projet d'achat"
    success_message = "Projet d'achat créé : la procédure a été calculée pour sa valeur estimée."
    list_url_name = "procurements:project_list"


class ProjectUpdateView(ProjectEditMixin, RecordUpdateView):
    title = "Modifier le projet"
    success_message = "Projet enregistré."

    def get_queryset(self):
        return Project.objects.for_user(self.request.user).select_related("stage")


class ProjectTransitionView(RequirePermMixin, View):
    """Validate the stage, send the project back or declare it abandoned; the service decides."""

    required_perm = Perm.MANAGE_PROJECTS
    http_method_names = ["post"]

    def post(self, request, pk):
        project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
        try:
            project = project_transition(
                actor=request.user,
                project=project,
                action=request.POST.get("action", ""),
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            messages.error(request, "L'action n'a pas été enregistrée :")
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(project)
        messages.success(request, _moved(project))
        return redirect(project)


def _moved(project: Project) -> str:
    if project.status == ProjectStatus.IN_PROGRESS:
        return f"Le projet est passé à l'étape « {project.stage.label} »."
    return f"Le projet est désormais {project.get_status_display().lower()}."


class ProjectFromNeedsView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_CAMPAIGNS

    def post(self, request, campaign, family):
        campaign = get_object_or_404(Campaign, pk=campaign)
        family = get_object_or_404(PurchaseFamily, pk=family)
        group = None
        if request.POST.get("groupement"):
            groups = PurchasingGroup.objects.for_user(request.user).filter(is_active=True)
            group = get_object_or_404(groups, pk=request.POST["groupement"])
        try:
            project = project_from_needs(actor=request.user, campaign=campaign, family=family, group=group)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            back = campaign.get_absolute_url()
            return redirect(f"{back}?groupement={group.pk}" if group else back)
        messages.success(request, "Projet d'achat créé à partir des besoins consolidés.")
        return redirect(project)
