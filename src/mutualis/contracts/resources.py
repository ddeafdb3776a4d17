"""Spreadsheet columns of the registry: import of an existing registry and export of any list."""

from import_export import fields

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.resources import BaseResource, ChoicesWidget, FrenchBooleanWidget, TextWidget
from mutualis.core.validators import compact_digits
from mutualis.organisations.models import Entity, PurchasingGroup

from . import enums
from .import_widgets import (
    HOLDER_IDS,
    HOLDER_NAMES,
    ChoiceListWidget,
    CpvWidget,
    EntitiesWidget,
    FrameworkWidget,
    HoldersWidget,
    LookupWidget,
)
from .models import Contract


def column(attribute, name, widget=None):
    return fields.Field(attribute=attribute, column_name=name, widget=widget or TextWidget())


class ContractResource(BaseResource):
    import_max_rows = 20_000

    reference = column("reference", "Référence")
    buyer = column(
        "buyer", "SIRET acheteur", LookupWidget(Entity, "siret", "Acheteur (SIRET)", compact_digits)
    )
    object = column("object", "Objet")
    nature = column("nature", "Nature", ChoicesWidget(enums.ContractNature.choices))
    techniques = column("techniques", "Techniques", ChoiceListWidget(enums.Technique))
    execution_modes = column(
        "execution_modes", "Modalités d'exécution", ChoiceListWidget(enums.ExecutionMode)
    )
    framework = column("framework", "Référence de l'accord-cadre", FrameworkWidget())
    cpv = column("cpv", "Code CPV", CpvWidget())
    family = column("family", "Famille (code)", LookupWidget(PurchaseFamily, "code", "Famille"))
    procedure = column("procedure", "Procédure", ChoicesWidget(enums.Procedure.choices))
    ccag = column("ccag", "CCAG", ChoicesWidget(enums.Ccag.choices))
    offers_received = column("offers_received", "Offres reçues", fields.widgets.IntegerWidget())
    price_types = column("price_types", "Types de prix", ChoiceListWidget(enums.PriceType))
    price_form = column("price_form", "Forme du prix", ChoicesWidget(enums.PriceForm.choices))
    amount = column("amount", "Montant HT", fields.widgets.DecimalWidget())
    minimum_amount = column("minimum_amount", "Montant minimum HT", fields.widgets.DecimalWidget())
    notification_date = column("notification_date", "Date de notification", fields.widgets.DateWidget())
    start_date = column("start_date", "Début d'exécution", fields.widgets.DateWidget())
    firm_duration_months = column(
        "firm_duration_months", "Durée ferme (mois)", fields.widgets.IntegerWidget()
    )
    renewal_count = column("renewal_count", "Nombre de reconductions", fields.widgets.IntegerWidget())
    renewal_period_months = column(
        "renewal_period_months", "Durée d'une reconduction (mois)", fields.widgets.IntegerWidget()
    )
    renewal_notice_months = column("renewal_notice_months", "Préavis (mois)", fields.widgets.IntegerWidget())
    holders = column("holders", HOLDER_IDS, HoldersWidget())
    holder_names = fields.Field(column_name=HOLDER_NAMES, readonly=True)
    grouping_kind = column(
        "grouping_kind", "Groupement d'opérateurs", ChoicesWidget(enums.GroupingKind.choices)
    )
    subcontracting_declared = column(
        "subcontracting_declared", "Sous-traitance déclarée", FrenchBooleanWidget()
    )
    social_considerations = column(
        "social_considerations", "Considérations sociales", ChoiceListWidget(enums.SocialConsideration)
    )
    environmental_considerations = column(
        "environmental_considerations", "Considérations environnementales",
        ChoiceListWidget(enums.EnvironmentalConsideration),
    )  # fmt: skip
    is_innovative = column("is_innovative", "Innovant", FrenchBooleanWidget())
    advance_paid = column("advance_paid", "Avance versée", FrenchBooleanWidget())
    advance_rate = column("advance_rate", "Taux d'avance", fields.widgets.DecimalWidget())
    execution_place_code = column("execution_place_code", "Lieu d'exécution (code)")
    execution_place_type = column(
        "execution_place_type", "Type de code du lieu", ChoicesWidget(enums.PlaceCodeType.choices)
    )
    available_to = column("available_to", "Entités utilisatrices (SIRET)", EntitiesWidget())
    purchasing_group = column(
        "purchasing_group", "Groupement de commandes", LookupWidget(PurchasingGroup, "name", "Groupement")
    )
    end_date = fields.Field(attribute="end_date", column_name="Fin prévue", readonly=True,
                            widget=fields.widgets.DateWidget())  # fmt: skip

    class Meta(BaseResource.Meta):
        model = Contract
        import_id_fields = ["buyer", "reference"]
        fields = [
            "reference", "buyer", "object", "nature", "techniques", "execution_modes", "framework", "cpv",
            "family", "procedure", "ccag", "offers_received", "price_types", "price_form", "amount",
            "minimum_amount", "notification_date", "start_date", "firm_duration_months", "renewal_count",
            "renewal_period_months", "renewal_notice_months", "holders", "holder_names", "grouping_kind",
            "subcontracting_declared", "social_considerations", "environmental_considerations",
            "is_innovative", "advance_paid", "advance_rate", "execution_place_code", "execution_place_type",
            "available_to", "purchasing_group", "end_date",
        ]  # fmt: skip

    def dehydrate_holder_names(self, contract) -> str:
        return "; ".join(link.supplier.name for link in contract.holder_links.all())

    def before_save_instance(self, instance, row, **kwargs):
        if instance.purchasing_group_id:
            instance.buyer = instance.purchasing_group.coordinator

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if instance.purchasing_group_id:
            instance.available_to.add(*instance.purchasing_group.members.exclude(pk=instance.buyer_id))

    def after_save_instance(self, instance, row, **kwargs):
        from .services import contract_refresh_schedule

        contract_refresh_schedule(instance)
