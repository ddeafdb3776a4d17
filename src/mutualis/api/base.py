"""What every API endpoint shares: the role matrix and user scoping (filters come from the domain apps)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, throttling, viewsets
from rest_framework.views import APIView

from mutualis.core.scoping import scoped
from mutualis.organisations.access import access_for


class HasPerm(permissions.BasePermission):
    """The view's `required_perm`, read from the same role matrix as the pages."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and access_for(request.user).has(
            view.required_perm
        )


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only endpoint whose rows are those the user sees in the interface."""

    permission_classes = [HasPerm]
    required_perm = None

    def get_queryset(self):
        # Final, as in FilteredListView: narrow the rows in `queryset`, never around the scoping rule.
        return self.optimise(scoped(self.queryset.all(), self.request.user))

    def optimise(self, queryset):
        return queryset


class PublicCalculatorView(APIView):
    """A computation anyone may ask for: no authentication, a rate per address under `throttle_scope`
    (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in the settings)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [throttling.ScopedRateThrottle]
    throttle_scope = None


def describe(viewset, *, plural: str, singular: str, detail: str):
    """French summaries for the OpenAPI documentation (docstrings stay for developers)."""
    return extend_schema_view(
        list=extend_schema(summary=f"Liste des {plural}", description=detail),
        retrieve=extend_schema(summary=f"Détail d'un {singular}", description=detail),
    )(viewset)
