"""Lists of procurement projects: their columns (the filters are in procurements/filters.py)."""

import django_tables2 as tables

from mutualis.core.formats import number
from mutualis.procurements.models import Project
from mutualis.procurements.resources import EMERGENCY

from ..badges import late_badge


class FlagsTable(tables.Table):
    """Status flags written as text, never as a colour only (RGAA 3.1)."""

    late = tables.Column(verbose_name="Retard", accessor="pk", orderable=False)
    is_emergency = tables.Column(verbose_name="Urgence")

    def render_late(self, record):
        return late_badge() if record.is_late() else "—"

    def render_is_emergency(self, value):
        return EMERGENCY if value else "—"


class ProjectTable(FlagsTable):
    reference = tables.Column(verbose_name="Référence", linkify=True, order_by=("created_at", "pk"))
    object = tables.Column(verbose_name="Objet", linkify=True)
    family = tables.Column(verbose_name="Famille", accessor="family__code", order_by=("family__code",))
    stage = tables.Column(verbose_name="Étape", order_by=("stage__position",))
    stage_due_on = tables.DateColumn(verbose_name="Échéance de l'étape", format="d/m/Y")
    contract_procedure = tables.Column(verbose_name="Procédure retenue")
    estimated_value = tables.Column(verbose_name="Valeur estimée HT (€)", attrs={"td": {"class": "text-end"}})
    buyer = tables.Column(verbose_name="Acheteur en charge", order_by=("buyer__last_name", "buyer__username"))

    class Meta:
        model = Project
        fields = ["reference", "object", "family", "stage", "stage_due_on", "late", "is_emergency",
                  "contract_procedure", "estimated_value", "buyer"]  # fmt: skip
        sequence = fields
        empty_text = "Aucun projet d'achat ne correspond à ces critères."

    def render_estimated_value(self, value):
        return number(value)


class TaskTable(FlagsTable):
    reference = tables.Column(verbose_name="Référence", linkify=True, order_by=("created_at", "pk"))
    object = tables.Column(verbose_name="Projet", linkify=True)
    stage = tables.Column(verbose_name="Étape", order_by=("stage__position",))
    stage_due_on = tables.DateColumn(verbose_name="Échéance", format="d/m/Y")
    expected = tables.Column(
        verbose_name="Ce qui est attendu", accessor="stage__description", orderable=False
    )

    class Meta:
        model = Project
        fields = ["reference", "object", "stage", "stage_due_on", "late", "is_emergency", "expected"]
        sequence = fields
        empty_text = "Aucune tâche en attente : tout est à jour."
