"""Companies that showed interest on the portal and are not in the directory: a buyer reads them and
promotes one explicitly (it becomes a supplier); until then nothing else in the application sees them."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from mutualis.organisations.roles import Perm
from mutualis.suppliers.models import SupplierCandidate
from mutualis.suppliers.services import candidate_promote

from ..actions import RecordActionView
from ..permissions import RequirePermMixin


class CandidateListView(RequirePermMixin, ListView):
    required_perm = Perm.MANAGE_SUPPLIERS
    template_name = "www/suppliers/candidate_list.html"
    context_object_name = "candidates"
    paginate_by = 50

    def get_queryset(self):
        return (
            SupplierCandidate.objects.select_related("supplier")
            .annotate(interest_count=Count("interests"))
            .order_by("supplier", "-created_at", "pk")  # those still to decide first
        )


class CandidatePromoteView(RecordActionView):
    required_perm = Perm.MANAGE_SUPPLIERS

    def get_record(self, pk):
        return get_object_or_404(SupplierCandidate, pk=pk)

    def act(self, record) -> str:
        supplier = candidate_promote(actor=self.request.user, candidate=record)
        return f"{supplier} figure désormais au répertoire des fournisseurs."
