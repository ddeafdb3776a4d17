"""Filters of the contracts registry, shared by its list pages and the API."""

import django_filters
from django import forms
from django.utils import timezone

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts import enums
from mutualis.contracts.models import Contract
from mutualis.core.filters import CodeOrIdFilter, SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import Entity

STATES = [("in_force", "En cours"), ("ended", "Terminé"), ("not_notified", "Non notifié")]
# The browser's date picker; the value travels as ISO (yyyy-mm-dd), which every client can write.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HORIZONS = [(90, "3 mois"), (180, "6 mois"), (365, "12 mois"), (730, "24 mois")]


class ContractFilterSet(SearchFilterSet):
    buyer = django_filters.ModelChoiceFilter(
        label="Acheteur", queryset=Entity.objects.all(), empty_label="Tous"
    )
    family = CodeOrIdFilter(
        label="Famille d'achat", queryset=PurchaseFamily.objects.all(), empty_label="Toutes"
    )
    cpv = django_filters.CharFilter(
        label="Code CPV (début)", field_name="cpv__code", lookup_expr="startswith"
    )
    procedure = django_filters.ChoiceFilter(
        label="Procédure", choices=enums.Procedure.choices, empty_label="Toutes"
    )
    is_framework = django_filters.BooleanFilter(label="Accord-cadre", widget=YesNoAllWidget())
    state = django_filters.ChoiceFilter(
        label="État", choices=STATES, method="filter_state", empty_label="Tous"
    )
    ending_within = django_filters.ChoiceFilter(
        label="Se termine dans", choices=HORIZONS, method="filter_ending", empty_label="Indifférent"
    )
    decision_overdue = django_filters.BooleanFilter(
        label="Décision en retard", method="filter_overdue", widget=YesNoAllWidget()
    )
    notified_from = django_filters.DateFilter(
        label="Notifié à partir du", field_name="notification_date", lookup_expr="gte", widget=DATE_INPUT
    )
    notified_to = django_filters.DateFilter(
        label="Notifié jusqu'au", field_name="notification_date", lookup_expr="lte", widget=DATE_INPUT
    )
    publication_late = django_filters.BooleanFilter(
        label="Données essentielles en retard",
        method="filter_publication_late",
        widget=YesNoAllWidget(),
        help_text="Non publiées plus de deux mois après la notification.",
    )

    class Meta:
        model = Contract
        fields = ["q", "buyer", "family", "cpv", "procedure", "is_framework", "state", "ending_within",
                  "decision_overdue", "notified_from", "notified_to", "publication_late"]  # fmt: skip

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "in_force":
            return queryset.in_force(today)
        if value == "not_notified":
            return queryset.filter(notification_date__isnull=True)
        return queryset.notified().exclude(pk__in=queryset.in_force(today).values("pk"))

    def filter_ending(self, queryset, name, value):
        return queryset.expiring_within(int(value))

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.decision_overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_publication_late(self, queryset, name, value):
        late = queryset.publication_late()
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class ContractApiFilterSet(ContractFilterSet):
    """The registry page's filters, plus the identifier-based ones API clients use instead of lists."""

    buyer_siret = django_filters.CharFilter(label="SIRET de l'acheteur", field_name="buyer__siret")
    supplier = django_filters.CharFilter(
        label="Identifiant d'un titulaire", field_name="holder_links__supplier__identifier", distinct=True
    )
    end_date_after = django_filters.DateFilter(
        label="Fin au plus tôt le", field_name="end_date", lookup_expr="gte"
    )
    end_date_before = django_filters.DateFilter(
        label="Fin au plus tard le", field_name="end_date", lookup_expr="lte"
    )

    class Meta(ContractFilterSet.Meta):
        fields = [
            *ContractFilterSet.Meta.fields,
            "buyer_siret",
            "supplier",
            "end_date_after",
            "end_date_before",
        ]


class UsableContractFilterSet(SearchFilterSet):
    family = django_filters.ModelChoiceFilter(
        label="Famille d'achat", queryset=PurchaseFamily.objects.active(), empty_label="Toutes"
    )
    cpv = django_filters.CharFilter(
        label="Code CPV (début)", field_name="cpv__code", lookup_expr="startswith"
    )
    notified_from = django_filters.DateFilter(
        label="Notifié à partir du",
        field_name="notification_date",
        lookup_expr="gte",
        help_text="Date au format jj/mm/aaaa : les contrats nouveaux.",
    )

    class Meta:
        model = Contract
        fields = ["q", "family", "cpv", "notified_from"]
