"""Open-data exports page and downloads. The DECP and OCDS files are built and validated by the
background worker when asked (opendata/exports/store.py); the page reads only the stored summaries and
the downloads serve the stored files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from mutualis.contracts.models import Contract
from mutualis.opendata.exports.decp import current_rules
from mutualis.opendata.exports.ocds import ocid_prefix
from mutualis.opendata.models import ExportKind, OpenDataExport
from mutualis.opendata.services import decp_stored_export_published, open_data_exports_prepare
from mutualis.organisations.roles import Perm
from mutualis.www.files import private_file_response
from mutualis.www.permissions import RequirePermMixin

TEMPLATE = "www/opendata/exports.html"
# 409 Conflict: the registry's data conflicted with the official schema; nothing is served.
REFUSED_STATUS = 409


def _page(request, *, refused: str = "", status: int = 200) -> HttpResponse:
    decp = OpenDataExport.objects.latest_built(ExportKind.DECP)
    ocds = OpenDataExport.objects.latest_built(ExportKind.OCDS)
    built = [export.finished_at for export in (decp, ocds) if export]
    changed = Contract.objects.aggregate(last=Max("updated_at"))["last"]
    context = {
        "page_title": "Téléchargement refusé : données non conformes" if refused else "Données ouvertes",
        "decp": decp,
        "ocds": ocds,
        "pending": OpenDataExport.objects.pending().exists(),
        # A contract changed after the oldest stored export: the files may be out of date.
        "stale": bool(built and changed and changed > min(built)),
        "rules": current_rules(),
        "ocid_prefix": ocid_prefix(),
        "refused": refused,
    }
    return render(request, TEMPLATE, context, status=status)


def _nothing_prepared(request) -> HttpResponse:
    messages.error(request, "Aucun fichier n'a encore été préparé : utilisez « Préparer les exports ».")
    return redirect("opendata:exports")


class ExportsView(RequirePermMixin, View):
    """What the two stored files contain, whether they conform, the contracts left out and why."""

    required_perm = Perm.MANAGE_CONTRACTS

    def get(self, request):
        return _page(request)


class ExportsPrepareView(RequirePermMixin, View):
    """Ask the background worker for fresh DECP and OCDS files."""

    required_perm = Perm.MANAGE_CONTRACTS

    def post(self, request):
        open_data_exports_prepare(actor=request.user)
        messages.success(
            request,
            "Préparation des exports demandée : les fichiers sont produits et vérifiés en arrière-plan. "
            "Rechargez la page dans quelques instants.",
        )
        return redirect("opendata:exports")


class StoredDownloadView(RequirePermMixin, View):
    """The last stored file of a kind: refused (409) when it did not conform, none yet: back to the page."""

    required_perm = Perm.MANAGE_CONTRACTS
    kind = ""

    def get(self, request):
        export = OpenDataExport.objects.latest_built(self.kind)
        if export is None:
            return _nothing_prepared(request)
        if not export.is_valid:
            return _page(request, refused=self.kind, status=REFUSED_STATUS)
        return private_file_response(export.file_name, filename=export.download_name)


class DecpDownloadView(StoredDownloadView):
    """The DECP 2.0.3 file to publish on data.gouv.fr."""

    kind = ExportKind.DECP


class OcdsDownloadView(StoredDownloadView):
    """The OCDS 1.1.5 release package."""

    kind = ExportKind.OCDS


class DecpPublishedView(RequirePermMixin, View):
    """Record that the stored DECP file was published: the first publication date (the one written in
    the file) of its contracts and amendments that had none. A download alone records nothing."""

    required_perm = Perm.MANAGE_CONTRACTS

    def post(self, request):
        export = OpenDataExport.objects.latest_built(ExportKind.DECP)
        if export is None:
            return _nothing_prepared(request)
        try:
            count = decp_stored_export_published(actor=request.user, export=export)
        except ValidationError:
            return _page(request, refused="decp", status=REFUSED_STATUS)
        messages.success(
            request,
            f"Publication enregistrée à la date du fichier ({export.built_on:%d/%m/%Y}) : "
            f"{count} contrat(s) publié(s) pour la première fois.",
        )
        return redirect("opendata:exports")
