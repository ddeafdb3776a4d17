"""Pages of the supplier directory."""

from django.urls import reverse
from django.views.generic import DetailView

from mutualis.core.history import history_of
from mutualis.organisations.roles import Perm
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.resources import SupplierResource

from ..edits import RecordCreateView, RecordUpdateView
from ..imports import ImportView
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .filters import SupplierFilterSet
from .forms import SupplierForm
from .tables import SupplierTable


class SupplierListView(FilteredListView):
    model = Supplier
    required_perm = Perm.VIEW_SUPPLIERS
    table_class = SupplierTable
    filterset_class = SupplierFilterSet
    resource_class = SupplierResource
    export_name = "fournisseurs"
    title = "Fournisseurs"
    create_perm = Perm.MANAGE_SUPPLIERS
    create_url_name = "suppliers:supplier_create"
    import_url_name = "suppliers:supplier_import"


class SupplierDetailView(RequirePermMixin, DetailView):
    required_perm = Perm.VIEW_SUPPLIERS
    template_name = "www/suppliers/supplier_detail.html"
    model = Supplier

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=str(self.object),
            can_edit=self.access.has(Perm.MANAGE_SUPPLIERS),
            history=history_of(self.object),
        )
        return context


class SupplierCreateView(RecordCreateView):
    model = Supplier
    form_class = SupplierForm
    required_perm = Perm.MANAGE_SUPPLIERS
    title = "Nouveau fournisseur"
    success_message = "Fournisseur créé."

    def get_cancel_url(self):
        return reverse("suppliers:supplier_list")


class SupplierUpdateView(RecordUpdateView):
    model = Supplier
    form_class = SupplierForm
    required_perm = Perm.MANAGE_SUPPLIERS
    title = "Modifier le fournisseur"
    success_message = "Fournisseur enregistré."


class SupplierImportView(ImportView):
    required_perm = Perm.MANAGE_SUPPLIERS
    resource_class = SupplierResource
    title = "Importer des fournisseurs"
    list_url_name = "suppliers:supplier_list"
    natural_key = "type d'identifiant et identifiant"
    file_stem = "fournisseurs"
