"""Pieces shared by the domain filter sets, which serve both the list pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    """Tous / Oui / Non, in French, for boolean filters."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "Tous"), ("true", "Oui"), ("false", "Non")]


class SearchFilterSet(django_filters.FilterSet):
    """Adds a free-text `q` filter delegated to the QuerySet's `search()` method."""

    q = django_filters.CharFilter(method="filter_search", label="Rechercher")

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class CodeOrIdChoiceField(forms.ModelChoiceField):
    """A record chosen by its id (the page's select) or by its `code` (what API clients know)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        match = Q(code=value)
        if value.isdigit():
            match |= Q(pk=int(value))
        found = self.queryset.filter(match).first()
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


@extend_schema_field(OpenApiTypes.STR)
class CodeOrIdFilter(django_filters.ModelChoiceFilter):
    """Filter on a related record given by its id or its code (e.g. a purchase family)."""

    field_class = CodeOrIdChoiceField
