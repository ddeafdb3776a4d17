"""Objectives: the yearly targets of the indicators, for the territory, an entity or a family."""

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.scoping import scoped
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm
from mutualis.steering.indicators.registry import BY_CODE, CHOICES
from mutualis.steering.models import Objective
from mutualis.steering.objective_filters import ObjectiveFilterSet
from mutualis.steering.objective_resources import ObjectiveResource
from mutualis.steering.services.objectives import OWN_HOME, objective_delete, objective_save

from ..edits import RecordCreateView, RecordUpdateView
from ..lists import FilteredListView
from ..permissions import RequirePermMixin

LIST = "steering:objective_list"


class ObjectiveTable(tables.Table):
    year = tables.Column(verbose_name="Année")
    indicator = tables.Column(verbose_name="Indicateur")
    entity = tables.Column(verbose_name="Entité", default="Tout le territoire", order_by=("entity__name",))
    family = tables.Column(verbose_name="Famille", default="Toutes", order_by=("family__code",))
    target = tables.Column(verbose_name="Cible")
    source = tables.Column(verbose_name="Origine")
    edit = tables.Column(
        verbose_name="Actions",
        empty_values=(),
        orderable=False,
        linkify=lambda record: reverse("steering:objective_update", args=[record.pk]),
    )

    class Meta:
        model = Objective
        fields = ["year", "indicator", "entity", "family", "target", "source", "edit"]
        empty_text = "Aucun objectif ne correspond à ces critères."

    def render_indicator(self, value):
        indicator = BY_CODE.get(value)
        return indicator.label if indicator else value

    def render_target(self, value, record):
        indicator = BY_CODE.get(record.indicator)
        return f"{value.normalize():f}".replace(".", ",") + (f" {indicator.unit}" if indicator else "")

    def render_edit(self, record):
        return f"Modifier l'objectif {self.render_indicator(record.indicator)} {record.year}"


class ObjectiveListView(FilteredListView):
    model = Objective
    required_perm = Perm.VIEW_STEERING
    table_class = ObjectiveTable
    filterset_class = ObjectiveFilterSet
    resource_class = ObjectiveResource
    export_name = "objectifs"
    title = "Objectifs des indicateurs"
    intro = (
        "Les cibles annuelles des indicateurs de pilotage, pour le territoire, une entité ou une famille "
        "d'achat (SPASER, feuille de route achats…). L'écart à l'objectif est montré sur le tableau de "
        "bord et dans le rapport de gouvernance. L'objectif de gains se fixe sur la synthèse des gains."
    )
    create_perm = Perm.MANAGE_OBJECTIVES
    create_url_name = "steering:objective_create"

    def optimise(self, queryset):
        return queryset.select_related("entity", "family")

    def get_table_kwargs(self):
        return {} if self.access.has(Perm.MANAGE_OBJECTIVES) else {"exclude": ("edit",)}


class ObjectiveForm(forms.ModelForm):
    indicator = forms.ChoiceField(
        label="Indicateur", choices=[(code, label) for code, label in CHOICES if code not in OWN_HOME]
    )

    class Meta:
        model = Objective
        fields = ["indicator", "year", "entity", "family", "target", "source"]
        help_texts = {"target": "Dans l'unité de l'indicateur : un pourcentage s'écrit 50 pour 50 %."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.for_user(user).order_by("name")
        self.fields["entity"].empty_label = "Tout le territoire"
        self.fields["family"].queryset = PurchaseFamily.objects.order_by("code")
        self.fields["family"].empty_label = "Toutes les familles"
        self.fields["year"].initial = timezone.localdate().year


class ObjectiveEditMixin:
    model = Objective
    form_class = ObjectiveForm
    required_perm = Perm.MANAGE_OBJECTIVES
    service = objective_save
    success_url = reverse_lazy(LIST)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_cancel_url(self) -> str:
        return reverse(LIST)


class ObjectiveCreateView(ObjectiveEditMixin, RecordCreateView):
    title = "Nouvel objectif"
    success_message = "Objectif enregistré."

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("indicator") in BY_CODE:
            initial["indicator"] = self.request.GET["indicator"]
        return initial


class ObjectiveUpdateView(ObjectiveEditMixin, RecordUpdateView):
    template_name = "www/steering/objective_form.html"
    title = "Modifier l'objectif"
    success_message = "Objectif enregistré."

    def get_queryset(self):
        return scoped(Objective.objects.all(), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_url"] = reverse("steering:objective_delete", args=[self.object.pk])
        return context


class ObjectiveDeleteView(RequirePermMixin, TemplateView):
    required_perm = Perm.MANAGE_OBJECTIVES
    template_name = "www/steering/objective_confirm_delete.html"

    def objective(self) -> Objective:
        return get_object_or_404(scoped(Objective.objects.all(), self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        objective = self.objective()
        indicator = BY_CODE.get(objective.indicator)
        return super().get_context_data(
            title=f"Supprimer l'objectif « {indicator.label if indicator else objective.indicator} » "
            f"{objective.year}",
            object=objective,
            cancel_url=reverse("steering:objective_update", args=[objective.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        objective_delete(actor=request.user, objective=self.objective())
        messages.success(request, "Objectif supprimé.")
        return redirect(LIST)
