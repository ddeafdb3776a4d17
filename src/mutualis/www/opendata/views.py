"""Open-data exports page and downloads: the DECP and OCDS files, built and validated on request."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from mutualis.opendata.exports.decp import current_rules, export_decp
from mutualis.opendata.exports.ocds import export_ocds, ocid_prefix
from mutualis.opendata.services import decp_export_published
from mutualis.organisations.roles import Perm
from mutualis.www.permissions import RequirePermMixin

TEMPLATE = "www/opendata/exports.html"
# 409 Conflict: the registry's current data conflict with the official schema; nothing is served.
REFUSED_STATUS = 409


def _page(request, *, refused: str = "", decp=None, ocds=None, status: int = 200) -> HttpResponse:
    context = {
        "page_title": "Téléchargement refusé : données non conformes" if refused else "Données ouvertes",
        "decp": decp or export_decp(),
        "ocds": ocds or export_ocds(),
        "rules": current_rules(),
        "ocid_prefix": ocid_prefix(),
        "refused": refused,
    }
    return render(request, TEMPLATE, context, status=status)


def _attachment(text: str, stem: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}_{timezone.localdate().isoformat()}.json"'
    return response


class ExportsView(RequirePermMixin, View):
    """What the two files contain, whether they conform, and the contracts left out with their reason."""

    required_perm = Perm.MANAGE_CONTRACTS

    def get(self, request):
        return _page(request)


class DecpDownloadView(RequirePermMixin, View):
    """The DECP 2.0.3 file to publish on data.gouv.fr; refused (409) when it does not conform."""

    required_perm = Perm.MANAGE_CONTRACTS

    def get(self, request):
        today = timezone.localdate()
        result = export_decp(today=today)
        if not result.is_valid:
            return _page(request, refused="decp", decp=result, status=REFUSED_STATUS)
        return _attachment(result.to_json(), "decp")


class DecpPublishedView(RequirePermMixin, View):
    """Record that the file was published today: the first publication date of the contracts and
    amendments that had none. A download alone records nothing (a file may be fetched only to check it)."""

    required_perm = Perm.MANAGE_CONTRACTS

    def post(self, request):
        today = timezone.localdate()
        result = export_decp(today=today)
        if not result.is_valid:
            return _page(request, refused="decp", decp=result, status=REFUSED_STATUS)
        count = decp_export_published(actor=request.user, export=result, on=today)
        messages.success(
            request,
            f"Publication enregistrée le {today:%d/%m/%Y} : "
            f"{count} contrat(s) publié(s) pour la première fois.",
        )
        return redirect("opendata:exports")


class OcdsDownloadView(RequirePermMixin, View):
    """The OCDS 1.1.5 release package; refused (409) when it does not conform."""

    required_perm = Perm.MANAGE_CONTRACTS

    def get(self, request):
        result = export_ocds()
        if not result.is_valid:
            return _page(request, refused="ocds", ocds=result, status=REFUSED_STATUS)
        return _attachment(result.to_json(), "ocds")
