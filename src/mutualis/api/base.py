"""What every API endpoint shares: the role matrix, user scoping and free-text search."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from mutualis.organisations.access import access_for


class HasPerm(permissions.BasePermission):
    """The view's `required_perm`, read from the same role matrix as the pages."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and access_for(request.user).has(
            view.required_perm
        )


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Recherche libre")

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only endpoint whose rows are those the user sees in the interface."""

    permission_classes = [HasPerm]
    required_perm = None

    def get_queryset(self):
        queryset = self.queryset.all()
        if hasattr(queryset, "for_user"):
            queryset = queryset.for_user(self.request.user)
        return self.optimise(queryset)

    def optimise(self, queryset):
        return queryset


def describe(viewset, *, plural: str, singular: str, detail: str):
    """French summaries for the OpenAPI documentation (docstrings stay for developers)."""
    return extend_schema_view(
        list=extend_schema(summary=f"Liste des {plural}", description=detail),
        retrieve=extend_schema(summary=f"Détail d'un {singular}", description=detail),
    )(viewset)
