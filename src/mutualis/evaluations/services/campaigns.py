"""Launching a QCD evaluation campaign and reminding its evaluators.

At launch the grid is copied into the campaign and one evaluation is opened per contract and entity
with activity over the period (evaluations/qcd/activity.py); the entities' referents are told. Nothing
is written when the launch is refused.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.contracts.models import ContractHolder
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Membership, User
from mutualis.organisations.roles import Perm, Role

from ..models import (
    CampaignCriterion,
    CampaignStatus,
    CampaignTransition,
    Evaluation,
    EvaluationCampaign,
    EvaluationStatus,
)
from ..qcd.activity import activity_by_entity, contracts_in_period
from ..qcd.default_grid import grid_for


@dataclass
class LaunchReport:
    """What the launch found: the evaluations opened and what was left out, and why."""

    evaluations: int = 0
    without_activity: list = field(default_factory=list)  # contracts nobody used over the period
    without_holder: list = field(default_factory=list)  # contracts with no holder to evaluate
    without_referent: list = field(default_factory=list)  # entities nobody can answer for


def _check(campaign: EvaluationCampaign) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if (campaign.contract_id is None) == (campaign.family_id is None):
        errors["contract"] = ["Choisissez soit un contrat, soit une famille d'achat à évaluer."]
    if campaign.period_start and campaign.period_end and campaign.period_start > campaign.period_end:
        errors["period_end"] = ["La fin de la période évaluée précède son début."]
    today = timezone.localdate()
    if campaign.period_start and campaign.period_start > today:
        errors["period_start"] = ["La période évaluée ne peut pas commencer dans le futur."]
    if campaign.answer_by and campaign.answer_by < today:
        errors["answer_by"] = [f"La date de réponse est passée (aujourd'hui : {today:%d/%m/%Y})."]
    return errors


def referents_by_entity(entity_ids) -> dict[int, list[User]]:
    """The active referents of each entity: the evaluators."""
    found: dict[int, list[User]] = {}
    rows = Membership.objects.filter(
        role=Role.REFERENT, entity_id__in=list(entity_ids), user__is_active=True
    ).select_related("user")
    for row in rows:
        found.setdefault(row.entity_id, []).append(row.user)
    return found


@transaction.atomic
def campaign_launch(*, actor, campaign: EvaluationCampaign) -> EvaluationCampaign:
    """Save a new campaign with its copy of the grid and its evaluations, log its launch and tell the
    evaluators; what was found is on `campaign.launch_report` (a LaunchReport)."""
    if not access_for(actor).has(Perm.MANAGE_EVALUATIONS):
        raise PermissionDenied
    errors = _check(campaign)
    if errors:
        raise ValidationError(errors)
    scope = campaign.contract or campaign.family
    contracts = list(
        contracts_in_period(
            start=campaign.period_start,
            end=campaign.period_end,
            contract=campaign.contract,
            family=campaign.family,
        )
    )
    activity = activity_by_entity([c.pk for c in contracts], campaign.period_start, campaign.period_end)
    held = set(ContractHolder.objects.filter(contract__in=contracts).values_list("contract_id", flat=True))
    report = LaunchReport()
    used = {contract_id for contract_id, _ in activity}
    report.without_activity = [c for c in contracts if c.pk not in used]
    report.without_holder = [c for c in contracts if c.pk in used and c.pk not in held]
    pairs = {key: value for key, value in activity.items() if key[0] in held}
    if not pairs:
        raise ValidationError(
            {
                "period_start": [
                    f"Rien à évaluer pour « {scope} » {_period(campaign)} : aucun contrat avec titulaire "
                    "n'a eu d'activité (dépense ou commande) sur cette période."
                ]
            }
        )
    grid = grid_for(campaign.family or campaign.contract.family)
    campaign.status, campaign.closed_on, campaign.launched_by = CampaignStatus.OPEN, None, actor
    campaign.alert_below = grid.alert_below
    campaign.full_clean(exclude=["launched_by"])
    campaign.save()
    CampaignTransition.objects.create(
        campaign=campaign,
        name="launch",
        from_status=CampaignStatus.OPEN,
        to_status=CampaignStatus.OPEN,
        by=actor,
    )
    CampaignCriterion.objects.bulk_create(
        CampaignCriterion(campaign=campaign, **c.copied()) for c in grid.criteria.all()
    )
    Evaluation.objects.bulk_create(
        Evaluation(
            campaign=campaign,
            contract_id=contract_id,
            entity_id=entity_id,
            consumption=found.consumption,
            orders=found.orders,
        )
        for (contract_id, entity_id), found in sorted(pairs.items())
    )
    report.evaluations = len(pairs)
    referents = referents_by_entity({entity_id for _, entity_id in pairs})
    report.without_referent = sorted(
        {e.entity for e in campaign.evaluations.select_related("entity") if e.entity_id not in referents},
        key=str,
    )
    _ask(campaign, referents, reminder=False)
    campaign.launch_report = report
    return campaign


def _period(campaign) -> str:
    return f"du {campaign.period_start:%d/%m/%Y} au {campaign.period_end:%d/%m/%Y}"


def _ask(
    campaign: EvaluationCampaign, referents: dict[int, list[User]], *, reminder: bool, today=None
) -> int:
    """One notification per referent with pending evaluations (a reminder once a day at most)."""
    pending = campaign.evaluations.filter(status=EvaluationStatus.PENDING).values_list("entity_id", flat=True)
    counts: dict[int, int] = {}
    for entity_id in pending:
        for user in referents.get(entity_id, []):
            counts[user.pk] = counts.get(user.pk, 0) + 1
    users = {user.pk: user for people in referents.values() for user in people}
    day = today or timezone.localdate()
    key = f"qcd-{campaign.pk}-" + (f"reminder-{day:%Y%m%d}" if reminder else "asked")
    for user_id, count in counts.items():
        notify(
            recipients=[users[user_id]],
            message=Message(
                key=key,
                subject=("Relance : " if reminder else "")
                + f"évaluation fournisseur à remplir ({campaign.title})",
                body=(
                    f"La cellule achats vous demande d'évaluer la qualité, le coût et les délais "
                    f"{_period(campaign)} : {count} évaluation(s) pour vos entités, "
                    f"à remplir avant le {campaign.answer_by:%d/%m/%Y}."
                ),
                url=campaign.get_absolute_url(),
                kind=Kind.EVALUATION_REQUESTED,
            ),
        )
    return len(counts)


def campaign_remind(*, actor, campaign: EvaluationCampaign) -> int:
    """Remind the referents who still have evaluations to fill in; returns how many were reminded."""
    if not access_for(actor).has(Perm.MANAGE_EVALUATIONS):
        raise PermissionDenied
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError("La campagne est close : il n'y a plus personne à relancer.")
    return _remind(campaign)


def _remind(campaign: EvaluationCampaign, today=None) -> int:
    entity_ids = campaign.evaluations.filter(status=EvaluationStatus.PENDING).values_list(
        "entity_id", flat=True
    )
    return _ask(campaign, referents_by_entity(set(entity_ids)), reminder=True, today=today)


# Days before (positive) or after (negative) the answer date when the daily job reminds the referents who
# have not answered: a week before, the day before, and the day after it passed. A working habit, not law.
REMINDER_DAYS = (7, 1, -1)


def send_evaluation_reminders(*, today=None) -> tuple[int, int]:
    """The daily job's reminders (run by `send_evaluation_reminders`): for each open campaign whose answer
    date is REMINDER_DAYS away, the referents still to answer are told, once a day at most. Returns
    (campaigns, referents reminded)."""
    today = today or timezone.localdate()
    days = [today + timedelta(days=offset) for offset in REMINDER_DAYS]
    campaigns = EvaluationCampaign.objects.filter(status=CampaignStatus.OPEN, answer_by__in=days)
    reminded = [_remind(campaign, today) for campaign in campaigns]
    return len(reminded), sum(reminded)
