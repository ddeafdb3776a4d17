"""The QCD grids: the default one and the families' own, their criteria with anchors, and their editing."""

import tablib
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import DetailView, TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import as_id
from mutualis.evaluations.models import EvaluationGrid, GridCriterion
from mutualis.evaluations.models.qcd import CRITERION_FIELDS
from mutualis.evaluations.qcd.default_grid import default_grid
from mutualis.evaluations.services.grids import grid_for_family_create, grid_save
from mutualis.organisations.roles import Perm

from ..edits import add_service_errors
from ..exports import FORMATS, dataset_response
from ..permissions import RequirePermMixin

CriterionFormSet = forms.inlineformset_factory(
    EvaluationGrid,
    GridCriterion,
    fields=CRITERION_FIELDS,
    extra=1,
    can_delete=True,
    widgets={f"anchor_{mark}": forms.Textarea(attrs={"rows": 2}) for mark in (1, 2, 3, 4)},
)


class GridListView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_EVALUATIONS
    template_name = "www/evaluations/grid_list.html"

    def get_context_data(self, **kwargs):
        default = default_grid()
        grids = EvaluationGrid.objects.filter(family__isnull=False).select_related("family")
        return super().get_context_data(
            default=default,
            grids=grids.order_by("family__code"),
            families=PurchaseFamily.objects.active().filter(evaluation_grid__isnull=True).order_by("code"),
            can_manage=self.access.has(Perm.MANAGE_EVALUATIONS),
            **kwargs,
        )


class GridDetailView(RequirePermMixin, DetailView):
    required_perm = Perm.VIEW_EVALUATIONS
    template_name = "www/evaluations/grid_detail.html"
    context_object_name = "grid"
    queryset = EvaluationGrid.objects.select_related("family")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        file_format = request.GET.get("export")
        if file_format in FORMATS:
            return dataset_response(
                _dataset(self.object), file_stem=f"grille_qcd_{self.object.pk}", file_format=file_format
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            criteria=self.object.criteria.all(),
            can_manage=self.access.has(Perm.MANAGE_EVALUATIONS),
            export_formats=FORMATS,
            **kwargs,
        )


def _dataset(grid) -> tablib.Dataset:
    data = tablib.Dataset(
        headers=["Axe", "Critère", "Pondération", "1", "2", "3", "4"], title=f"Grille {grid.pk}"
    )
    for c in grid.criteria.all():
        data.append([c.get_axis_display(), c.label, c.weight, c.anchor_1, c.anchor_2, c.anchor_3, c.anchor_4])
    return data


class GridForm(forms.ModelForm):
    class Meta:
        model = EvaluationGrid
        fields = ["alert_below"]


class GridUpdateView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_EVALUATIONS
    template_name = "www/evaluations/grid_form.html"

    def get(self, request, pk):
        grid = get_object_or_404(EvaluationGrid, pk=pk)
        return self._render(grid, GridForm(instance=grid), CriterionFormSet(instance=grid))

    def post(self, request, pk):
        grid = get_object_or_404(EvaluationGrid, pk=pk)
        form = GridForm(request.POST, instance=grid)
        criteria = CriterionFormSet(request.POST, instance=grid)
        if form.is_valid() and criteria.is_valid():
            try:
                grid_save(actor=request.user, grid=form.save(commit=False), criteria=criteria)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "Grille enregistrée. Les campagnes déjà lancées gardent leur grille."
                )
                return redirect(grid)
        return self._render(grid, form, criteria)

    def _render(self, grid, form, criteria):
        return render(
            self.request,
            self.template_name,
            {"grid": grid, "form": form, "criteria": criteria, "page_title": f"Modifier : {grid}"},
        )


class FamilyGridCreateView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_EVALUATIONS

    def post(self, request):
        family = PurchaseFamily.objects.filter(pk=as_id(request.POST.get("family", "")) or 0).first()
        if family is None:
            messages.error(request, "Choisissez la famille d'achat qui aura sa propre grille.")
            return redirect("evaluations:grid_list")
        try:
            grid = grid_for_family_create(actor=request.user, family=family)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("evaluations:grid_list")
        messages.success(request, f"La famille {family} a sa propre grille, copie de la grille par défaut.")
        return redirect("evaluations:grid_update", grid.pk)
