"""Purchasing gains: the list, a gain's page with its validation, its edit pages, and the year's synthesis
against the target."""

import io
from decimal import Decimal

import openpyxl
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from mutualis.contracts.models import Contract
from mutualis.core.formats import percent
from mutualis.core.history import history_of
from mutualis.core.scoping import scoped
from mutualis.core.spreadsheets import append_row
from mutualis.gains import services
from mutualis.gains.filters import FIRST_YEAR, LAST_YEAR, GainFilterSet
from mutualis.gains.method import GainInputError
from mutualis.gains.models import Gain, GainTarget
from mutualis.gains.resources import GainResource
from mutualis.gains.summary import YearSummary, year_summary
from mutualis.gains.workflow import EDITABLE, GAIN
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm

from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .forms import GainCreateForm, GainForm, GainTargetForm
from .tables import GainTable

# The share of the target is shown to a tenth of a per cent.
PERCENT_STEP = Decimal("0.001")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class YearForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


def requested_year(request) -> tuple[int, YearForm]:
    """The `year` of the query string, or the current year when it is absent or means nothing."""
    form = YearForm(request.GET)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or timezone.localdate().year, form


class GainListView(FilteredListView):
    model = Gain
    required_perm = Perm.VIEW_GAINS
    table_class = GainTable
    filterset_class = GainFilterSet
    resource_class = GainResource
    export_name = "gains_achats"
    title = "Gains achats"
    intro = (
        "Gains calculés par la méthode PHARE : situation de référence (SR) moins nouvelle situation (SN). "
        "Un gain négatif est un surcoût. L'année retient les gains notifiés cette année-là (part N) "
        "et l'année précédente (part N+1)."
    )
    create_url_name = "gains:gain_create"
    create_perm = Perm.DECLARE_GAINS

    def optimise(self, queryset):
        return queryset.select_related("entity", "family", "buyer")


class GainDetailView(RecordDetailView):
    """A gain: its inputs, the method's figures and explanation, its validation and history."""

    required_perm = Perm.VIEW_GAINS
    template_name = "www/gains/gain_detail.html"
    context_object_name = "gain"

    def get_queryset(self):
        return Gain.objects.for_user(self.request.user).select_related(
            "entity", "family", "buyer", "lot__project", "contract", "action", "declared_by", "validated_by"
        )

    def get_context_data(self, **kwargs):
        gain, user = self.object, self.request.user
        actions = GAIN.available(gain, user)
        try:
            negotiation = gain.negotiation_figures()
        except GainInputError:
            negotiation = None  # the inputs are incomplete: the page says so with the main figures
        return super().get_context_data(
            transitions=gain.transitions.select_related("by"),
            actions=[(action, GAIN.problems(gain, action)) for action in actions],
            comment_needed=any(action.comment_required for action in actions),
            editable=services.can_edit(user, gain),
            negotiation=negotiation,
            **kwargs,
        )


class GainTransitionView(RequirePermMixin, View):
    """Declare, validate or return a gain; the workflow checks the role, the state and the comment."""

    required_perm = Perm.VIEW_GAINS

    def post(self, request, pk):
        gain = get_object_or_404(Gain.objects.for_user(request.user), pk=pk)
        name = request.POST.get("action", "")
        if not name:
            messages.error(request, "Choisissez une action.")
            return redirect(gain)
        try:
            gain = services.gain_transition(
                actor=request.user, gain=gain, name=name, comment=request.POST.get("comment", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Le gain est maintenant : {gain.get_status_display().lower()}.")
        return redirect(gain)


class GainEditMixin:
    model = Gain
    required_perm = Perm.DECLARE_GAINS
    service = services.gain_save
    template_name = "www/gains/gain_form.html"
    success_message = "Gain enregistré : ses chiffres ont été recalculés par la méthode."


class GainUpdateView(GainEditMixin, RecordUpdateView):
    form_class = GainForm
    title = "Modifier le gain"

    def get_queryset(self):
        return Gain.objects.for_user(self.request.user).select_related("entity", "lot__project")

    def get_object(self, queryset=None):
        gain = super().get_object(queryset)
        if gain.status not in EDITABLE:
            raise PermissionDenied("Un gain déclaré ou validé ne se modifie plus.")
        return gain


class GainCreateView(GainEditMixin, RecordCreateView):
    form_class = GainCreateForm
    title = "Nouveau gain hors consultation"
    list_url_name = "gains:gain_list"

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "entities": scoped(Entity.objects.active(), user).order_by("name"),
            "contracts": Contract.objects.for_user(user).order_by("-notification_date", "reference"),
        }

    def service_arguments(self, form) -> dict:
        gain = form.save(commit=False)
        gain.buyer = self.request.user  # the person who types the gain is the one who answers for it
        return {"gain": gain}


class GainSummaryView(RequirePermMixin, TemplateView):
    """The year's gains against its target, each figure a link to the gains behind it."""

    required_perm = Perm.VIEW_GAINS
    template_name = "www/gains/summary.html"

    def get(self, request, *args, **kwargs):
        year, form = requested_year(request)
        # A referent sees his establishment's gains: the territory's target would mislead him.
        territory = self.access.entity_ids is None
        summary = year_summary(scoped(Gain.objects.all(), request.user), year, with_target=territory)
        share = summary.achieved_share
        context = self.get_context_data(
            year=year,
            year_form=form,
            summary=summary,
            totals=summary.totals,
            whole_territory=territory,
            share=share,
            share_text=percent(share.quantize(PERCENT_STEP)) if share is not None else "",
            progress=min(100, max(0, int(share * 100))) if share is not None else 0,
            can_set_target=territory and self.access.has(Perm.MANAGE_PLAN),
            list_url=reverse("gains:gain_list"),
        )
        return self.render_to_response(context, status=200 if form.is_valid() else 400)


class GainSummaryExportView(RequirePermMixin, View):
    """The synthesis's tables as a workbook: a sheet of totals, then one sheet per breakdown."""

    required_perm = Perm.VIEW_GAINS

    def get(self, request):
        year, _ = requested_year(request)
        territory = self.access.entity_ids is None
        summary = year_summary(scoped(Gain.objects.all(), request.user), year, with_target=territory)
        response = HttpResponse(summary_workbook(summary), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="synthese_gains_{year}.xlsx"'
        return response


FIGURE_HEADERS = [
    "Gains comptés (nombre)",
    "Part {year} des gains notifiés en {year} (€)",
    "Part {year} des gains notifiés en {previous} (€)",
    "Total {year} (€)",
    "dont validé par le contrôle de gestion (€)",
    "Gains validés (nombre)",
]


def summary_workbook(summary: YearSummary) -> bytes:
    year, previous = summary.year, summary.year - 1
    headers = [h.format(year=year, previous=previous) for h in FIGURE_HEADERS]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"Synthèse {year}"
    totals = summary.totals
    append_row(sheet, [f"Synthèse des gains achats {year} (gains déclarés ou validés, méthode PHARE)"])
    append_row(sheet, ["", *headers])
    append_row(sheet, ["Total", *_figures(totals)])
    if summary.target is not None:
        append_row(sheet, [])
        append_row(sheet, ["Objectif de l'année (€)", summary.target.amount])
        append_row(sheet, ["Atteint (part de l'objectif)", float(summary.achieved_share or 0)])
        sheet.cell(row=sheet.max_row, column=2).number_format = "0.0%"
        if summary.target.comment:
            append_row(sheet, ["Commentaire", summary.target.comment])
    for breakdown in summary.breakdowns:
        part = workbook.create_sheet(breakdown.title.removeprefix("Par ").capitalize()[:31])
        append_row(part, [f"Gains achats {year} — {breakdown.title.lower()}"])
        append_row(part, [breakdown.heading, *headers])
        for line in breakdown.lines:
            append_row(part, [line.label, *_figures(line.figures)])
        append_row(part, ["Total", *_figures(totals)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figures(figures) -> list:
    return [
        figures.records,
        figures.gain_n,
        figures.gain_n1,
        figures.total,
        figures.validated_total,
        figures.validated_records,
    ]


class GainTargetUpdateView(RecordUpdateView):
    """The year's target (one per year), created on first save; its history is shown below the form."""

    model = GainTarget
    form_class = GainTargetForm
    required_perm = Perm.MANAGE_PLAN
    service = services.gain_target_save
    success_message = "Objectif enregistré."

    def get_object(self, queryset=None):
        year, _ = requested_year(self.request)
        return GainTarget.objects.filter(year=year).first() or GainTarget(year=year)

    def get_title(self) -> str:
        return f"Objectif de gains achats {self.object.year}"

    def summary_url(self) -> str:
        return f"{reverse('gains:summary')}?year={self.object.year}"

    def get_cancel_url(self) -> str:
        return self.summary_url()

    def get_success_url(self) -> str:
        return self.summary_url()

    def service_arguments(self, form) -> dict:
        return {"target": form.save(commit=False)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=history_of(self.object) if self.object.pk else None, **kwargs)
