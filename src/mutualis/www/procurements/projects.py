"""Procurement projects: the list, a project's page, its creation and changes, its moves along the map."""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from mutualis.catalogue.models import PurchaseFamily
from mutualis.needs.models import Campaign
from mutualis.needs.procedure import ProcedureKind
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Project
from mutualis.procurements.services import project_from_needs

from ..edits import RecordDetailView
from ..lists import FilteredListView, SearchFilterSet
from ..permissions import RequirePermMixin


class ProjectFilterSet(SearchFilterSet):
    procedure = django_filters.ChoiceFilter(
        label="Procédure", choices=ProcedureKind.choices, empty_label="Toutes"
    )

    class Meta:
        model = Project
        fields = ["q", "family", "procedure", "planned_launch_quarter"]


class ProjectTable(tables.Table):
    object = tables.Column(verbose_name="Objet", linkify=True)
    family = tables.Column(verbose_name="Famille", accessor="family__code", order_by=("family__code",))
    estimated_value = tables.Column(verbose_name="Valeur estimée HT (€)", attrs={"td": {"class": "text-end"}})
    procedure = tables.Column(verbose_name="Procédure")
    planned_launch_quarter = tables.Column(verbose_name="Lancement prévu")

    class Meta:
        model = Project
        fields = ["object", "family", "estimated_value", "procedure", "planned_launch_quarter"]
        empty_text = "Aucun projet d'achat."


class ProjectListView(FilteredListView):
    model = Project
    required_perm = Perm.VIEW_NEEDS
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = "Projets d'achat"

    def optimise(self, queryset):
        return queryset.select_related("family")


class ProjectDetailView(RecordDetailView):
    required_perm = Perm.VIEW_NEEDS
    template_name = "www/procurements/project_detail.html"

    def get_queryset(self):
        return Project.objects.for_user(self.request.user).select_related("family", "source_campaign")

    def get_context_data(self, **kwargs):
        return super().get_context_data(entities=self.object.entities.order_by("name"), **kwargs)


class ProjectFromNeedsView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_CAMPAIGNS

    def post(self, request, campaign, family):
        campaign = get_object_or_404(Campaign, pk=campaign)
        family = get_object_or_404(PurchaseFamily, pk=family)
        try:
            project = project_from_needs(actor=request.user, campaign=campaign, family=family)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(campaign)
        messages.success(request, "Projet d'achat créé à partir des besoins consolidés.")
        return redirect(project)


class _Pending(View):
    def get(self, request, *args, **kwargs):
        from django.http import Http404

        raise Http404


ProjectCreateView = ProjectUpdateView = ProjectTransitionView = _Pending  # being written
