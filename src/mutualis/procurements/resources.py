"""Export columns of the project lists (the same as the pages' tables); projects are not imported."""

from import_export import resources, widgets
from import_export.fields import Field

from mutualis.contracts.resources import PriceLineResource

from .models import Offer, OfferPriceLine, Project

LATE = "En retard"
EMERGENCY = "Urgence impérieuse"


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


def _display(name):
    return lambda project: getattr(project, f"get_{name}_display")()


class _FlagsResource(resources.Resource):
    late = _column(LATE, dehydrate_method=lambda p: "Oui" if p.is_late() else "Non")
    is_emergency = _column(EMERGENCY, dehydrate_method=lambda p: "Oui" if p.is_emergency else "Non")


class ProjectResource(_FlagsResource):
    """Export only: the columns of the project list."""

    reference = _column("Référence", "reference")
    object = _column("Objet", "object")
    family = _column("Famille (code)", "family__code")
    stage = _column("Étape", "stage__label")
    stage_due_on = _column("Échéance de l'étape", "stage_due_on", widget=widgets.DateWidget())
    contract_procedure = _column("Procédure retenue", dehydrate_method=_display("contract_procedure"))
    estimated_value = _column("Valeur estimée HT (€)", "estimated_value", widget=widgets.DecimalWidget())
    buyer = _column("Acheteur en charge", dehydrate_method=lambda p: str(p.buyer or ""))
    status = _column("Statut", dehydrate_method=_display("status"))

    class Meta:
        export_order = ["reference", "object", "family", "stage", "stage_due_on", "late", "is_emergency",
                        "contract_procedure", "estimated_value", "buyer", "status"]  # fmt: skip


class TaskResource(_FlagsResource):
    reference = _column("Référence", "reference")
    object = _column("Projet", "object")
    stage = _column("Étape", "stage__label")
    stage_due_on = _column("Échéance", "stage_due_on", widget=widgets.DateWidget())
    expected = _column("Ce qui est attendu", "stage__description")

    class Meta:
        export_order = ["reference", "object", "stage", "stage_due_on", "late", "is_emergency", "expected"]


class OfferPriceLineResource(PriceLineResource):
    """The price schedule an offer quotes: the contract's columns, so a supplier's file fits both."""

    owner_field = "offer"

    class Meta(PriceLineResource.Meta):
        model = OfferPriceLine

    @classmethod
    def for_import(cls, user, offer: int):
        """An offer the user may see, while offers may still change (the offer_save guards)."""
        from mutualis.core.import_files import ImportFileError

        from .services.lots import offer_price_lines_problems

        found = Offer.objects.filter(
            lot__project__in=Project.objects.offers_visible_to(user), pk=offer
        ).first()
        if found is None:
            raise ImportFileError("Cette offre n'est pas visible par vous : aucun prix n'a été importé.")
        problems = offer_price_lines_problems(user, found)
        if problems:
            raise ImportFileError(" ".join(problems))
        return cls(owner=found)
