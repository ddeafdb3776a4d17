"""Spreadsheet columns of the budget accounts' mapping: export of the list, import upserted by
(nomenclature, compte)."""

from django.core.exceptions import ValidationError
from import_export import fields

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.import_widgets import LookupWidget
from mutualis.core.resources import BaseResource, ChoicesWidget, TextWidget

from .accounts import clean_account
from .models import AccountFamily, Nomenclature


class NomenclatureWidget(ChoicesWidget):
    """Reads M21/M57 (or the label); writes the code, which is what finance people call it."""

    def render(self, value, obj=None, **kwargs):
        return value or ""


class AccountWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return clean_account(super().clean(value, row, **kwargs))
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None


class AccountFamilyResource(BaseResource):
    import_max_rows = 5_000

    nomenclature = fields.Field(
        attribute="nomenclature", column_name="Nomenclature", widget=NomenclatureWidget(Nomenclature.choices)
    )
    account = fields.Field(attribute="account", column_name="Compte", widget=AccountWidget())
    label = fields.Field(attribute="label", column_name="Intitulé", widget=TextWidget())
    family = fields.Field(
        attribute="family",
        column_name="Famille (code)",
        widget=LookupWidget(PurchaseFamily, "code", "Famille"),
    )

    class Meta(BaseResource.Meta):
        model = AccountFamily
        import_id_fields = ["nomenclature", "account"]
        fields = ["nomenclature", "account", "label", "family"]
