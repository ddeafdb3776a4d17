"""The spend line list: every figure of the spend map links here with its filters."""

from mutualis.organisations.roles import Perm
from mutualis.spend.filters import SpendLineFilterSet
from mutualis.spend.line_resources import SpendLineResource
from mutualis.spend.models import SpendLine

from ..lists import FilteredListView
from .line_tables import SpendLineTable


class SpendLineListView(FilteredListView):
    model = SpendLine
    required_perm = Perm.VIEW_SPEND
    table_class = SpendLineTable
    filterset_class = SpendLineFilterSet
    resource_class = SpendLineResource
    export_name = "lignes_de_depense"
    title = "Lignes de dépense"
    intro = (
        "Mandats payés par les entités, tels que leurs logiciels financiers les ont exportés, et leur "
        "rattachement à un contrat du registre. Montants hors taxes."
    )

    def optimise(self, queryset):
        return queryset.select_related("entity", "family", "contract")
