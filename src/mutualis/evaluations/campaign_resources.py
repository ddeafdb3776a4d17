"""Export columns of the QCD campaign list (French headings). Export only: campaigns are launched and
answered on their pages."""

from import_export import resources, widgets
from import_export.fields import Field


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


def _scope(campaign) -> str:
    return campaign.contract.reference if campaign.contract_id else f"Famille {campaign.family}"


class CampaignResource(resources.Resource):
    id = _column("Numéro", "pk")
    title = _column("Intitulé", "title")
    scope = _column("Contrat ou famille évalué", dehydrate_method=_scope)
    period_start = _column("Début de période", "period_start", widget=widgets.DateWidget())
    period_end = _column("Fin de période", "period_end", widget=widgets.DateWidget())
    answer_by = _column("Réponses attendues pour le", "answer_by", widget=widgets.DateWidget())
    status = _column("État", dehydrate_method=lambda campaign: campaign.get_status_display())
    evaluations = _column("Évaluations", "evaluation_count")
    answered = _column("Réponses reçues", "answered_count")

    class Meta:
        export_order = ["id", "title", "scope", "period_start", "period_end", "answer_by", "status",
                        "evaluations", "answered"]  # fmt: skip
