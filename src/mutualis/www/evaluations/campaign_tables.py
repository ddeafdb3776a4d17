"""The QCD campaign list's table: what is evaluated, over which period, where the answers stand."""

import django_tables2 as tables

from mutualis.evaluations.models import EvaluationCampaign


class CampaignTable(tables.Table):
    title = tables.Column(verbose_name="Campagne", linkify=True)
    scope = tables.Column(verbose_name="Contrat ou famille", empty_values=(), orderable=False)
    period_end = tables.DateColumn(verbose_name="Période évaluée", format="d/m/Y")
    answer_by = tables.DateColumn(verbose_name="Réponses pour le", format="d/m/Y")
    status = tables.Column(verbose_name="État")
    answered_count = tables.Column(verbose_name="Réponses", attrs={"td": {"class": "text-end"}})

    class Meta:
        model = EvaluationCampaign
        fields = ["title", "scope", "period_end", "answer_by", "status", "answered_count"]
        empty_text = "Aucune campagne d'évaluation ne correspond à ces critères."

    def render_scope(self, record):
        return record.contract.reference if record.contract_id else f"Famille {record.family}"

    def render_period_end(self, record):
        return f"{record.period_start:%d/%m/%Y} – {record.period_end:%d/%m/%Y}"

    def render_answered_count(self, record):
        return f"{record.answered_count} / {record.evaluation_count}"
