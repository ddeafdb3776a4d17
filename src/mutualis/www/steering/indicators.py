"""The cockpit (every indicator of a scope, its trend, its target, the charts) and one indicator's page
(its breakdowns and the rows behind it)."""

from django.http import Http404
from django.views.generic import TemplateView

from mutualis.organisations.roles import Perm
from mutualis.steering import cockpit
from mutualis.steering.improvements import improvement_counts
from mutualis.steering.indicators import BY_CODE, compute

from ..permissions import RequirePermMixin
from . import breakdowns
from .scope_form import scope_from


class CockpitView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_STEERING
    template_name = "www/steering/cockpit.html"

    def get_context_data(self, **kwargs):
        scope, form = scope_from(self.request)
        sections = cockpit.sections(scope, self.request.user)
        values = {line.indicator.code: line.current for section in sections for line in section.lines}
        return super().get_context_data(
            page_title=f"Pilotage des achats — {scope.label}",
            scope=scope,
            form=form,
            sections=sections,
            charts=cockpit.charts(scope, self.request.user, values),
            can_set_objectives=self.access.has(Perm.MANAGE_OBJECTIVES),
            improvements=improvement_counts(self.request.user),
            **kwargs,
        )


class IndicatorDetailView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_STEERING
    template_name = "www/steering/indicator_detail.html"

    def get_context_data(self, **kwargs):
        indicator = BY_CODE.get(self.kwargs["code"])
        if indicator is None:
            raise Http404("Indicateur inconnu.")
        scope, form = scope_from(self.request)
        user = self.request.user
        return super().get_context_data(
            page_title=f"{indicator.label} — {scope.label}",
            indicator=indicator,
            item=compute(scope, user)[indicator.code],
            scope=scope,
            form=form,
            tables=breakdowns.tables_for(indicator, scope, user),
            **kwargs,
        )
