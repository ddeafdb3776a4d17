"""The purchasing action plan: the list, the territory's and each establishment's views, an action's
page and form, and the plan as a workbook laid out like the national PAAT template (and read back)."""

from decimal import Decimal
from urllib.parse import urlencode

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views import View
from django.views.generic import FormView, TemplateView

from mutualis.core.formats import number, percent
from mutualis.core.imports import ImportFileError
from mutualis.gains import paat
from mutualis.gains.models import BudgetKind, PlanAction, PlanOrigin
from mutualis.gains.plan_filters import PlanActionFilterSet
from mutualis.gains.plan_resources import PlanActionResource
from mutualis.gains.plan_totals import Breakdown, Totals, summarise, with_realised
from mutualis.gains.services import plan_action_save
from mutualis.organisations.models import Entity, Territory
from mutualis.organisations.roles import Perm
from mutualis.organisations.vocabulary import word

from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..imports import ImportForm, RefusedWith400Mixin
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .forms import PlanActionForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_year(request) -> int:
    """The year asked for (?year=2027), this year by default; nonsense is a 400."""
    text = request.GET.get("year", "")
    if not text:
        return timezone.localdate().year
    if not text.isascii() or not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise BadRequest("L'année doit être un nombre entre 2000 et 2100.")
    return int(text)


def plan_years(user, year: int) -> list[int]:
    """The years offered: those of the user's actions, this one and the one shown."""
    years = set(PlanAction.objects.for_user(user).order_by().values_list("year", flat=True).distinct())
    return sorted(years | {timezone.localdate().year, year})


def list_url(**params) -> str:
    return reverse("plan:action_list") + "?" + urlencode({k: v for k, v in params.items() if v is not None})


class MoneyColumn(tables.Column):
    def __init__(self, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}})
        super().__init__(**kwargs)

    def render(self, value):
        return number(value)


class PlanActionTable(tables.Table):
    title = tables.Column(verbose_name="Action", linkify=True)
    entities = tables.Column(verbose_name=word("many_cap"), orderable=False, empty_values=())
    family = tables.Column(verbose_name="Famille", accessor="family__code", order_by=("family__code",))
    owner = tables.Column(verbose_name="Pilote", order_by=("owner__last_name", "owner__first_name"))
    planned_quarter = tables.Column(verbose_name="Trimestre")
    status = tables.Column(verbose_name="Statut")
    budget = tables.Column(verbose_name="Budget")
    expected_annual_gain = MoneyColumn(verbose_name="Gain annuel attendu (€)")
    expected_gain_year_n = MoneyColumn(verbose_name="Attendu N (€)")
    expected_gain_year_n1 = MoneyColumn(verbose_name="Attendu N+1 (€)")
    realised = MoneyColumn(verbose_name="Gain réalisé (€)")

    class Meta:
        model = PlanAction
        fields = [
            "title",
            "entities",
            "family",
            "owner",
            "planned_quarter",
            "status",
            "budget",
            "expected_annual_gain",
            "expected_gain_year_n",
            "expected_gain_year_n1",
            "realised",
        ]
        empty_text = "Aucune action ne répond à ces critères."

    def render_entities(self, record):
        return ", ".join(str(entity) for entity in record.entities.all()) or "—"

    def render_owner(self, value):
        return value.get_full_name() or value.username

    def render_title(self, record, value):
        return format_html(
            '<span class="badge text-bg-light border me-1">{}</span>{}',
            paat.ORIGIN_WORDS[record.origin],
            value,
        )


class ActionListView(FilteredListView):
    model = PlanAction
    required_perm = Perm.VIEW_GAINS
    table_class = PlanActionTable
    filterset_class = PlanActionFilterSet
    resource_class = PlanActionResource
    template_name = "www/plan/action_list.html"
    export_name = "plan_actions"
    title = "Actions du plan d'actions achats"
    create_url_name = "plan:action_create"
    import_url_name = "plan:import"
    create_perm = Perm.MANAGE_PLAN

    def optimise(self, queryset):
        return with_realised(queryset.select_related("family", "owner").prefetch_related("entities"))

    def get_context_data(self, **kwargs):
        year = self.request.GET.get("year", "")
        year = int(year) if year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100 else None
        return super().get_context_data(year=year or timezone.localdate().year, **kwargs)


def _totals_row(label, totals: Totals, url: str, *, link=None) -> dict:
    share = totals.realised_share
    return {
        "label": label,
        "link": link,
        "totals": totals,
        "url": url,
        "share": percent(share.quantize(Decimal("0.001"))) if share is not None else "—",
    }


class TerritoryView(RequirePermMixin, TemplateView):
    """The year's plan for the territory: totals by status, by budget and by establishment."""

    required_perm = Perm.VIEW_GAINS
    template_name = "www/plan/territory.html"

    def get_context_data(self, **kwargs):
        user, year = self.request.user, plan_year(self.request)
        entities = list(paat.export_entities(user, year))
        summary = summarise(PlanAction.objects.for_user(user).of_year(year), entities)
        by_status = [
            _totals_row(label, totals, list_url(year=year, status=value))
            for value, label, totals in summary.by_status
        ]
        by_budget = [
            _totals_row(label, summary.territory.by_budget[value], list_url(year=year, budget=value))
            for value, label in BudgetKind.choices
        ]
        by_entity = [
            _totals_row(
                str(entity),
                breakdown.total,
                list_url(year=year, entity=entity.pk),
                link=reverse("plan:entity", args=[entity.pk]) + f"?year={year}",
            )
            for entity, breakdown in summary.by_entity
        ]
        return super().get_context_data(
            year=year,
            years=plan_years(user, year),
            territory=Territory.current(),
            total=_totals_row("Total du territoire", summary.territory.total, list_url(year=year)),
            by_status=by_status,
            by_budget=by_budget,
            by_entity=by_entity,
            can_manage=self.access.has(Perm.MANAGE_PLAN),
            **kwargs,
        )


class EntityView(RequirePermMixin, TemplateView):
    """One establishment's plan: the PAAT actions that concern it and its own PAA, with totals."""

    required_perm = Perm.VIEW_GAINS
    template_name = "www/plan/entity.html"

    def get_context_data(self, **kwargs):
        user, year = self.request.user, plan_year(self.request)
        entity = get_object_or_404(Entity.objects.for_user(user), pk=self.kwargs["pk"])
        actions = list(
            with_realised(
                PlanAction.objects.for_user(user)
                .of_year(year)
                .filter(entities=entity)
                .select_related("family", "owner")
                .prefetch_related("entities")
            ).order_by("planned_quarter", "title")
        )
        sections = []
        for origin, label in PlanOrigin.choices:
            breakdown = Breakdown()
            rows = [action for action in actions if action.origin == origin]
            for action in rows:
                breakdown.add(action)
            word = paat.ORIGIN_WORDS[origin]
            url = list_url(year=year, entity=entity.pk, origin=origin)
            sections.append(
                {
                    "label": label,
                    "word": word,
                    "actions": rows,
                    "row": _totals_row(word, breakdown.total, url),
                }
            )
        total = Breakdown()
        for action in actions:
            total.add(action)
        return super().get_context_data(
            entity=entity,
            year=year,
            years=plan_years(user, year),
            sections=sections,
            total_row=_totals_row("Total", total.total, list_url(year=year, entity=entity.pk)),
            can_manage=self.access.has(Perm.MANAGE_PLAN),
            **kwargs,
        )


class ActionDetailView(RecordDetailView):
    required_perm = Perm.VIEW_GAINS
    edit_perm = Perm.MANAGE_PLAN
    template_name = "www/plan/action_detail.html"

    def get_queryset(self):
        return PlanAction.objects.for_user(self.request.user).select_related("family", "owner")

    def get_context_data(self, **kwargs):
        action = self.object
        try:
            figures = action.figures()
        except ValidationError:
            figures = None  # inputs stored before a rule changed: the page still opens
        gains = list(action.gains.select_related("entity").order_by("-notification_date", "pk"))
        realised = action.realised_gain
        share = realised / action.expected_annual_gain if action.expected_annual_gain > 0 else None
        return super().get_context_data(
            figures=figures,
            entities=action.entities.order_by("name"),
            projects=action.projects.select_related("stage").order_by("planned_launch_quarter"),
            gains=gains,
            realised=realised,
            realised_share=share,
            realised_share_text=percent(share.quantize(Decimal("0.001"))) if share is not None else "",
            **kwargs,
        )


class ActionEditMixin:
    model = PlanAction
    form_class = PlanActionForm
    required_perm = Perm.MANAGE_PLAN
    template_name = "www/plan/action_form.html"
    service = plan_action_save

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def service_arguments(self, form) -> dict:
        return {
            "action": form.save(commit=False),
            "entities": form.cleaned_data["entities"],
            "projects": form.cleaned_data["projects"],
        }


class ActionCreateView(ActionEditMixin, RecordCreateView):
    title = "Nouvelle action du plan"
    success_message = "Action enregistrée, gain attendu calculé."
    list_url_name = "plan:action_list"


class ActionUpdateView(ActionEditMixin, RecordUpdateView):
    title = "Modifier l'action"
    success_message = "Action enregistrée, gain attendu recalculé."

    def get_queryset(self):
        return PlanAction.objects.for_user(self.request.user)


class ExportView(RequirePermMixin, View):
    """The year's plan as a workbook laid out like the national PAAT template."""

    required_perm = Perm.VIEW_GAINS

    def get(self, request):
        year = plan_year(request)
        territory = Territory.current()
        content = paat.build_workbook(
            user=request.user, year=year, territory_name=territory.name if territory else ""
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="plan_actions_achats_{year}.xlsx"'
        return response


class PaatImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = "Le classeur exporté (.xlsx), complété ; 10 Mo au plus."
        self.fields["file"].widget.attrs["accept"] = ".xlsx"


class ImportView(RefusedWith400Mixin, RequirePermMixin, FormView):
    """The PAAT workbook read back: every sheet checked, then all written or nothing.

    Not the shared ImportView: its resources read one sheet; this layout has one per establishment.
    The bounded reading (core.import_files.read_workbook) and the report's shape are the same."""

    required_perm = Perm.MANAGE_PLAN
    template_name = "www/plan/import.html"
    form_class = PaatImportForm

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        return super().get_context_data(
            title="Importer le plan d'actions (classeur PAAT)",
            export_url=reverse("plan:export_xlsx") + f"?year={year}",
            year=year,
            columns=paat.COLUMNS,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            report = paat.import_workbook(
                actor=self.request.user,
                name=upload.name,
                content=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportFileError as error:
            return self.render_to_response(
                self.get_context_data(form=form, file_error=str(error)), status=400
            )
        if report.written:
            messages.success(
                self.request,
                f"Import terminé : {report.created} action(s) créée(s), {report.updated} mise(s) à jour, "
                f"{report.unchanged} inchangée(s).",
            )
        status = 200 if report.accepted else 400
        return self.render_to_response(self.get_context_data(form=form, report=report), status=status)
