"""Export columns of the incident list (French headings). Export only: incidents are declared and moved on
their pages, where the workflow logs each step."""

from import_export import resources, widgets
from import_export.fields import Field


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


class IncidentResource(resources.Resource):
    id = _column("Numéro", "pk")
    occurred_on = _column("Survenu le", "occurred_on", widget=widgets.DateWidget())
    kind = _column("Nature", dehydrate_method=lambda incident: incident.get_kind_display())
    severity = _column("Gravité", dehydrate_method=lambda incident: incident.get_severity_display())
    contract = _column("Contrat", dehydrate_method=lambda incident: incident.contract.reference)
    contract_object = _column("Objet du contrat", dehydrate_method=lambda incident: incident.contract.object)
    family = _column("Famille d'achat", dehydrate_method=lambda incident: str(incident.contract.family or ""))
    entity = _column("Entité", dehydrate_method=lambda incident: str(incident.entity))
    supplier = _column("Titulaire", dehydrate_method=lambda incident: incident.supplier.name)
    description = _column("Description", "description")
    penalty_amount = _column("Pénalités appliquées (€ HT)", "penalty_amount", widget=widgets.DecimalWidget())
    status = _column("État", dehydrate_method=lambda incident: incident.get_status_display())
    handled_by = _column("Pris en charge par", dehydrate_method=lambda i: str(i.handled_by or ""))
    closed_on = _column("Clos le", "closed_on", widget=widgets.DateWidget())
    outcome = _column("Suite donnée", "outcome")
    declared_by = _column("Déclaré par", dehydrate_method=lambda i: str(i.declared_by or ""))

    class Meta:
        export_order = ["id", "occurred_on", "kind", "severity", "contract", "contract_object", "family",
                        "entity", "supplier", "description", "penalty_amount", "status", "handled_by",
                        "closed_on", "outcome", "declared_by"]  # fmt: skip
