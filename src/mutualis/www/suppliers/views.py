"""Pages of the supplier directory."""

from mutualis.evaluations.models import Incident
from mutualis.organisations.roles import Perm
from mutualis.steering.flags import flags_about_supplier
from mutualis.suppliers.filters import SupplierFilterSet
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.resources import SupplierResource
from mutualis.suppliers.services import supplier_save

from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..evaluations.qcd_tables import supplier_history
from ..exports import FORMATS, dataset_response
from ..imports import ImportView
from ..lists import FilteredListView
from .forms import SupplierForm
from .supplier_file import DATASETS, supplier_file
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
    extra_imports = (
        ("suppliers:data_import", "Importer SIRENE ou une liste de l'inclusion"),
        ("suppliers:candidate_list", "Fournisseurs candidats (portail)"),
    )


class SupplierDetailView(RecordDetailView):
    """The supplier's file: identity, contracts, spend, bids (supplier_file.py), each table exported with
    `?export=csv|xlsx&table=contrats|depense|offres`."""

    required_perm = Perm.VIEW_SUPPLIERS
    edit_perm = Perm.MANAGE_SUPPLIERS
    template_name = "www/suppliers/supplier_detail.html"
    model = Supplier

    def get(self, request, *args, **kwargs):
        file_format, table = request.GET.get("export"), request.GET.get("table")
        if file_format in FORMATS and table in DATASETS:
            self.object = self.get_object()
            dataset = DATASETS[table](supplier_file(self.object, request.user))
            stem = f"fournisseur_{self.object.identifier}_{table}"
            return dataset_response(dataset, file_stem=stem, file_format=file_format)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            file=supplier_file(self.object, self.request.user),
            export_formats=list(FORMATS),
            # Incidents during execution, of the reader's entities (an entity role sees its own).
            incidents=Incident.objects.for_user(self.request.user).of_supplier(self.object)
            if self.access.has(Perm.VIEW_INCIDENTS)
            else None,
            qcd_history=supplier_history(self.object) if self.access.has(Perm.VIEW_EVALUATIONS) else None,
            # This year's risk flags about it or its contracts, for those who read the steering.
            flags=flags_about_supplier(self.object, self.request.user)
            if self.access.has(Perm.VIEW_STEERING)
            else None,
            **kwargs,
        )


class SupplierCreateView(RecordCreateView):
    model = Supplier
    form_class = SupplierForm
    required_perm = Perm.MANAGE_SUPPLIERS
    service = supplier_save
    title = "Nouveau fournisseur"
    success_message = "Fournisseur créé."
    list_url_name = "suppliers:supplier_list"


class SupplierUpdateView(RecordUpdateView):
    model = Supplier
    form_class = SupplierForm
    required_perm = Perm.MANAGE_SUPPLIERS
    service = supplier_save
    title = "Modifier le fournisseur"
    success_message = "Fournisseur enregistré."


class SupplierImportView(ImportView):
    required_perm = Perm.MANAGE_SUPPLIERS
    resource_class = SupplierResource
    title = "Importer des fournisseurs"
    list_url_name = "suppliers:supplier_list"
    natural_key = "type d'identifiant et identifiant"
    file_stem = "fournisseurs"
