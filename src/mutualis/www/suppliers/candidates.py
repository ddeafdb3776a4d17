"""Companies that showed interest on the portal and are not in the directory: a buyer reads them and
promotes one explicitly (it becomes a supplier); until then nothing else in the application sees them."""

from django.db.models import Count, F
from django.shortcuts import get_object_or_404

from mutualis.organisations.roles import Perm
from mutualis.suppliers.filters import SupplierCandidateFilterSet
from mutualis.suppliers.models import SupplierCandidate
from mutualis.suppliers.resources import SupplierCandidateResource
from mutualis.suppliers.services import candidate_promote

from ..actions import RecordActionView
from ..lists import FilteredListView
from .tables import SupplierCandidateTable


class CandidateListView(FilteredListView):
    model = SupplierCandidate
    required_perm = Perm.MANAGE_SUPPLIERS
    template_name = "www/suppliers/candidate_list.html"
    table_class = SupplierCandidateTable
    filterset_class = SupplierCandidateFilterSet
    resource_class = SupplierCandidateResource
    export_name = "fournisseurs_candidats"
    title = "Fournisseurs candidats"
    intro = (
        "Les entreprises qui ont manifesté leur intérêt sur le portail public sans figurer au répertoire. "
        "Elles n'apparaissent ni parmi les fournisseurs, ni dans les contrats, la dépense ou les évaluations "
        "tant qu'un acheteur ne les a pas ajoutées."
    )

    def optimise(self, queryset):
        return (
            queryset.select_related("supplier")
            .annotate(interest_count=Count("interests"))
            # Those still to decide first, the latest received first.
            .order_by(F("supplier").asc(nulls_first=True), "-created_at", "pk")
        )


class CandidatePromoteView(RecordActionView):
    required_perm = Perm.MANAGE_SUPPLIERS

    def get_record(self, pk):
        return get_object_or_404(SupplierCandidate, pk=pk)

    def act(self, record) -> str:
        supplier = candidate_promote(actor=self.request.user, candidate=record)
        return f"{supplier} figure désormais au répertoire des fournisseurs."
