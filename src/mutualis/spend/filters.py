"""Filters of the spend line list: the parameters the spend map, the imports and the corrections link with
(fiscal_year, entity, buyer, family, supplier_siren, contract, off_contract, match_method, not_entitled,
spend_import)."""

import django_filters
from django import forms
from django_filters.fields import ChoiceIteratorMixin, ModelChoiceIterator

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.core.filters import (
    CodeOrIdChoiceField,
    CodeOrIdFilter,
    RecordFilter,
    SearchFilterSet,
    YesNoAllWidget,
)
from mutualis.organisations.models import Entity

from .models import MatchMethod, SpendImport, SpendLine

# Fiscal years a line can belong to: wide, but a typo (« 20266 ») is refused rather than read.
FIRST_YEAR, LAST_YEAR = 2000, 2100
UNCLASSIFIED = "Non classées (sans famille)"
# supplier_siren=aucun: the lines whose supplier has no SIREN in the file.
NO_SIREN = "aucun"


class FamilyChoiceField(ChoiceIteratorMixin, CodeOrIdChoiceField):
    """A family by id or code, or `null` for the lines without one (the map's « non classées »)."""

    iterator = ModelChoiceIterator  # django-filter's: offers the null choice in the select

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        return super().to_python(value)


class FamilyFilter(CodeOrIdFilter):
    field_class = FamilyChoiceField


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class SpendLineFilterSet(SearchFilterSet):
    fiscal_year = YearFilter(label="Exercice", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    entity = django_filters.ModelChoiceFilter(
        label="Entité", queryset=Entity.objects.order_by("name"), empty_label="Toutes"
    )
    # The lines of the entities one buyer buys for: those behind a splitting flag (spend/splitting.py).
    buyer = django_filters.ModelChoiceFilter(
        label="Acheteur", queryset=Entity.objects.order_by("name"), empty_label="Tous", method="filter_buyer"
    )
    family = FamilyFilter(
        label="Famille d'achat",
        queryset=PurchaseFamily.objects.order_by("code"),
        empty_label="Toutes",
        null_label=UNCLASSIFIED,
    )
    supplier_siren = django_filters.CharFilter(
        label="SIREN du fournisseur",
        method="filter_siren",
        help_text=f"Neuf chiffres ; « {NO_SIREN} » pour les lignes sans SIREN.",
    )
    # Given by id (links from the contract and import pages): a select of every contract would be huge.
    contract = RecordFilter(
        label="Contrat (numéro interne)", queryset=Contract.objects.all(), widget=forms.NumberInput
    )
    off_contract = django_filters.BooleanFilter(
        label="Hors marché", method="filter_off_contract", widget=YesNoAllWidget()
    )
    match_method = django_filters.ChoiceFilter(
        label="Rattachement", choices=MatchMethod.choices, empty_label="Tous"
    )
    not_entitled = django_filters.BooleanFilter(
        label="Entité non utilisatrice du contrat", widget=YesNoAllWidget()
    )
    spend_import = RecordFilter(
        label="Import (numéro)", queryset=SpendImport.objects.all(), widget=forms.NumberInput
    )

    class Meta:
        model = SpendLine
        fields = ["q", "fiscal_year", "entity", "buyer", "family", "supplier_siren", "contract",
                  "off_contract", "match_method", "not_entitled", "spend_import"]  # fmt: skip

    def filter_siren(self, queryset, name, value):
        value = value.strip().replace(" ", "")
        return queryset.filter(supplier_siren="" if value == NO_SIREN else value)

    def filter_buyer(self, queryset, name, value):
        return queryset.of_buyer(value)

    def filter_off_contract(self, queryset, name, value):
        return queryset.off_contract() if value else queryset.on_contract()
