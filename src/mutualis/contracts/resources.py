"""Spreadsheet columns of the registry: import of an existing registry and export of any list."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from import_export import fields

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.export_plan import Many, joined
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
from .models import Contract, PriceLine, VatRate


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

    # Read without the record by the export's column plan (core/export_plan.py).
    export_columns = {
        "holders": Many("holder_links", "supplier__identifier", joined("; ")),
        "holder_names": Many("holder_links", "supplier__name", joined("; ")),
    }

    def dehydrate_holders(self, contract) -> str:
        # Holders in their position order, as the names; django-import-export 4 gives a widget's render
        # the value only, not the record, so the widget cannot write them.
        return "; ".join(link.supplier.identifier for link in contract.holder_links.all())

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


# ---------------------------------------------------------------------------------------------------
# Price schedules (BPU)

PRICE_LINE_FIELDS = [
    "position", "item_code", "label", "unit", "unit_price", "vat_rate", "annual_quantity",
    "revision_index", "base_month",
]  # fmt: skip


class FrenchDecimalWidget(fields.widgets.DecimalWidget):
    """A decimal as typed in French (« 1 234,50 », « 12,5 € ») or as Excel stores it (a float, read
    by its shortest spelling so that 0.1 stays 0.1); written without useless zeros, at least
    `min_places` decimals."""

    def __init__(self, min_places: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.min_places = min_places

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, int | Decimal):
            return Decimal(value)
        text = str(value).strip().removesuffix("€").removesuffix("%").strip()
        for space in (" ", "\u00a0", "\u202f"):
            text = text.replace(space, "")
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"« {value} » n'est pas un nombre (par exemple 1234,50).") from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        value = value.normalize() if isinstance(value, Decimal) else Decimal(value)
        if -value.as_tuple().exponent < self.min_places:
            value = value.quantize(Decimal(1).scaleb(-self.min_places))
        return super().render(value, obj, **kwargs)


class VatRateWidget(FrenchDecimalWidget):
    """A VAT rate in percent (« 20 », « 5,5 », « 5,5 % »); a cell Excel formats as a percentage
    arrives as a fraction (0.055) and is read as the same rate."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return VatRate.NORMAL
        rate = super().clean(value, row, **kwargs)
        rates = {Decimal(code): code for code in VatRate.values}
        if rate in rates:
            return rates[rate]
        if rate * 100 in rates:
            return rates[rate * 100]
        allowed = ", ".join(label.split(" ")[0] for label in VatRate.labels)
        raise ValueError(f"« {value} » n'est pas un taux de TVA français ({allowed}).")

    def render(self, value, obj=None, **kwargs):
        return super().render(Decimal(value), obj, **kwargs) if value not in (None, "") else ""


class MonthWidget(fields.widgets.Widget):
    """A month written mm/aaaa (also aaaa-mm, or a date Excel typed): stored as its first day."""

    PATTERNS = (r"(?P<m>\d{1,2})[/.-](?P<y>\d{4})", r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-\d{1,2})?")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime | date):
            return date(value.year, value.month, 1)
        text = str(value).strip()
        for pattern in self.PATTERNS:
            match = re.fullmatch(pattern, text)
            if match and 1 <= int(match["m"]) <= 12:
                return date(int(match["y"]), int(match["m"]), 1)
        raise ValueError(f"« {value} » n'est pas un mois au format mm/aaaa (par exemple 01/2026).")

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%m/%Y") if value else ""


class PriceLineResource(BaseResource):
    """The lines of one contract's price schedule; an import replaces the whole schedule (the page
    says so), so that the file is the schedule, not a patch on it."""

    import_max_rows = 10_000
    owner_field = "contract"

    position = column("position", "N°", fields.widgets.IntegerWidget())
    item_code = column("item_code", "Référence")
    label = column("label", "Désignation")
    unit = column("unit", "Unité")
    unit_price = column("unit_price", "Prix unitaire HT (€)", FrenchDecimalWidget(min_places=2))
    vat_rate = column("vat_rate", "TVA (%)", VatRateWidget())
    annual_quantity = column("annual_quantity", "Quantité annuelle estimée", FrenchDecimalWidget())
    revision_index = column("revision_index", "Indice de révision")
    base_month = column("base_month", "Mois de base (mm/aaaa)", MonthWidget())

    class Meta(BaseResource.Meta):
        model = PriceLine
        fields = PRICE_LINE_FIELDS
        import_id_fields = []  # the schedule is replaced: every row is a new line
        skip_unchanged = False
        report_skipped = False

    def __init__(self, owner=None):
        super().__init__()
        self.owner = owner
        self.positions: dict[int, int] = {}

    @classmethod
    def for_import(cls, user, contract: int):
        """The schedule of a contract the user may see and manage."""
        from mutualis.core.import_files import ImportFileError
        from mutualis.organisations.access import access_for
        from mutualis.organisations.roles import Perm

        found = Contract.objects.for_user(user).filter(pk=contract).first()
        if found is None or not access_for(user).has(Perm.MANAGE_CONTRACTS):
            raise ImportFileError("Ce contrat n'est pas modifiable par vous : aucun prix n'a été importé.")
        return cls(owner=found)

    def get_instance(self, instance_loader, row):
        return None

    def init_instance(self, row=None):
        return self._meta.model(**{self.owner_field: self.owner})

    def before_import(self, dataset, **kwargs):
        # Replaced whole: the old lines go first (in the dry run too, rolled back with it), so that a
        # line keeping its number is not refused as a duplicate of itself.
        self.positions = {}
        for old in self._meta.model.objects.filter(**{self.owner_field: self.owner}):
            old._history_user = kwargs.get("user")
            old.delete()

    def before_import_row(self, row, **kwargs):
        if str(row.get("N°") or "").strip() == "":
            row["N°"] = kwargs.get("row_number")  # unnumbered lines keep the file's order

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        line = kwargs.get("row_number", 0) + 1  # spreadsheet line, the header being line 1
        first = self.positions.setdefault(instance.position, line)
        if first != line:
            raise ValidationError(
                {"position": f"Le n° {instance.position} figure déjà ligne {first} du fichier."}
            )

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = kwargs.get("user")
