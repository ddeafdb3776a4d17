"""QCD campaigns: the list, the launch, a campaign's page (answers, results, close/reopen, reminders)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from mutualis.core.filters import as_id
from mutualis.core.scoping import scoped
from mutualis.evaluations.campaign_filters import CampaignFilterSet
from mutualis.evaluations.campaign_resources import CampaignResource
from mutualis.evaluations.campaign_workflow import CAMPAIGN
from mutualis.evaluations.models import CampaignStatus, Evaluation, EvaluationCampaign, EvaluationStatus
from mutualis.evaluations.services.answers import may_answer
from mutualis.evaluations.services.campaigns import campaign_launch, campaign_remind
from mutualis.organisations.roles import Perm

from ..actions import RecordActionView
from ..edits import RecordCreateView, RecordDetailView
from ..exports import FORMATS, dataset_response
from ..lists import FilteredListView
from .campaign_forms import CampaignForm
from .campaign_tables import CampaignTable
from .qcd_tables import campaign_results, results_dataset

LIST = "evaluations:campaign_list"


def with_counts(queryset):
    return queryset.annotate(
        evaluation_count=Count("evaluations", distinct=True),
        answered_count=Count(
            "evaluations", filter=~Q(evaluations__status=EvaluationStatus.PENDING), distinct=True
        ),
    )


class CampaignListView(FilteredListView):
    model = EvaluationCampaign
    required_perm = Perm.VIEW_EVALUATIONS
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    resource_class = CampaignResource
    export_name = "campagnes_evaluation_qcd"
    title = "Évaluations fournisseurs (qualité, coût, délai)"
    intro = (
        "La cellule achats évalue un contrat, ou tous les contrats d'une famille, sur une période : les "
        "référents achats des entités qui l'ont utilisé notent la qualité, le coût et les délais sur la "
        "grille de la famille. Les résultats sont pondérés par la consommation de chaque entité quand elle "
        "est connue."
    )
    create_perm = Perm.MANAGE_EVALUATIONS
    create_url_name = "evaluations:campaign_create"

    def optimise(self, queryset):
        # Ordered again: a query with aggregates drops the model's default ordering.
        return with_counts(queryset.select_related("contract", "family")).order_by("-period_end", "-pk")


class CampaignCreateView(RecordCreateView):
    model = EvaluationCampaign
    form_class = CampaignForm
    required_perm = Perm.MANAGE_EVALUATIONS
    service = campaign_launch
    template_name = "www/evaluations/campaign_form.html"
    title = "Lancer une évaluation qualité, coût, délai"
    list_url_name = LIST

    def get_initial(self):
        """Opened from a contract's page (?contract=<pk>) or a family's panel (?family=<pk>)."""
        initial = super().get_initial()
        for name in ("contract", "family"):
            pk = as_id(self.request.GET.get(name, ""))
            if pk:
                initial[name] = pk
        return initial

    def service_arguments(self, form) -> dict:
        return {"campaign": form.save(commit=False)}

    def get_success_message(self) -> str:
        report = self.object.launch_report
        parts = [f"Campagne lancée : {report.evaluations} évaluation(s) demandée(s) aux référents achats."]
        if report.without_activity:
            names = ", ".join(c.reference for c in report.without_activity[:10])
            parts.append(f"Sans activité sur la période, non évalué(s) : {names}.")
        if report.without_holder:
            parts.append(
                f"Sans titulaire enregistré : {', '.join(c.reference for c in report.without_holder)}."
            )
        if report.without_referent:
            names = ", ".join(str(e) for e in report.without_referent)
            parts.append(f"Aucun référent achats pour répondre : {names} (nommez-en un).")
        return " ".join(parts)


class CampaignDetailView(RecordDetailView):
    """A campaign: its grid, the evaluations and where they stand, the results, its moves and log."""

    required_perm = Perm.VIEW_EVALUATIONS
    template_name = "www/evaluations/campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return EvaluationCampaign.objects.select_related("contract", "family", "launched_by")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        file_format = request.GET.get("export")
        if file_format in FORMATS:
            return dataset_response(
                results_dataset(campaign_results(self.object)),
                file_stem=f"resultats_evaluation_{self.object.pk}",
                file_format=file_format,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        campaign, user = self.object, self.request.user
        rows = list(
            scoped(Evaluation.objects.filter(campaign=campaign), user).select_related(
                "contract", "entity", "answered_by", "campaign"
            )
        )
        for row in rows:
            row.answerable = may_answer(user, row)
        return super().get_context_data(
            evaluations=rows,
            criteria=campaign.criteria.all(),
            results=campaign_results(campaign),
            moves=CAMPAIGN.available(campaign, user),
            transitions=campaign.transitions.select_related("by"),
            can_remind=campaign.status == CampaignStatus.OPEN and self.access.has(Perm.MANAGE_EVALUATIONS),
            export_formats=FORMATS,
            **kwargs,
        )


class CampaignActionView(RecordActionView):
    required_perm = Perm.MANAGE_EVALUATIONS
    refused = "Seule la cellule achats clôt, rouvre ou relance une campagne d'évaluation."

    def get_record(self, pk):
        return get_object_or_404(EvaluationCampaign, pk=pk)


class CampaignTransitionView(CampaignActionView):
    """Close or reopen: the workflow checks the role, the state and the comment."""

    def act(self, campaign) -> str:
        campaign = CAMPAIGN.apply(
            campaign, self.move_name(), self.request.user, comment=self.comment()
        ).record
        opened = campaign.actions.count()
        detail = f" {opened} action(s) d'amélioration ouverte(s) pour note insuffisante." if opened else ""
        return f"La campagne est maintenant {campaign.get_status_display().lower()}.{detail}"


class CampaignRemindView(CampaignActionView):
    def act(self, campaign) -> str:
        count = campaign_remind(actor=self.request.user, campaign=campaign)
        return f"{count} référent(s) relancé(s) (une relance par jour au plus)."
