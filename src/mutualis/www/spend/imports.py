"""Spend import from the interface: upload for an entity, background run with progress, report."""

import os

from django import forms
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from mutualis.organisations.roles import Perm
from mutualis.spend.importer import progress_key
from mutualis.spend.models import SpendImport, SpendImportStatus
from mutualis.spend.permissions import importable_entities
from mutualis.spend.services import spend_import_start
from mutualis.spend.summary import summary_of
from mutualis.spend.tasks import REPORT_NAME, stored_name

from ..files import private_file_response
from ..imports import RefusedWith400Mixin
from ..permissions import RequirePermMixin
from ..uploads import MultipleFileField


class SpendUploadForm(forms.Form):
    entity = forms.ModelChoiceField(label="Entité qui a payé ces mandats", queryset=None)
    files = MultipleFileField(
        label="Fichiers de mandats",
        help_text="CSV (séparateur ; ou ,) ou Excel (.xlsx), un ou plusieurs fichiers.",
        extensions=(".csv", ".xlsx"),
    )
    dry_run = forms.BooleanField(label="Simulation : tout vérifier sans rien enregistrer", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = importable_entities(user)


class SpendImportView(RefusedWith400Mixin, RequirePermMixin, FormView):
    required_perm = Perm.IMPORT_SPEND
    template_name = "www/spend/import_form.html"
    form_class = SpendUploadForm
    extra_context = {"page_title": "Importer des mandats"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        run = spend_import_start(
            actor=self.request.user, entity=data["entity"], files=data["files"], dry_run=data["dry_run"]
        )
        return redirect("spend:import_run", pk=run.pk)


class SpendImportListView(RequirePermMixin, ListView):
    required_perm = Perm.VIEW_SPEND
    template_name = "www/spend/import_list.html"
    paginate_by = 30
    extra_context = {"page_title": "Imports de mandats"}

    def get_queryset(self):
        return SpendImport.objects.for_user(self.request.user).select_related("entity", "user")


class SpendImportRunView(RequirePermMixin, DetailView):
    required_perm = Perm.VIEW_SPEND
    template_name = "www/spend/import_run.html"

    def get_queryset(self):
        return SpendImport.objects.for_user(self.request.user).select_related("entity", "user")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":
            return JsonResponse(run_status(self.get_object()))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        run = self.object
        return super().get_context_data(
            page_title=f"Import de mandats du {run.started_at:%d/%m/%Y %H:%M}",
            live=run_status(run),
            summary=summary_of(run.counts, dry_run=run.dry_run),
            has_report=os.path.isfile(default_storage.path(stored_name(run.pk, REPORT_NAME))),
            **kwargs,
        )


def run_status(run: SpendImport) -> dict:
    """What the progress bar shows: the stored state, or the worker's progress while it runs."""
    done = run.status in {SpendImportStatus.DONE, SpendImportStatus.FAILED}
    status = {
        "status": run.status,
        "label": run.get_status_display(),
        "progress": 1.0 if done else 0.0,
        "records_read": run.counts.get("read", 0),
    }
    if not done:
        status.update(cache.get(progress_key(run.pk)) or {})
    status["percent"] = round(100 * status["progress"])
    return status


class SpendImportReportView(RequirePermMixin, View):
    """The full report of a run as CSV (every line, beyond the first ones shown on the page)."""

    required_perm = Perm.VIEW_SPEND

    def get(self, request, pk):
        run = get_object_or_404(SpendImport.objects.for_user(request.user), pk=pk)
        name = stored_name(run.pk, REPORT_NAME)
        if not os.path.isfile(default_storage.path(name)):
            raise Http404
        return private_file_response(name, filename=f"rapport_import_mandats_{pk}.csv")
