"""QCD campaigns launched and answered through the services, as the pages do."""

from datetime import date, timedelta

from django.utils import timezone

from mutualis.evaluations.models import EvaluationCampaign
from mutualis.evaluations.services.answers import evaluation_answer
from mutualis.evaluations.services.campaigns import campaign_launch

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))


def launch(actor, *, contract=None, family=None, period=PERIOD, title="Évaluation du 1er semestre 2026"):
    campaign = EvaluationCampaign(
        title=title,
        contract=contract,
        family=family,
        period_start=period[0],
        period_end=period[1],
        answer_by=timezone.localdate() + timedelta(days=30),
    )
    campaign = campaign_launch(actor=actor, campaign=campaign)
    return campaign, campaign.launch_report


def answer_all(actor, evaluation, mark_of) -> None:
    """Answer every criterion: `mark_of(criterion)` gives its mark."""
    marks = {c.pk: mark_of(c) for c in evaluation.campaign.criteria.all()}
    evaluation_answer(actor=actor, evaluation=evaluation, marks=marks)
