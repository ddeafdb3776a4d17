"""The improvement log's table: what, about what, who and by when; lateness said in words."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from mutualis.procurements.models import StageCode
from mutualis.steering.models import ImprovementAction

from ..badges import late_badge

STAGES = dict(StageCode.choices)


class ImprovementTable(tables.Table):
    title = tables.Column(verbose_name="Intitulé", linkify=True)
    kind = tables.Column(verbose_name="Nature")
    about = tables.Column(verbose_name="Objet", empty_values=(), orderable=False)
    owner = tables.Column(verbose_name="Pilote", order_by=("owner__last_name", "owner__first_name"))
    due_on = tables.DateColumn(verbose_name="Échéance", format="d/m/Y")
    status = tables.Column(verbose_name="État")

    class Meta:
        model = ImprovementAction
        fields = ["title", "kind", "about", "owner", "due_on", "status"]
        empty_text = "Aucune action ne correspond à ces critères."

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_about(self, record):
        parts = []
        if record.stage_code:
            parts.append(f"Étape : {STAGES.get(record.stage_code, record.stage_code)}")
        if record.project:
            parts.append(f"Projet {record.project.reference}")
        if record.contract:
            parts.append(f"Contrat {record.contract.reference}")
        return " ; ".join(parts)

    def render_status(self, value, record):
        return format_html("{} {}", value, late_badge()) if record.is_late(self.today) else value
