"""A family's QCD panel: its suppliers' scores over the evaluated periods, incidents and spend
(evaluations/qcd/panel.py), with the same rows as a CSV or XLSX file."""

import tablib
from django import forms
from django.views.generic import TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import CodeOrIdChoiceField
from mutualis.evaluations.qcd.panel import Panel, family_panel
from mutualis.organisations.roles import Perm

from ..exports import FORMATS, dataset_response
from ..permissions import RequirePermMixin

TRENDS = {"hausse": "En hausse", "baisse": "En baisse", "stable": "Stable", "": ""}


class FamilyChoiceForm(forms.Form):
    # By id (the select) or by code (a link typed by hand), like the lists' family filters.
    family = CodeOrIdChoiceField(
        label="Famille d'achat",
        queryset=PurchaseFamily.objects.order_by("code"),
        required=False,
        empty_label="Choisissez une famille",
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PanelView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_EVALUATIONS
    template_name = "www/evaluations/panel.html"

    def get(self, request, *args, **kwargs):
        self.form = FamilyChoiceForm(request.GET or None)
        family = self.form.cleaned_data["family"] if self.form.is_valid() else None
        self.panel = None
        if family is not None:
            self.panel = family_panel(family, request.user, with_spend=self.access.has(Perm.VIEW_SPEND))
            file_format = request.GET.get("export")
            if file_format in FORMATS:
                return dataset_response(
                    panel_dataset(self.panel), file_stem=f"panel_qcd_{family.code}", file_format=file_format
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            panel=self.panel,
            export_formats=FORMATS,
            can_launch=self.access.has(Perm.MANAGE_EVALUATIONS),
            **kwargs,
        )


def spend_heading(panel: Panel) -> str:
    first, last = panel.spend_years
    return f"Dépense HT dans la famille, exercices {first} à {last} (€)"


def panel_dataset(panel: Panel) -> tablib.Dataset:
    headers = ["Fournisseur", "SIREN", "Contrats de la famille"]
    headers += [f"Note globale {period} (sur 4)" for period in panel.periods]
    headers += ["Évolution", "Écart", "Incidents ouverts", "Incidents au total"]
    if panel.spend_years:
        headers.append(spend_heading(panel))
    data = tablib.Dataset(headers=headers)
    for row in panel.rows:
        values = [row.supplier.name, row.supplier.siren, row.contracts]
        values += [cell.score for cell in row.cells]
        values += [TRENDS[row.trend], row.change, row.incidents_open, row.incidents_total]
        if panel.spend_years:
            values.append(row.spend)
        data.append(values)
    return data
