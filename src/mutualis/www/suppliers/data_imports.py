"""Enriching suppliers from a file the user loads: a SIRENE stock-file extract or an inclusion list,
uploaded (streamed to disk by Django, copied chunk by chunk), imported in the background, then its
counts and line-level report."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView

from mutualis.organisations.roles import Perm
from mutualis.suppliers.data_imports import summary_of, supplier_data_import_start
from mutualis.suppliers.models import DataImportKind, SupplierDataImport

from ..imports import RefusedWith400Mixin
from ..permissions import RequirePermMixin

EXTENSIONS = (".csv", ".zip", ".txt")


class DataImportForm(forms.Form):
    kind = forms.ChoiceField(label="Fichier", choices=DataImportKind.choices)
    file = forms.FileField(
        label="Fichier à importer",
        help_text="CSV (séparateur virgule ou point-virgule, UTF-8) ou l'archive .zip publiée par l'INSEE.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    data_date = forms.DateField(
        label="Date des données",
        help_text="Fichier stock SIRENE : le dernier jour du mois qu'il décrit ; une liste : sa date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(f"« {upload.name} » : seuls les fichiers .csv et .zip sont acceptés.")
        limit = settings.MUTUALIS_SIRENE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"« {upload.name} » dépasse {limit // (1024 * 1024)} Mo.")
        return upload

    def clean_data_date(self):
        value = self.cleaned_data["data_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date des données ne peut pas être dans le futur.")
        return value


class SupplierDataImportView(RefusedWith400Mixin, RequirePermMixin, FormView):
    required_perm = Perm.MANAGE_SUPPLIERS
    template_name = "www/suppliers/data_import_form.html"
    form_class = DataImportForm

    def get_context_data(self, **kwargs):
        runs = SupplierDataImport.objects.select_related("user")[:20]
        return super().get_context_data(runs=runs, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        run = supplier_data_import_start(
            actor=self.request.user, kind=data["kind"], data_date=data["data_date"], upload=data["file"]
        )
        return redirect("suppliers:data_import_run", pk=run.pk)


class SupplierDataImportRunView(RequirePermMixin, DetailView):
    required_perm = Perm.MANAGE_SUPPLIERS
    template_name = "www/suppliers/data_import_run.html"

    def get_queryset(self):
        return SupplierDataImport.objects.for_user(self.request.user).select_related("user")

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=summary_of(self.object.counts), **kwargs)
