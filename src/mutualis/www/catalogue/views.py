"""Pages of the purchase-family nomenclature and the CPV reference list."""

from django.db.models import Count
from django.http import JsonResponse
from django.views import View
from django.views.generic import DetailView

from mutualis.catalogue.filters import CpvFilterSet, PurchaseFamilyFilterSet
from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.catalogue.resources import CpvResource, PurchaseFamilyResource
from mutualis.catalogue.services import family_save
from mutualis.organisations.roles import Perm

from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..imports import ImportView
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .forms import PurchaseFamilyForm
from .tables import CpvTable, PurchaseFamilyTable


class PurchaseFamilyListView(FilteredListView):
    model = PurchaseFamily
    required_perm = Perm.VIEW_CATALOGUE
    table_class = PurchaseFamilyTable
    filterset_class = PurchaseFamilyFilterSet
    resource_class = PurchaseFamilyResource
    export_name = "familles_achat"
    title = "Familles d'achat"
    intro = (
        "La nomenclature des familles homogènes du territoire : la valeur des besoins est calculée "
        "par famille pour choisir la procédure (art. R2121-6 du code de la commande publique)."
    )
    create_perm = Perm.MANAGE_CATALOGUE
    create_url_name = "catalogue:family_create"
    import_url_name = "catalogue:family_import"

    def optimise(self, queryset):
        return (
            queryset.select_related("responsible_buyer")
            .prefetch_related("cpv_codes")
            .annotate(cpv_count=Count("cpv_codes", distinct=True))
            .order_by("code")  # Meta.ordering is dropped by GROUP BY queries
        )


class PurchaseFamilyDetailView(RecordDetailView):
    required_perm = Perm.VIEW_CATALOGUE
    edit_perm = Perm.MANAGE_CATALOGUE
    template_name = "www/catalogue/family_detail.html"
    queryset = PurchaseFamily.objects.select_related("responsible_buyer")

    def get_context_data(self, **kwargs):
        return super().get_context_data(cpv_codes=self.object.cpv_codes.order_by("code"), **kwargs)


class PurchaseFamilyEditMixin:
    service = family_save

    def service_arguments(self, form) -> dict:
        return {"family": form.save(commit=False), "cpv_codes": form.cleaned_data["cpv_codes"]}


class PurchaseFamilyCreateView(PurchaseFamilyEditMixin, RecordCreateView):
    model = PurchaseFamily
    form_class = PurchaseFamilyForm
    required_perm = Perm.MANAGE_CATALOGUE
    title = "Nouvelle famille d'achat"
    success_message = "Famille créée."
    list_url_name = "catalogue:family_list"


class PurchaseFamilyUpdateView(PurchaseFamilyEditMixin, RecordUpdateView):
    model = PurchaseFamily
    form_class = PurchaseFamilyForm
    required_perm = Perm.MANAGE_CATALOGUE
    title = "Modifier la famille"
    success_message = "Famille enregistrée."


class PurchaseFamilyImportView(ImportView):
    required_perm = Perm.MANAGE_CATALOGUE
    resource_class = PurchaseFamilyResource
    title = "Importer la nomenclature des familles"
    list_url_name = "catalogue:family_list"
    natural_key = "code"
    file_stem = "familles_achat"

    def template_queryset(self):
        return PurchaseFamily.objects.select_related("responsible_buyer").prefetch_related("cpv_codes")


class CpvListView(FilteredListView):
    model = CpvCode
    required_perm = Perm.VIEW_CATALOGUE
    table_class = CpvTable
    filterset_class = CpvFilterSet
    resource_class = CpvResource
    export_name = "codes_cpv"
    title = "Codes CPV 2008"
    intro = (
        "La nomenclature européenne CPV 2008 (règlement (CE) n° 213/2008), 9 454 codes, libellés français."
    )
    paginate_by = 50


class CpvSuggestView(RequirePermMixin, View):
    """Codes proposed while a CPV field is typed in: digits match the code's start, words the label."""

    required_perm = Perm.VIEW_CATALOGUE
    max_results = 15  # proposals shown under the field

    def get(self, request):
        text = request.GET.get("q", "").strip()[:100]
        if len(text) < 2:
            return JsonResponse({"results": []})
        codes = CpvCode.objects.search(text).order_by("code")[: self.max_results]
        return JsonResponse(
            {"results": [{"code": c.code, "label": f"{c.full_code} {c.label}"} for c in codes]}
        )


class CpvDetailView(RequirePermMixin, DetailView):
    required_perm = Perm.VIEW_CATALOGUE
    template_name = "www/catalogue/cpv_detail.html"
    queryset = CpvCode.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ancestors, node = [], self.object.parent
        while node is not None:  # at most four levels up
            ancestors.insert(0, node)
            node = node.parent
        context.update(
            page_title=f"CPV {self.object.full_code}",
            ancestors=ancestors,
            children=self.object.children.order_by("code"),
            families=self.object.families.order_by("code"),
        )
        return context
