"""Filters of the supplier directory, shared by its page and the API, and of the candidates' list."""

import django_filters
from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import CodeOrIdFilter, SearchFilterSet, YesNoAllWidget
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import SizeCategory, Supplier, SupplierCandidate


class SupplierFilterSet(SearchFilterSet):
    identifier_kind = django_filters.ChoiceFilter(
        label="Type d'identifiant", choices=IdentifierKind.choices, empty_label="Tous"
    )
    size_category = django_filters.ChoiceFilter(
        label="Catégorie", choices=SizeCategory.choices, empty_label="Toutes"
    )
    department = django_filters.CharFilter(label="Département (code)", method="filter_department")
    inclusive = django_filters.BooleanFilter(
        label="SIAE, EA/ESAT ou ESS", method="filter_inclusive", widget=YesNoAllWidget()
    )

    class Meta:
        model = Supplier
        fields = ["q", "identifier_kind", "size_category", "department", "inclusive"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(insee_code__startswith=value.strip())

    def filter_inclusive(self, queryset, name, value):
        inclusive = queryset.inclusive()
        return inclusive if value else queryset.exclude(pk__in=inclusive.values("pk"))


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidateStatus:
    PENDING, PROMOTED = "a_decider", "ajoute"
    CHOICES = [(PENDING, "À décider"), (PROMOTED, "Ajouté au répertoire")]


class SupplierCandidateFilterSet(SearchFilterSet):
    """The candidates' list: name or SIRET, decision, date received, family of the projects they chose."""

    status = django_filters.ChoiceFilter(
        label="Décision", choices=CandidateStatus.CHOICES, empty_label="Toutes", method="filter_status"
    )
    received_after = django_filters.DateFilter(
        label="Reçu à partir du",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DATE_INPUT,
    )
    received_before = django_filters.DateFilter(
        label="Reçu jusqu'au",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DATE_INPUT,
    )
    family = CodeOrIdFilter(
        label="Famille du projet qui l'intéresse",
        queryset=PurchaseFamily.objects.all(),
        method="filter_family",
        empty_label="Toutes",
    )

    class Meta:
        model = SupplierCandidate
        fields = ["q", "status", "received_after", "received_before", "family"]

    def filter_status(self, queryset, name, value):
        return queryset.promoted(value == CandidateStatus.PROMOTED)

    def filter_family(self, queryset, name, value):
        return queryset.interested_in_family(value)
