"""The offer analysis report of a project: a workbook for the team and a PDF for the file and the
committee, both from the same rows (report_data.py)."""

import io
import re

import openpyxl
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views import View
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from mutualis.core.formats import weight
from mutualis.core.spreadsheets import append_row
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Project

from ..permissions import RequirePermMixin
from .report_data import AnalysisReport, LotReport, analysis_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "Rapport d'analyse des offres"
BOLD = Font(bold=True)
EMERGENCY = Font(bold=True, color="B00020", size=12)


def offer_headers(report: AnalysisReport) -> list[str]:
    return [
        "Rang",
        "Soumissionnaire",
        "Identifiant",
        "Prix HT (€)",
        *[f"{c.label} ({weight(c.weight)} %) — note /10" for c in report.criteria],
        "Total /100",
        "Offre anormalement basse (motifs)",
        "Régulière",
        "Retenue",
    ]


def build_workbook(report: AnalysisReport) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Analyse des offres"
    _header_block(sheet, report)
    _criteria_block(sheet, report)
    for lot_report in report.lots:
        _lot_block(sheet, report, lot_report)
    for index, width in enumerate([8, 36, 24, 16] + [18] * len(report.criteria) + [12, 50, 10, 10], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet, values, font=None):
    append_row(sheet, values)
    if font is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = font


def _header_block(sheet, report: AnalysisReport) -> None:
    project = report.project
    _append(sheet, [TITLE], Font(bold=True, size=14))
    rows = [
        ["Projet", project.reference],
        ["Objet", project.object],
        ["Famille d'achat", str(project.family)],
        ["Procédure retenue", report.procedure],
        ["Valeur estimée HT (€)", project.estimated_value],
    ]
    for label, value in rows:
        _append(sheet, [label, value])
        sheet.cell(sheet.max_row, 1).font = BOLD
    if project.is_emergency:
        _append(sheet, ["URGENCE IMPÉRIEUSE", project.emergency_justification], EMERGENCY)
    _append(sheet, ["Édité le", report.edited_on])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.cell(sheet.max_row, 2).number_format = "DD/MM/YYYY"
    sheet.append([])


def _criteria_block(sheet, report: AnalysisReport) -> None:
    _append(sheet, ["Critères d'attribution"], Font(bold=True, size=12))
    _append(sheet, ["Critère", "Nature", "Pondération (%)"], BOLD)
    for criterion in report.criteria:
        append_row(sheet, [criterion.label, criterion.get_kind_display(), criterion.weight])
    _append(sheet, ["Total", "", report.weight_total], BOLD)
    if report.weight_total != 100:
        append_row(sheet, ["Grille incomplète : les pondérations ne totalisent pas 100 %."])
    sheet.append([])


def _lot_block(sheet, report: AnalysisReport, lot_report: LotReport) -> None:
    lot = lot_report.lot
    _append(sheet, [f"Lot {lot.number} — {lot.title}"], Font(bold=True, size=12))
    append_row(sheet, ["Valeur estimée HT (€)", lot.estimated_value, "Statut", lot.get_status_display()])
    if lot.unsuccessful_reason:
        append_row(sheet, ["Motif", lot.unsuccessful_reason])
    if not lot_report.rows:
        append_row(sheet, ["Aucune offre saisie."])
        sheet.append([])
        return
    _append(sheet, offer_headers(report), BOLD)
    for row in lot_report.rows:
        append_row(
            sheet,
            [
                row.rank,
                row.supplier,
                row.identifier,
                row.price,
                *row.scores,
                row.total,
                row.abnormally_low,
                "Oui" if row.is_regular else "Non",
                "Oui" if row.is_retained else "Non",
            ],
        )
        sheet.cell(sheet.max_row, len(report.criteria) + 6).alignment = Alignment(wrap_text=True)
    if lot_report.rounds:
        _rounds_block(sheet, lot_report)
    sheet.append([])


ROUND_HEADERS = [
    "Tour n°",
    "Soumissionnaire",
    "Date",
    "Prix HT avant (€)",
    "Prix HT après (€)",
    "Écart (€)",
    "Écart (%)",
    "Par",
    "Observations",
]


def _rounds_block(sheet, lot_report: LotReport) -> None:
    sheet.append([])
    _append(sheet, [f"Lot {lot_report.lot.number} : tours de négociation"], BOLD)
    _append(sheet, ROUND_HEADERS, BOLD)
    for row in lot_report.rounds:
        append_row(
            sheet,
            [
                row.number,
                row.supplier,
                row.held_on,
                row.price_before,
                row.price_after,
                row.difference,
                row.difference_percent,
                row.by,
                row.notes,
            ],
        )
        sheet.cell(sheet.max_row, 3).number_format = "DD/MM/YYYY"


def render_pdf(report: AnalysisReport) -> bytes:
    # Imported here: WeasyPrint loads its fonts and libraries at import time, which pages don't need.
    import weasyprint

    html = render_to_string("www/procurements/analysis_print.html", {"report": report, "title": TITLE})
    # PDF/UA: a tagged PDF (headings, tables, language), readable by screen readers.
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


DOWNLOAD_COOKIE = "mutualis_telechargement"
DOWNLOAD_TOKEN = re.compile(r"[A-Za-z0-9]{1,32}")


def mark_download_ready(request, response) -> None:
    """Echo the page's `jeton` in a short-lived cookie: download-progress.js watches for it to tell the
    user that a slow file (the PDF) is ready, since a page cannot see an attachment arrive."""
    token = request.GET.get("jeton", "")
    if DOWNLOAD_TOKEN.fullmatch(token):
        response.set_cookie(
            DOWNLOAD_COOKIE, token, max_age=120, samesite="Lax", secure=request.is_secure(), httponly=False
        )


class AnalysisReportView(RequirePermMixin, View):
    required_perm = Perm.VIEW_PROJECTS
    file_format = ""
    content_type = ""

    def get(self, request, pk):
        project = get_object_or_404(
            Project.objects.for_user(request.user).select_related("family", "stage"), pk=pk
        )
        if not project.offers_visible_to(request.user):
            raise PermissionDenied("Les offres sont confidentielles : réservé à l'équipe et à la commission.")
        report = analysis_report(project)
        response = HttpResponse(self.render(report), content_type=self.content_type)
        filename = f"{report.file_stem}.{self.file_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        mark_download_ready(request, response)
        return response

    def render(self, report: AnalysisReport) -> bytes:
        raise NotImplementedError


class AnalysisXlsxView(AnalysisReportView):
    file_format, content_type = "xlsx", XLSX

    def render(self, report):
        return build_workbook(report)


class AnalysisPdfView(AnalysisReportView):
    file_format, content_type = "pdf", "application/pdf"

    def render(self, report):
        return render_pdf(report)
