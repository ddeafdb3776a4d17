"""The portal's search and filters: family, CPV, member entity, quarter, procedure. Choices list only
public things (active families and members, the DECP procedures); a bad value is refused with a message
naming the field, and the page then lists nothing rather than everything."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.enums import Procedure
from mutualis.contracts.models import Contract
from mutualis.core.filters import CodeOrIdFilter, SearchFilterSet
from mutualis.organisations.models import Entity
from mutualis.procurements.models import Project
from mutualis.procurements.models.project import validate_quarter

validate_cpv_start = RegexValidator(r"^[0-9]{2,8}$", "Écrivez le début d'un code CPV : de 2 à 8 chiffres.")


def _family():
    return CodeOrIdFilter(
        label="Famille d'achat", queryset=PurchaseFamily.objects.active(), empty_label="Toutes"
    )


def _cpv():
    return django_filters.CharFilter(
        label="Code CPV (début)",
        field_name="cpv__code",
        lookup_expr="startswith",
        validators=[validate_cpv_start],
    )


def _procedure(field_name: str):
    return django_filters.ChoiceFilter(
        label="Procédure", field_name=field_name, choices=Procedure.choices, empty_label="Toutes"
    )


class PortalProjectFilterSet(SearchFilterSet):
    family = _family()
    cpv = _cpv()
    entity = django_filters.ModelChoiceFilter(
        label="Entité concernée",
        queryset=Entity.objects.active(),
        method="filter_entity",
        empty_label="Toutes",
    )
    quarter = django_filters.CharFilter(
        label="Trimestre (ex. 2027-T1)",
        field_name="planned_launch_quarter",
        validators=[validate_quarter],
        widget=forms.TextInput(attrs={"placeholder": "2027-T1"}),
    )
    procedure = _procedure("contract_procedure")

    class Meta:
        model = Project
        fields = ["q", "family", "cpv", "entity", "quarter", "procedure"]

    @extend_schema_field(OpenApiTypes.INT)  # the API documents an entity's id, as for the other choices
    def filter_entity(self, queryset, name, value):
        return queryset.concerning([value.pk])


class PortalContractFilterSet(SearchFilterSet):
    family = _family()
    cpv = _cpv()
    entity = django_filters.ModelChoiceFilter(
        label="Acheteur", field_name="buyer", queryset=Entity.objects.active(), empty_label="Tous"
    )
    procedure = _procedure("procedure")
    year = django_filters.NumberFilter(
        label="Année de notification",
        field_name="notification_date__year",
        min_value=2000,
        max_value=2100,
    )

    class Meta:
        model = Contract
        fields = ["q", "family", "cpv", "entity", "procedure", "year"]
