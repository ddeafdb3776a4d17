"""View guards: every staff page names the permission it needs; the role matrix decides."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm


class RequirePermMixin(LoginRequiredMixin):
    """Login required, then `required_perm` (403 when missing)."""

    required_perm: Perm | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_perm is None:
            raise PermissionDenied("Aucune permission déclarée pour cette page.")
        self.access = access_for(request.user)
        if not self.access.has(self.required_perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
