"""Registry pages: lists, the contract page, its editing, amendments, renewals and documents."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts import services
from mutualis.contracts.amendments import summarise
from mutualis.contracts.filters import ContractFilterSet, UsableContractFilterSet
from mutualis.contracts.models import Contract, ContractDocument, ContractHolder
from mutualis.contracts.models.contract import REGISTRY_ORDER
from mutualis.contracts.resources import ContractResource
from mutualis.core.history import history_of
from mutualis.core.locking import EditConflict
from mutualis.evaluations.models import Incident
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Project
from mutualis.spend.consumption import contract_consumption

from ..edits import add_service_errors
from ..evaluations.qcd_tables import contract_history
from ..files import private_file_response
from ..imports import ImportView
from ..lists import FilteredListView
from ..locking import CONFLICT_STATUS, add_version_field, show_conflict, take_version
from ..permissions import RequirePermMixin
from .forms import (
    AmendmentForm,
    ContractForm,
    DocumentForm,
    HolderFormSet,
    RenewalDecisionForm,
    holder_initial,
)
from .tables import ContractTable, UsableContractTable


def registry_queryset(queryset):
    """What every registry list and export reads, in a fixed number of queries."""
    return queryset.select_related(
        "buyer", "family", "cpv", "framework", "purchasing_group"
    ).prefetch_related("holder_links__supplier", "available_to")


class ContractListView(FilteredListView):
    model = Contract
    required_perm = Perm.VIEW_CONTRACTS
    table_class = ContractTable
    filterset_class = ContractFilterSet
    resource_class = ContractResource
    export_name = "registre_contrats"
    title = "Registre des contrats"
    create_perm = Perm.MANAGE_CONTRACTS
    create_url_name = "contracts:contract_create"
    import_url_name = "contracts:contract_import"
    keyset_order = REGISTRY_ORDER

    def base_queryset(self):
        return Contract.objects.in_registry_order()

    def optimise(self, queryset):
        return registry_queryset(queryset)

    def table_rows(self, queryset):
        # The page shows eight columns: it reads those, not the sixty the export writes. Its buyers and
        # families come by their own queries: a join let PostgreSQL hash the whole registry past a cursor.
        holders = ContractHolder.objects.select_related("supplier").only("contract_id", "supplier__name")
        return (
            queryset.select_related(None)
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("buyer", Entity.objects.only("name", "short_name")),
                Prefetch("family", PurchaseFamily.objects.only("code")),
                Prefetch("holder_links", holders),
            )
            .only(*ContractTable.Meta.shown, "buyer", "family")
        )


class UsableContractListView(FilteredListView):
    """The contracts the user's entities may order from, with what they need to order."""

    model = Contract
    required_perm = Perm.VIEW_CONTRACTS
    table_class = UsableContractTable
    filterset_class = UsableContractFilterSet
    resource_class = ContractResource
    export_name = "contrats_utilisables"
    title = "Les contrats que je peux utiliser"
    intro = (
        "Contrats en cours passés par vos entités ou mis à leur disposition par la cellule achats "
        "et les groupements de commandes."
    )

    def base_queryset(self):
        # The user's own entities even for a team role, who otherwise sees the whole registry.
        return Contract.objects.usable_by_entities(list(self.access.roles_by_entity)).in_force()

    def optimise(self, queryset):
        return registry_queryset(queryset).annotate(document_count=Count("documents")).order_by("end_date")


class ContractDetailView(RequirePermMixin, DetailView):
    required_perm = Perm.VIEW_CONTRACTS
    template_name = "www/contracts/contract_detail.html"

    def get_queryset(self):
        return registry_queryset(Contract.objects.for_user(self.request.user)).prefetch_related(
            "amendments", "renewal_decisions__decided_by", "documents", "subsequent_contracts"
        )

    def get_context_data(self, **kwargs):
        contract = self.object
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        amendments = list(contract.amendments.all())
        can_edit = self.access.has(Perm.MANAGE_CONTRACTS)
        context.update(
            page_title=f"Contrat {contract.reference}",
            today=today,
            can_edit=can_edit,
            amendments=amendments,
            summary=summarise(contract.amount, amendments, is_works=contract.is_works, today=today),
            schedule=services.schedule_of(contract, today=today),
            decisions=contract.renewal_decisions.all(),
            history=history_of(contract),
            price_line_count=contract.price_lines.count(),
            # The reverse one-to-one raises when the contract did not come from a project.
            origin_project=Project.objects.for_user(self.request.user)
            .filter(lots__contract=contract)
            .first(),
            renewal_form=RenewalDecisionForm(contract=contract, initial={"decided_on": today})
            if can_edit
            else None,
            # Spend is read by those who may see it; an entity role sees its own entities' rows.
            consumption=contract_consumption(contract, entity_ids=self.access.entity_ids)
            if self.access.has(Perm.VIEW_SPEND)
            else None,
            incidents=Incident.objects.for_user(self.request.user).of_contract(contract)
            if self.access.has(Perm.VIEW_INCIDENTS)
            else None,
            can_declare_incident=self.access.has(Perm.DECLARE_INCIDENTS),
            # Beside the renewal decision: how the entities that used the contract rated it.
            qcd_history=contract_history(contract) if self.access.has(Perm.VIEW_EVALUATIONS) else None,
            can_launch_evaluation=self.access.has(Perm.MANAGE_EVALUATIONS) and contract.framework_id is None,
        )
        return context


class ContractEditMixin(RequirePermMixin):
    required_perm = Perm.MANAGE_CONTRACTS
    template_name = "www/contracts/contract_form.html"

    def get_object(self):
        return None

    def get(self, request, *args, **kwargs):
        contract = self.get_object()
        form = ContractForm(instance=contract)
        add_version_field(form)
        holders = HolderFormSet(prefix="holders", initial=holder_initial(contract) if contract else None)
        return self.render(form, holders, contract)

    def post(self, request, *args, **kwargs):
        contract = self.get_object()
        form = ContractForm(request.POST, instance=contract)
        add_version_field(form)
        holders = HolderFormSet(request.POST, prefix="holders")
        status = 400
        if form.is_valid() and holders.is_valid():
            take_version(form)
            try:
                saved = services.contract_save(
                    actor=request.user,
                    contract=form.save(commit=False),
                    holders=holders.holder_inputs(),
                    available_to=form.cleaned_data["available_to"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except EditConflict as conflict:
                show_conflict(form, conflict)
                status = CONFLICT_STATUS
            else:
                messages.success(request, "Contrat enregistré.")
                return redirect(saved)
        return self.render(form, holders, contract, status=status)

    def render(self, form, holders, contract, status=200):
        title = f"Modifier le contrat {contract.reference}" if contract else "Nouveau contrat"
        context = {"form": form, "holders": holders, "title": title, "object": contract,
                   "wide_fields": ["object", "notes"]}  # fmt: skip
        return render(self.request, self.template_name, context, status=status)


class ContractCreateView(ContractEditMixin, View):
    pass


class ContractUpdateView(ContractEditMixin, View):
    def get_object(self):
        return get_object_or_404(Contract, pk=self.kwargs["pk"])


class ContractChildMixin(RequirePermMixin):
    """Pages about one contract the user may see (404 otherwise)."""

    def get_contract(self) -> Contract:
        return get_object_or_404(Contract.objects.for_user(self.request.user), pk=self.kwargs["pk"])


class AmendmentCreateView(ContractChildMixin, FormView):
    required_perm = Perm.MANAGE_CONTRACTS
    template_name = "www/form.html"
    form_class = AmendmentForm

    def get_context_data(self, **kwargs):
        contract = self.get_contract()
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Nouvel avenant au contrat {contract.reference}", cancel_url=contract.get_absolute_url()
        )
        return context

    def form_valid(self, form):
        contract = self.get_contract()
        try:
            amendment = services.amendment_add(
                actor=self.request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Avenant n° {amendment.number} enregistré.")
        warning = amendment.same_day_warning()
        if warning:
            messages.warning(self.request, warning)
        return redirect(contract)


class RenewalDecisionCreateView(ContractChildMixin, View):
    required_perm = Perm.MANAGE_CONTRACTS

    def post(self, request, pk):
        contract = self.get_contract()
        form = RenewalDecisionForm(request.POST, contract=contract)
        if form.is_valid():
            try:
                services.renewal_decide(actor=request.user, contract=contract, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Décision enregistrée ; les échéances ont été recalculées.")
        else:
            problems = [message for errors in form.errors.values() for message in errors]
            messages.error(request, "Décision non enregistrée : " + " ".join(problems))
        return redirect(contract)


class DocumentUploadView(ContractChildMixin, FormView):
    required_perm = Perm.MANAGE_CONTRACTS
    template_name = "www/form.html"
    form_class = DocumentForm

    def get_context_data(self, **kwargs):
        contract = self.get_contract()
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Joindre un document au contrat {contract.reference}",
            cancel_url=contract.get_absolute_url(),
        )
        return context

    def form_valid(self, form):
        contract = self.get_contract()
        services.document_attach(actor=self.request.user, contract=contract, **form.cleaned_data)
        messages.success(self.request, "Document joint.")
        return redirect(contract)


class DocumentDownloadView(RequirePermMixin, View):
    """Files are served through this view only, so that scoping applies to them too."""

    required_perm = Perm.VIEW_CONTRACTS

    def get(self, request, pk):
        document = get_object_or_404(ContractDocument.objects.select_related("contract"), pk=pk)
        if not Contract.objects.for_user(request.user).filter(pk=document.contract_id).exists():
            raise Http404
        return private_file_response(document.file.name, filename=document.file.name.rsplit("/", 1)[-1])


class DocumentDeleteView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_CONTRACTS

    def post(self, request, pk):
        document = get_object_or_404(ContractDocument.objects.select_related("contract"), pk=pk)
        contract = document.contract
        services.document_delete(actor=request.user, document=document)
        messages.success(request, "Document supprimé.")
        return redirect(contract)


class ContractImportView(ImportView):
    required_perm = Perm.MANAGE_CONTRACTS
    resource_class = ContractResource
    title = "Importer un registre de contrats"
    list_url_name = "contracts:contract_list"
    natural_key = "SIRET acheteur et référence"
    file_stem = "registre_contrats"

    def template_queryset(self):
        return registry_queryset(Contract.objects.all())
