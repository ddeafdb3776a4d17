"""Export columns of the request list (French headings). Export only: requests are made and moved on their
pages, where the workflow logs each step."""

from import_export import resources, widgets
from import_export.fields import Field


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


class ServiceRequestResource(resources.Resource):
    id = _column("Numéro", "pk")
    created = _column("Demandée le", dehydrate_method=lambda r: r.created_at.date().strftime("%d/%m/%Y"))
    entity = _column("Entité", dehydrate_method=lambda r: str(r.entity))
    requested_by = _column("Demandée par", dehydrate_method=lambda r: str(r.requested_by or ""))
    object = _column("Objet de l'achat", "object")
    family = _column("Famille d'achat", dehydrate_method=lambda r: str(r.family))
    modules = _column("Modules", dehydrate_method=lambda r: " ; ".join(str(m) for m in r.modules.all()))
    estimated_amount = _column("Montant estimé (€ HT)", "estimated_amount", widget=widgets.DecimalWidget())
    wished_date = _column("Date souhaitée", "wished_date", widget=widgets.DateWidget())
    status = _column("État", dehydrate_method=lambda r: r.get_status_display())
    assigned_to = _column("Acheteur en charge", dehydrate_method=lambda r: str(r.assigned_to or ""))
    target_date = _column("Date cible", "target_date", widget=widgets.DateWidget())
    late = _column("En retard", dehydrate_method=lambda r: "Oui" if r.is_late else "Non")
    delivered_on = _column("Livrée le", "delivered_on", widget=widgets.DateWidget())
    decline_reason = _column("Motif du refus", "decline_reason")

    class Meta:
        export_order = ["id", "created", "entity", "requested_by", "object", "family", "modules",
                        "estimated_amount", "wished_date", "status", "assigned_to", "target_date", "late",
                        "delivered_on", "decline_reason"]  # fmt: skip
