"""Home page and site-wide pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm, Role
from mutualis.steering.cockpit import headline
from mutualis.steering.improvements import improvement_counts
from mutualis.suppliers.models import Supplier

from .home import sections_for

STEERS = frozenset({Role.ADMIN, Role.GOVERNANCE})


class HomeView(LoginRequiredMixin, TemplateView):
    """What needs the person today, section by section as their roles call for it."""

    template_name = "www/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        access = access_for(user)
        context = super().get_context_data(**kwargs)
        # The director (administrator) and governance steer: the year's indicators come first for them.
        if access.roles & STEERS and access.has(Perm.VIEW_STEERING):
            year = timezone.localdate().year
            context.update(headline=headline(user, year), headline_year=year)
        if access.has(Perm.VIEW_STEERING):
            counts = improvement_counts(user)
            # The team keeps the log; anyone else sees the card only for the actions he pilots.
            if access.has(Perm.MANAGE_IMPROVEMENTS) or counts["mine"]:
                context["improvements"] = counts
        context.update(
            page_title="Accueil",
            my_memberships=user.memberships.select_related("entity").order_by("entity__name"),
            sees_whole_territory=access.sees_whole_territory,
            sections=sections_for(user),
            entity_count=Entity.objects.for_user(user).active().count(),
            family_count=PurchaseFamily.objects.active().count(),
            supplier_count=Supplier.objects.count(),
        )
        return context


class AccessibilityView(TemplateView):
    """The accessibility statement every public body's site must publish (RGAA)."""

    template_name = "www/accessibility.html"
    extra_context = {"page_title": "Déclaration d'accessibilité"}
