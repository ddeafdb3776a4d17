"""Needs campaigns, need lines and their validation, and the consolidated table per family."""

import io
from collections import Counter
from functools import cached_property

import django_tables2 as tables
import openpyxl
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from mutualis.core.formats import number
from mutualis.core.locking import EditConflict
from mutualis.core.spreadsheets import append_row
from mutualis.needs import services
from mutualis.needs.consolidation import consolidate, split_one_off_needs
from mutualis.needs.filters import NeedLineFilterSet
from mutualis.needs.models import Campaign, NeedLine
from mutualis.needs.resources import NeedLineResource
from mutualis.needs.workflow import NEED_LINE
from mutualis.organisations.models import Entity, PurchasingGroup
from mutualis.organisations.roles import Perm
from mutualis.organisations.vocabulary import current_words, word

from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView, add_service_errors
from ..imports import ImportView
from ..lists import FilteredListView
from ..locking import CONFLICT_STATUS, add_version_field, show_conflict, take_version
from ..permissions import RequirePermMixin
from .forms import CampaignForm, NeedLineForm, TransitionForm


class CampaignListView(RequirePermMixin, ListView):
    required_perm = Perm.VIEW_NEEDS
    template_name = "www/needs/campaign_list.html"
    queryset = Campaign.objects.all()
    extra_context = {"page_title": "Recensement des besoins"}


class CampaignEditMixin:
    model = Campaign
    form_class = CampaignForm
    required_perm = Perm.MANAGE_CAMPAIGNS
    service = services.campaign_save

    def service_arguments(self, form) -> dict:
        return {"campaign": form.save(commit=False), "families": form.cleaned_data["families"]}


class CampaignCreateView(CampaignEditMixin, RecordCreateView):
    title = "Nouvelle campagne de recensement"
    success_message = "Campagne ouverte."
    list_url_name = "needs:campaign_list"


class CampaignUpdateView(CampaignEditMixin, RecordUpdateView):
    title = "Modifier la campagne"
    success_message = "Campagne enregistrée."


class CampaignDetailView(RecordDetailView):
    """The consolidated needs per family, with the procedure each total requires and why."""

    required_perm = Perm.VIEW_NEEDS
    edit_perm = Perm.MANAGE_CAMPAIGNS
    model = Campaign
    template_name = "www/needs/campaign_detail.html"

    def get_context_data(self, **kwargs):
        my_lines = NeedLine.objects.for_user(self.request.user).filter(campaign=self.object)
        groups = PurchasingGroup.objects.for_user(self.request.user).filter(is_active=True)
        group = groups.filter(pk=self.request.GET.get("groupement") or None).first()
        rows = consolidate(self.object, group=group)
        per_family = Counter(row.family.pk for row in rows if row.lines)
        return super().get_context_data(
            rows=rows,
            # The buyer column shows when the territory has several buyers; a family they share cannot
            # become one project (project_from_needs).
            several_buyers=len({row.buyer for row in rows}) > 1,
            shared_families={pk for pk, count in per_family.items() if count > 1},
            groups=groups,
            group=group,
            split_alerts=split_one_off_needs(self.object),
            my_line_count=my_lines.count(),
            can_declare=self.access.has(Perm.DECLARE_NEEDS) and self.object.is_open,
            projects={p.family_id: p for p in self.object.projects.filter(purchasing_group=group)},
            **kwargs,
        )


class CampaignExportView(RequirePermMixin, View):
    """The consolidated table as a workbook, as a purchasing team sends it to its governance."""

    required_perm = Perm.VIEW_NEEDS

    def get(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Besoins consolidés"
        append_row(sheet, [f"{campaign} — lancement prévu le {campaign.launch_date:%d/%m/%Y}"])
        append_row(
            sheet,
            [
                "Famille",
                "Libellé",
                "Nature",
                "Lignes",
                current_words().many_cap,
                "Récurrent par an (€ HT)",
                "Ponctuel (€ HT)",
                "Valeur estimée (€ HT)",
                "Procédure",
                "Publicité",
                "Contrats en cours",
                "Montant des contrats en cours (€ HT)",
                "Explication",
                "Seuils (version)",
                "Acheteur",
                "SIRET de l'acheteur",
            ],
        )
        for row in consolidate(campaign):
            append_row(
                sheet,
                [
                    row.family.code,
                    row.family.label,
                    row.family.get_nature_display(),
                    row.lines,
                    row.entities,
                    row.recurring_per_year,
                    row.one_off,
                    row.estimated_value,
                    row.estimate.procedure,
                    row.estimate.publicity,
                    row.running_contracts,
                    row.running_amount,
                    row.estimate.explanation,
                    row.estimate.thresholds["version"],
                    str(row.buyer or ""),
                    getattr(row.buyer, "siret", ""),
                ],
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="besoins_consolides_{campaign.year}.xlsx"'
        return response


class NeedLineTable(tables.Table):
    description = tables.Column(verbose_name="Besoin", linkify=True)
    entity = tables.Column(verbose_name=word("one_cap"), order_by=("entity__name",))
    family = tables.Column(verbose_name="Famille", accessor="family__code", order_by=("family__code",))
    estimated_amount = tables.Column(verbose_name="Montant HT (€)", attrs={"td": {"class": "text-end"}})
    recurrence = tables.Column(verbose_name="Récurrence")
    status = tables.Column(verbose_name="État")

    class Meta:
        model = NeedLine
        fields = ["description", "entity", "family", "estimated_amount", "recurrence", "status"]
        empty_text = "Aucun besoin déclaré."

    def render_estimated_amount(self, value):
        return number(value)


class NeedLineListView(FilteredListView):
    model = NeedLine
    required_perm = Perm.VIEW_NEEDS
    table_class = NeedLineTable
    filterset_class = NeedLineFilterSet
    resource_class = NeedLineResource
    export_name = "besoins"
    title = "Besoins déclarés"

    def optimise(self, queryset):
        return queryset.select_related("entity", "family", "campaign")


class NeedLineEditMixin(RequirePermMixin):
    required_perm = Perm.DECLARE_NEEDS
    template_name = "www/form.html"

    def entities(self):
        scope = self.access.entity_ids
        entities = Entity.objects.active()
        return entities if scope is None else entities.filter(pk__in=scope)

    def render_form(self, form, title, cancel, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": title, "cancel_url": cancel},
            status=status,
        )

    def save(self, form, title, cancel):
        status = 400
        if form.is_valid():
            take_version(form)
            try:
                line = services.need_line_save(actor=self.request.user, line=form.save(commit=False))
            except ValidationError as error:
                add_service_errors(form, error)
            except EditConflict as conflict:
                show_conflict(form, conflict)
                status = CONFLICT_STATUS
            else:
                messages.success(self.request, "Besoin enregistré (brouillon : pensez à le transmettre).")
                return redirect(line)
        return self.render_form(form, title, cancel, status=status)


class NeedLineCreateView(NeedLineEditMixin, View):
    def campaign(self):
        return get_object_or_404(Campaign.objects.open(), pk=self.kwargs["campaign"])

    def get(self, request, campaign):
        campaign = self.campaign()
        form = NeedLineForm(campaign=campaign, entities=self.entities())
        return self.render_form(form, f"Nouveau besoin — {campaign}", campaign.get_absolute_url())

    def post(self, request, campaign):
        campaign = self.campaign()
        form = NeedLineForm(request.POST, campaign=campaign, entities=self.entities())
        return self.save(form, f"Nouveau besoin — {campaign}", campaign.get_absolute_url())


class NeedLineUpdateView(NeedLineEditMixin, View):
    def line(self):
        line = get_object_or_404(NeedLine.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        if not services.can_edit(self.request.user, line):
            raise PermissionDenied
        return line

    def get(self, request, pk):
        line = self.line()
        form = NeedLineForm(instance=line, campaign=line.campaign, entities=self.entities())
        add_version_field(form)
        return self.render_form(form, "Modifier le besoin", line.get_absolute_url())

    def post(self, request, pk):
        line = self.line()
        form = NeedLineForm(request.POST, instance=line, campaign=line.campaign, entities=self.entities())
        add_version_field(form)
        return self.save(form, "Modifier le besoin", line.get_absolute_url())


class NeedLineDetailView(RecordDetailView):
    required_perm = Perm.VIEW_NEEDS
    template_name = "www/needs/line_detail.html"

    def get_queryset(self):
        return NeedLine.objects.for_user(self.request.user).select_related("campaign", "entity", "family")

    def get_context_data(self, **kwargs):
        user, line = self.request.user, self.object
        return super().get_context_data(
            transitions=line.transitions.select_related("by"),
            actions=NEED_LINE.available(line, user),
            editable=services.can_edit(user, line),
            form=TransitionForm(),
            **kwargs,
        )


class NeedLineTransitionView(RequirePermMixin, View):
    required_perm = Perm.VIEW_NEEDS

    def post(self, request, pk):
        line = get_object_or_404(NeedLine.objects.for_user(request.user), pk=pk)
        form = TransitionForm(request.POST)
        form.is_valid()
        try:
            services.need_line_transition(
                actor=request.user,
                line=line,
                to_status=request.POST.get("to", ""),
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "État du besoin mis à jour.")
        return redirect(reverse("needs:line_detail", args=[pk]))


class NeedLineImportView(ImportView):
    """The Excel template of a campaign, filled by an entity and imported as draft lines."""

    required_perm = Perm.DECLARE_NEEDS
    resource_class = NeedLineResource
    natural_key = "aucune : chaque ligne crée un besoin en brouillon"
    file_stem = "besoins"

    @cached_property
    def campaign(self):
        return get_object_or_404(Campaign.objects.open(), pk=self.kwargs["campaign"])

    @property
    def title(self):
        return f"Importer des besoins — {self.campaign}"

    def import_params(self) -> dict:
        return {"campaign": self.campaign.pk}

    def get_cancel_url(self) -> str:
        return self.campaign.get_absolute_url()

    def template_queryset(self):
        return NeedLine.objects.for_user(self.request.user).filter(campaign=self.campaign)
