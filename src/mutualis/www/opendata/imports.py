"""DECP import from the interface: upload, background run, progress, report."""

import os

from django import forms
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from mutualis.opendata.decp_import.service import progress_key
from mutualis.opendata.models import ImportRun, ImportStatus
from mutualis.opendata.services import decp_import_start
from mutualis.opendata.tasks import REPORT_NAME, stored_name
from mutualis.organisations.roles import Perm
from mutualis.www.imports import RefusedWith400Mixin

from ..files import private_file_response
from ..permissions import RequirePermMixin
from ..uploads import MultipleFileField


class DecpUploadForm(forms.Form):
    files = MultipleFileField(
        label="Fichiers de données essentielles",
        help_text="JSON (format 2019 ou 2022) ou XML (format 2022), un ou plusieurs fichiers.",
        extensions=(".json", ".xml"),
    )
    dry_run = forms.BooleanField(label="Simulation : tout vérifier sans rien enregistrer", required=False)


class DecpImportView(RefusedWith400Mixin, RequirePermMixin, FormView):
    required_perm = Perm.MANAGE_CONTRACTS
    template_name = "www/opendata/import_form.html"
    form_class = DecpUploadForm
    extra_context = {"page_title": "Importer des données essentielles"}

    def form_valid(self, form):
        run = decp_import_start(
            actor=self.request.user, files=form.cleaned_data["files"], dry_run=form.cleaned_data["dry_run"]
        )
        return redirect("opendata:import_detail", pk=run.pk)


class ImportRunListView(RequirePermMixin, ListView):
    required_perm = Perm.MANAGE_CONTRACTS
    template_name = "www/opendata/import_list.html"
    queryset = ImportRun.objects.select_related("user")
    paginate_by = 30
    extra_context = {"page_title": "Imports de données essentielles"}


class ImportRunDetailView(RequirePermMixin, DetailView):
    required_perm = Perm.MANAGE_CONTRACTS
    template_name = "www/opendata/import_detail.html"
    model = ImportRun

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":
            return JsonResponse(run_status(self.get_object()))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        context.update(
            page_title=f"Import du {run.started_at:%d/%m/%Y %H:%M}",
            live=run_status(run),
            # (position, name, downloadable): files given on the command line were never stored here.
            run_files=[
                (index, name, os.path.isfile(default_storage.path(stored_name(run.pk, name))))
                for index, name in enumerate(run.file_names)
            ],
        )
        return context


def run_status(run: ImportRun) -> dict:
    """What the progress bar shows: the stored state, or the worker's progress while it runs."""
    status = {
        "status": run.status,
        "label": run.get_status_display(),
        "progress": run.progress,
        "records_read": run.records_read,
    }
    if run.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
        status.update(cache.get(progress_key(run.pk)) or {})
    status["percent"] = round(100 * status["progress"])
    return status


class ImportReportDownloadView(RequirePermMixin, View):
    """The full JSON report of a run (every entry, beyond those shown on the page)."""

    required_perm = Perm.MANAGE_CONTRACTS

    def get(self, request, pk):
        run = get_object_or_404(ImportRun, pk=pk)
        if not run.report_file:
            raise Http404
        # The run's own folder, whatever absolute path was recorded (the data folder may have moved).
        return private_file_response(stored_name(pk, REPORT_NAME), filename=f"rapport_import_{pk}.json")


class ImportFileDownloadView(RequirePermMixin, View):
    """A file uploaded for a run, by its position in the run's list: the request never names a path."""

    required_perm = Perm.MANAGE_CONTRACTS

    def get(self, request, pk, index):
        run = get_object_or_404(ImportRun, pk=pk)
        if index >= len(run.files):
            raise Http404
        # Only what was uploaded into the run's folder: a command-line import lists files from elsewhere.
        name = run.file_names[index]
        return private_file_response(stored_name(pk, name), filename=name)
