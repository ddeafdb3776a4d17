"""Filters of the library's list (free text over title and summary, module, family, kind), shared by the
page and its exports."""

import django_filters

from mutualis.catalogue.models import PurchaseFamily
from mutualis.clients.models import ServiceModule
from mutualis.core.filters import SearchFilterSet

from .models import Document, Kind


def _families(request=None):
    """The families some document the reader sees is filed under, not the whole catalogue."""
    seen = Document.objects.visible_to(getattr(request, "user", None))
    return PurchaseFamily.objects.filter(pk__in=seen.values("family")).order_by("label")


class DocumentFilterSet(SearchFilterSet):
    module = django_filters.ModelChoiceFilter(
        label="Module de l'offre", queryset=ServiceModule.objects.all(), empty_label="Tous"
    )
    family = django_filters.ModelChoiceFilter(
        label="Famille d'achat", queryset=_families, empty_label="Toutes"
    )
    kind = django_filters.ChoiceFilter(label="Type de document", choices=Kind.choices, empty_label="Tous")
    archived = django_filters.BooleanFilter(label="Archivé", field_name="is_archived")

    class Meta:
        model = Document
        fields = ["q", "module", "family", "kind", "archived"]
