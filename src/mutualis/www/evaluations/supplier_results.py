"""A supplier's results in one campaign: the page, the PDF addressed to the supplier (never naming which
entity gave which mark), and the record of its sending and of the supplier's observations."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from mutualis.core.history import history_of
from mutualis.evaluations.models import EvaluationCampaign, SupplierComment
from mutualis.evaluations.qcd.aggregate import AXES
from mutualis.evaluations.qcd.supplier_report import SupplierReport, supplier_report
from mutualis.evaluations.services.supplier_comments import supplier_comment_save
from mutualis.organisations.roles import Perm
from mutualis.organisations.vocabulary import current_territory
from mutualis.suppliers.models import Supplier

from ..edits import add_service_errors
from ..permissions import RequirePermMixin
from .forms import DATE
from .qcd_tables import AXIS_LABELS

PDF_TEMPLATE = "www/evaluations/supplier_pdf.html"


class SupplierReportMixin(RequirePermMixin):
    """The campaign (within the reader's scope), the supplier, and its report: 404 when the supplier
    holds no contract evaluated in the campaign."""

    # Looked up lazily, once the permission is checked: a role without it gets 403, not 404.
    @cached_property
    def campaign(self) -> EvaluationCampaign:
        campaigns = EvaluationCampaign.objects.for_user(self.request.user).select_related(
            "family", "contract"
        )
        return get_object_or_404(campaigns, pk=self.kwargs["pk"])

    @cached_property
    def supplier(self) -> Supplier:
        return get_object_or_404(Supplier, pk=self.kwargs["supplier_pk"])

    @cached_property
    def report(self) -> SupplierReport:
        report = supplier_report(self.campaign, self.supplier)
        if report is None:
            raise Http404("Ce fournisseur n'est titulaire d'aucun contrat évalué dans cette campagne.")
        return report

    def result_url(self) -> str:
        return reverse("evaluations:supplier_result", args=[self.campaign.pk, self.supplier.pk])


class SupplierResultView(SupplierReportMixin, TemplateView):
    required_perm = Perm.VIEW_EVALUATIONS
    template_name = "www/evaluations/supplier_result.html"

    def get_context_data(self, **kwargs):
        report = self.report
        return super().get_context_data(
            campaign=self.campaign,
            supplier=self.supplier,
            report=report,
            axis_labels=[AXIS_LABELS[axis] for axis in AXES],
            can_manage=self.access.has(Perm.MANAGE_EVALUATIONS),
            history=history_of(report.comment) if report.comment else [],
            **kwargs,
        )


def render_pdf(report: SupplierReport) -> bytes:
    # Imported here: WeasyPrint loads its fonts and libraries at import time, which pages don't need.
    import weasyprint

    html = render_supplier_html(report)
    # PDF/UA: tagged (headings, tables, language), like the other reports.
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def render_supplier_html(report: SupplierReport) -> str:
    return render_to_string(
        PDF_TEMPLATE,
        {
            "report": report,
            "campaign": report.campaign,
            "supplier": report.supplier,
            "territory": current_territory(),
            "axis_labels": [AXIS_LABELS[axis] for axis in AXES],
            "edited_on": timezone.localdate(),
        },
    )


class SupplierPdfView(SupplierReportMixin, View):
    required_perm = Perm.MANAGE_EVALUATIONS

    def get(self, request, *args, **kwargs):
        response = HttpResponse(render_pdf(self.report), content_type="application/pdf")
        name = f"evaluation-qcd-{self.campaign.pk}-{self.supplier.siren or self.supplier.pk}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class SupplierCommentForm(forms.ModelForm):
    class Meta:
        model = SupplierComment
        fields = ["sent_on", "received_on", "comment"]
        widgets = {"sent_on": DATE, "received_on": DATE, "comment": forms.Textarea(attrs={"rows": 6})}


class SupplierCommentView(SupplierReportMixin, FormView):
    required_perm = Perm.MANAGE_EVALUATIONS
    template_name = "www/form.html"
    form_class = SupplierCommentForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form only carries the values: the service writes the record.
        kwargs["instance"] = SupplierComment(
            **{
                name: getattr(self.report.comment, name)
                for name in ("sent_on", "received_on", "comment")
                if self.report.comment
            }
        )
        return kwargs

    def get_context_data(self, **kwargs):
        comment = self.report.comment
        return super().get_context_data(
            title=f"Envoi de l'évaluation et observations de {self.supplier} — {self.campaign}",
            cancel_url=self.result_url(),
            history=history_of(comment) if comment else None,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            supplier_comment_save(
                actor=self.request.user,
                campaign=self.campaign,
                supplier=self.supplier,
                **{name: form.cleaned_data[name] for name in ("sent_on", "received_on", "comment")},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Envoi et observations du fournisseur enregistrés.")
        return redirect(self.result_url())
