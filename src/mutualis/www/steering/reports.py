"""The governance report's pages: ask for one (scope form), follow its run (progress polled by
import-progress.js), download its PDF and workbook (private files, the run checked in the user's scope)."""

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.list import MultipleObjectMixin, MultipleObjectTemplateResponseMixin

from mutualis.organisations.roles import Perm
from mutualis.steering.models import ReportStatus
from mutualis.steering.services.reports import report_request, reports_for
from mutualis.steering.tasks import progress_key, stored_name

from ..files import private_file_response
from ..permissions import RequirePermMixin
from .scope_form import FIRST_YEAR, LAST_YEAR, ScopeForm


class ReportForm(ScopeForm):
    """The cockpit's scope, the year required: an entity role chooses among its own entities only."""

    year = forms.IntegerField(label="Année", min_value=FIRST_YEAR, max_value=LAST_YEAR)


class ReportListMixin(RequirePermMixin):
    required_perm = Perm.VIEW_STEERING
    template_name = "www/steering/report_list.html"
    paginate_by = 30
    extra_context = {"page_title": "Rapports de gouvernance"}
    form = None

    def get_queryset(self):
        return reports_for(self.request.user)

    def get_context_data(self, **kwargs):
        form = self.form or ReportForm(user=self.request.user)
        return super().get_context_data(form=form, **kwargs)


class ReportListView(ReportListMixin, ListView):
    pass


class ReportCreateView(ReportListMixin, MultipleObjectTemplateResponseMixin, MultipleObjectMixin, View):
    """POST only: a valid form queues the report and shows its run; otherwise the list with the errors
    (the list's mixins, not a ListView: this URL lists nothing on its own)."""

    http_method_names = ["post"]

    def post(self, request):
        self.form = ReportForm(request.POST, user=request.user)
        if self.form.is_valid():
            data = self.form.cleaned_data
            try:
                report = report_request(
                    actor=request.user, year=data["year"], quarter=data["quarter"], entity=data["entity"],
                    family=data["family"],
                )  # fmt: skip
            except ValidationError as error:
                self.form.add_error(None, error)
            else:
                return redirect(report)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=400)


class ReportDetailView(RequirePermMixin, DetailView):
    required_perm = Perm.VIEW_STEERING
    template_name = "www/steering/report_detail.html"

    def get_queryset(self):
        return reports_for(self.request.user)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":
            return JsonResponse(report_status(self.get_object()))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=str(self.object), live=report_status(self.object), **kwargs
        )


def report_status(report) -> dict:
    """What the progress bar shows: the stored state, or the worker's progress while it runs."""
    done = report.status in {ReportStatus.DONE, ReportStatus.FAILED}
    progress = 1.0 if done else (cache.get(progress_key(report.pk)) or {}).get("progress", 0.0)
    percent = round(100 * progress)
    return {
        "status": report.status,
        "label": report.get_status_display(),
        "progress": progress,
        "percent": percent,
        "text": f"{report.get_status_display()} — {percent} %.",
    }


class ReportFileView(RequirePermMixin, View):
    """The PDF or the workbook of a finished report the user may open (404 otherwise)."""

    required_perm = Perm.VIEW_STEERING
    file_format = ""

    def get(self, request, pk):
        report = get_object_or_404(reports_for(request.user), pk=pk, status=ReportStatus.DONE)
        period = f"{report.year}-T{report.quarter}" if report.quarter else str(report.year)
        return private_file_response(
            stored_name(report.pk, self.file_format),
            filename=f"rapport-gouvernance-{period}-{report.pk}.{self.file_format}",
        )
