"""A QCD campaign's life, on the one workflow mechanism: the purchasing team closes it when the answers
are in (a contract scored below the grid's alert threshold then gets an improvement action, once) and
may reopen it, with the reason, for a late answer."""

from datetime import timedelta

from django.utils import timezone

from mutualis.core.workflow import Move, Transition, Workflow, transition_log
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm, Role
from mutualis.steering.models import ImprovementAction, ImprovementKind

from .models import CampaignStatus, CampaignTransition, Evaluation, EvaluationCampaign
from .qcd.results import by_contract

MANAGERS = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_EVALUATIONS in perms)
ACTION_DAYS = 60  # the action's first due date: a working default the owner then adjusts


def roles_on(actor, campaign: EvaluationCampaign) -> frozenset:
    access = access_for(actor)
    return frozenset(set(Role) if access.is_superuser else access.roles & TERRITORY_WIDE_ROLES)


def _close(campaign: EvaluationCampaign, move: Move) -> None:
    campaign.closed_on = timezone.localdate()


def _reopen(campaign: EvaluationCampaign, move: Move) -> None:
    campaign.closed_on = None


def poor_contracts(campaign: EvaluationCampaign) -> list[tuple[object, object]]:
    """(contract, result) for the contracts whose overall score is below the campaign's threshold."""
    evaluations = list(Evaluation.objects.filter(campaign=campaign).for_results())
    contracts = {e.contract_id: e.contract for e in evaluations}
    return [
        (contracts[contract_id], result)
        for contract_id, result in sorted(by_contract(evaluations).items())
        if result.evaluated and result.overall < campaign.alert_below
    ]


def _open_actions(campaign: EvaluationCampaign, move: Move) -> None:
    """One improvement action per poorly scored contract, opened once per campaign (not again on a
    second closing), piloted by the contract's buyer in charge, else by who closed the campaign."""
    from mutualis.steering.services.improvements import improvement_save

    done = set(campaign.actions.values_list("contract_id", flat=True))
    for contract, result in poor_contracts(campaign):
        if contract.pk in done:
            continue
        owner = contract.manager
        if owner is None or not owner.is_active or not access_for(owner).has(Perm.VIEW_STEERING):
            owner = move.actor
        action = improvement_save(
            actor=move.actor,
            action=ImprovementAction(
                kind=ImprovementKind.CORRECTIVE,
                title=f"Évaluation QCD insuffisante : {contract.reference}"[:200],
                description=(
                    f"Note globale {result.shown()} / 4 ({result.weighting_label}, {result.answered} "
                    f"réponse(s)) à la campagne « {campaign.title} » {campaign.period_label}, sous le seuil "
                    f"d'alerte de {campaign.alert_below}. Axes : qualité {result.shown('quality')}, "
                    f"coût {result.shown('cost')}, délai {result.shown('delay')}."
                ),
                contract=contract,
                owner=owner,
                due_on=timezone.localdate() + timedelta(days=ACTION_DAYS),
            ),
        )
        campaign.actions.add(action)


CAMPAIGN = Workflow(
    field="status",
    lock=lambda campaign: EvaluationCampaign.objects.select_for_update().get(pk=campaign.pk),
    roles_of=roles_on,
    log=transition_log(CampaignTransition, "campaign"),
    refusal=lambda campaign, transition: (
        f"La campagne « {campaign} » est {campaign.get_status_display().lower()} : "
        f"« {transition.label.lower()} » n'est pas possible."
    ),
    transitions=(
        Transition(
            "close",
            "Clore la campagne",
            sources={CampaignStatus.OPEN},
            target=CampaignStatus.CLOSED,
            roles=MANAGERS,
            perform=_close,
            after=_open_actions,
        ),
        Transition(
            "reopen",
            "Rouvrir la campagne",
            sources={CampaignStatus.CLOSED},
            target=CampaignStatus.OPEN,
            roles=MANAGERS,
            comment_required=True,
            comment_hint="Dites pourquoi la campagne est rouverte (réponse tardive, erreur…).",
            perform=_reopen,
        ),
    ),
)
