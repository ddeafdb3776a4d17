"""Export columns of the improvement log (French headings). Export only: actions are recorded and moved
on their pages, where the workflow logs each step."""

from django.utils import timezone
from import_export import resources, widgets
from import_export.fields import Field

from mutualis.procurements.models import StageCode

STAGES = dict(StageCode.choices)


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


class ImprovementResource(resources.Resource):
    id = _column("Numéro", "pk")
    kind = _column("Nature", dehydrate_method=lambda action: action.get_kind_display())
    title = _column("Intitulé", "title")
    description = _column("Constat", "description")
    stage = _column("Étape de la cartographie", dehydrate_method=lambda a: STAGES.get(a.stage_code, ""))
    project = _column("Projet", dehydrate_method=lambda a: str(a.project or ""))
    contract = _column("Contrat", dehydrate_method=lambda a: str(a.contract or ""))
    owner = _column("Pilote", dehydrate_method=lambda action: str(action.owner))
    due_on = _column("Échéance", "due_on", widget=widgets.DateWidget())
    status = _column("État", dehydrate_method=lambda action: action.get_status_display())
    late = _column("En retard", dehydrate_method="dehydrate_late")
    closed_on = _column("Close le", "closed_on", widget=widgets.DateWidget())
    outcome = _column("Résultat", "outcome")
    created_by = _column("Déclarée par", dehydrate_method=lambda a: str(a.created_by or ""))

    class Meta:
        export_order = ["id", "kind", "title", "description", "stage", "project", "contract", "owner",
                        "due_on", "status", "late", "closed_on", "outcome", "created_by"]  # fmt: skip

    def __init__(self, today=None, **kwargs):
        super().__init__(**kwargs)
        self.today = today or timezone.localdate()

    def dehydrate_late(self, action) -> str:
        return "Oui" if action.is_late(self.today) else "Non"
