"""The spend map page and its workbook: one fiscal year, optionally one entity or one family."""

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.scoping import scoped
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm
from mutualis.spend.filters import FIRST_YEAR, LAST_YEAR
from mutualis.spend.models import SpendFamilyCell, SpendLine
from mutualis.spend.spendmap import SpendMap, spend_map

from ..permissions import RequirePermMixin
from .spendmap_export import XLSX, map_workbook
from .spendmap_html import grid_body, off_contract_body, splitting_body


class MapForm(forms.Form):
    """The map's filters, under the spend line list's parameter names."""

    fiscal_year = forms.IntegerField(
        label="Exercice", min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    entity = forms.ModelChoiceField(
        label="Entité", queryset=Entity.objects.none(), required=False, empty_label="Toutes"
    )
    family = forms.ModelChoiceField(
        label="Famille d'achat",
        queryset=PurchaseFamily.objects.order_by("code"),
        required=False,
        empty_label="Toutes",
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        # Only the reader's entities: another's is refused as an unknown choice.
        self.fields["entity"].queryset = scoped(Entity.objects.order_by("name"), user)


def requested_map(request) -> tuple[SpendMap, MapForm]:
    """The map the query string asks for; a filter that means nothing is dropped (and the form says so)."""
    form = MapForm(request.GET, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    lines = scoped(SpendLine.objects.all(), request.user)
    cells = scoped(SpendFamilyCell.objects.all(), request.user)
    return spend_map(
        lines, cells, year=chosen.get("fiscal_year"), entity=chosen.get("entity"), family=chosen.get("family")
    ), form


class SpendMapView(RequirePermMixin, TemplateView):
    """Spend per family and entity, under contract or not, suppliers, the splitting check, the years."""

    required_perm = Perm.VIEW_SPEND
    template_name = "www/spend/spendmap.html"

    def get(self, request, *args, **kwargs):
        result, form = requested_map(request)
        largest = max((figures.total for _, figures in result.years), default=0)
        bodies = {}
        if result.year is not None:
            bodies = {
                "grid_body": grid_body(result),
                "off_contract_body": off_contract_body(result),
                "splitting_body": splitting_body(result),
            }
        context = self.get_context_data(
            **bodies,
            map=result,
            form=form,
            whole_territory=self.access.entity_ids is None,
            largest_year=largest,
            export_query=request.GET.urlencode(),
            list_url=reverse("spend:line_list"),
            can_import=self.access.has(Perm.IMPORT_SPEND),
            can_manage=self.access.has(Perm.MANAGE_SPEND),
        )
        return self.render_to_response(context, status=200 if form.is_valid() else 400)


class SpendMapExportView(RequirePermMixin, View):
    """The map's tables as a workbook, one sheet each."""

    required_perm = Perm.VIEW_SPEND

    def get(self, request):
        result, _ = requested_map(request)
        response = HttpResponse(map_workbook(result), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="cartographie_achats_{result.year or ""}.xlsx"'
        )
        return response
