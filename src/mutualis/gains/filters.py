"""Filters of the gains list, shared by the page, its exports and the links of the synthesis."""

import django_filters
from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.filters import SearchFilterSet, YesNoAllWidget
from mutualis.organisations.models import Entity, User
from mutualis.organisations.roles import Role
from mutualis.organisations.vocabulary import word

from .method import GainKind
from .models import Gain, GainStage, GainStatus, Lever

# Years a gain can belong to: wide, but an id or a typo (« 20266 ») is refused rather than read.
FIRST_YEAR, LAST_YEAR = 2000, 2100
NO_FAMILY, NO_BUYER = "Sans famille", "Sans acheteur"


def buyers(request=None):
    """People who hold or held the buyer role (django-filter passes the request to a callable)."""
    return User.objects.filter(memberships__role=Role.BUYER).distinct().order_by("last_name", "first_name")


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class GainFilterSet(SearchFilterSet):
    """A year shows the gains with a share in it: notified that year (N) or the year before (N+1)."""

    year = YearFilter(
        label="Année",
        method="filter_year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="Gains notifiés cette année-là ou l'année précédente (part N+1).",
    )
    year_n = YearFilter(
        label="Année de notification",
        field_name="year_n",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="Gains notifiés cette année-là seulement (les liens « part N » de la synthèse).",
    )
    entity = django_filters.ModelChoiceFilter(
        label=word("one_cap"), queryset=Entity.objects.all(), empty_label=word("every")
    )
    family = django_filters.ModelChoiceFilter(
        label="Famille d'achat",
        queryset=PurchaseFamily.objects.all(),
        empty_label="Toutes",
        null_label=NO_FAMILY,
    )
    buyer = django_filters.ModelChoiceFilter(
        label="Acheteur", queryset=buyers, empty_label="Tous", null_label=NO_BUYER
    )
    lever = django_filters.ChoiceFilter(label="Levier", choices=Lever.choices, empty_label="Tous")
    stage = django_filters.ChoiceFilter(label="Stade", choices=GainStage.choices, empty_label="Tous")
    status = django_filters.ChoiceFilter(label="État", choices=GainStatus.choices, empty_label="Tous")
    counted = django_filters.BooleanFilter(
        label="Compté dans la synthèse (déclaré ou validé)", method="filter_counted", widget=YesNoAllWidget()
    )
    kind = django_filters.ChoiceFilter(label="Nature", choices=GainKind.choices, empty_label="Toutes")

    class Meta:
        model = Gain
        fields = ["q", "year", "year_n", "entity", "family", "buyer", "lever", "stage", "status", "counted",
                  "kind"]  # fmt: skip

    def filter_year(self, queryset, name, value):
        return queryset.in_year(value)

    def filter_counted(self, queryset, name, value):
        counted = queryset.counted()
        return counted if value else queryset.exclude(pk__in=counted.values("pk"))
