"""The one import page: upload, whole-file check, row-level report, all-or-nothing write."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView

from mutualis.core.import_files import row_count
from mutualis.core.import_runs import spreadsheet_import_start
from mutualis.core.imports import ImportFileError, column_help, import_dataset, read_dataset
from mutualis.core.models import SpreadsheetImport

from .exports import export_response
from .permissions import RequirePermMixin


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier à importer",
        help_text="Excel (.xlsx) ou CSV, 10 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label="Vérifier seulement, sans rien enregistrer", required=False, initial=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MUTUALIS_IMPORT_MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers.")
        return upload


class RefusedWith400Mixin:
    """A refused upload answers 400 Bad Request, with the form and its errors: never a 200."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportView(RefusedWith400Mixin, RequirePermMixin, FormView):
    """Subclasses set resource_class, title, list_url_name, natural_key and template_queryset()."""

    template_name = "www/import.html"
    form_class = ImportForm
    resource_class = None
    list_url_name = ""
    natural_key = ""
    file_stem = "modele"
    title = ""

    def get_cancel_url(self) -> str:
        return reverse(self.list_url_name)

    def import_params(self) -> dict:
        """What the resource needs besides the user, as JSON (it goes to the background worker)."""
        return {}

    def get_resource(self):
        return self.resource_class.for_import(self.request.user, **self.import_params())

    def template_queryset(self):
        return self.resource_class._meta.model.objects.all()

    def get(self, request, *args, **kwargs):
        if "template" in request.GET:
            return export_response(
                self.get_resource(), self.template_queryset(), file_stem=self.file_stem, file_format="xlsx"
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            natural_key=self.natural_key,
            template_url=f"{self.request.path}?template=1",
            cancel_url=self.get_cancel_url(),
            columns=column_help(self.get_resource()),
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            resource = self.get_resource()
            # Counted in a fraction of a second; a long file goes to the background worker.
            if (
                row_count(upload.name, content, resource.import_max_rows)
                > settings.MUTUALIS_IMPORT_BACKGROUND_ROWS
            ):
                run = spreadsheet_import_start(
                    actor=self.request.user,
                    resource_class=type(resource),
                    params=self.import_params(),
                    title=self.title,
                    back_url=self.get_cancel_url(),
                    name=upload.name,
                    content=content,
                    dry_run=form.cleaned_data["dry_run"],
                )
                return redirect("www:import_run", pk=run.pk)
            dataset = read_dataset(upload.name, content, max_rows=resource.import_max_rows)
            report = import_dataset(
                resource, dataset, user=self.request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportFileError as error:
            return self.render_to_response(
                self.get_context_data(form=form, file_error=str(error)), status=400
            )
        if report.written:
            messages.success(
                self.request,
                f"Import terminé : {report.created} création(s), {report.updated} mise(s) à jour, "
                f"{report.skipped} ligne(s) inchangée(s).",
            )
        status = 200 if report.accepted else 400
        return self.render_to_response(self.get_context_data(form=form, report=report), status=status)


class ImportRunView(LoginRequiredMixin, DetailView):
    """A background spreadsheet import, seen by the person who started it: state, then its report."""

    template_name = "www/import_run.html"
    context_object_name = "run"

    def get_queryset(self):
        return SpreadsheetImport.objects.filter(user=self.request.user)
