"""Spreadsheet columns for the purchase-family nomenclature and the CPV list."""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from mutualis.core.resources import BaseResource, ChoicesWidget, FrenchBooleanWidget, TextWidget
from mutualis.organisations.models import User

from .models import CpvCode, Nature, PurchaseFamily


class CpvCodesWidget(widgets.ManyToManyWidget):
    """CPV codes separated by commas or semicolons, with or without check digit; unknown codes are errors."""

    def __init__(self):
        super().__init__(CpvCode, field="code", separator=",")

    def clean(self, value, row=None, **kwargs):
        try:
            return CpvCode.objects.resolve(value)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(c.full_code for c in value.all())


class BuyerWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(User, field="username")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except User.DoesNotExist:
            raise ValueError(f"Aucun utilisateur n'a l'identifiant « {value} ».") from None


class PurchaseFamilyResource(BaseResource):
    import_max_rows = 5_000

    code = fields.Field(attribute="code", column_name="Code", widget=TextWidget())
    label = fields.Field(attribute="label", column_name="Libellé", widget=TextWidget())
    nature = fields.Field(attribute="nature", column_name="Nature", widget=ChoicesWidget(Nature.choices))
    description = fields.Field(attribute="description", column_name="Périmètre", widget=TextWidget())
    cpv_codes = fields.Field(attribute="cpv_codes", column_name="Codes CPV", widget=CpvCodesWidget())
    responsible_buyer = fields.Field(
        attribute="responsible_buyer", column_name="Acheteur responsable (identifiant)", widget=BuyerWidget()
    )
    is_active = fields.Field(attribute="is_active", column_name="Active", widget=FrenchBooleanWidget())

    class Meta(BaseResource.Meta):
        model = PurchaseFamily
        import_id_fields = ["code"]
        fields = ["code", "label", "nature", "description", "cpv_codes", "responsible_buyer", "is_active"]


class CpvResource(BaseResource):
    """Export only: the reference list is shipped, not edited."""

    code = fields.Field(attribute="full_code", column_name="Code CPV")
    label = fields.Field(attribute="label", column_name="Libellé")
    level = fields.Field(attribute="get_level_display", column_name="Niveau")
    parent = fields.Field(attribute="parent_id", column_name="Code parent")

    class Meta(BaseResource.Meta):
        model = CpvCode
        fields = ["code", "label", "level", "parent"]
