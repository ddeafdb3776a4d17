"""Spreadsheet columns for suppliers."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields

from mutualis.core.resources import BaseResource, ChoicesWidget, FrenchBooleanWidget, TextWidget

from .identifiers import IdentifierKind, normalise, parse_kind
from .models import SizeCategory, Supplier, SupplierCandidate


class SupplierResource(BaseResource):
    import_max_rows = 20_000

    identifier_kind = fields.Field(
        attribute="identifier_kind",
        column_name="Type d'identifiant",
        widget=ChoicesWidget(IdentifierKind.choices),
    )
    identifier = fields.Field(attribute="identifier", column_name="Identifiant", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="Raison sociale", widget=TextWidget())
    size_category = fields.Field(
        attribute="size_category", column_name="Catégorie", widget=ChoicesWidget(SizeCategory.choices)
    )
    postal_code = fields.Field(attribute="postal_code", column_name="Code postal", widget=TextWidget())
    insee_code = fields.Field(attribute="insee_code", column_name="Code commune INSEE", widget=TextWidget())
    city = fields.Field(attribute="city", column_name="Ville", widget=TextWidget())
    is_siae = fields.Field(attribute="is_siae", column_name="SIAE", widget=FrenchBooleanWidget())
    is_ea_esat = fields.Field(attribute="is_ea_esat", column_name="EA / ESAT", widget=FrenchBooleanWidget())
    is_ess = fields.Field(attribute="is_ess", column_name="ESS", widget=FrenchBooleanWidget())

    class Meta(BaseResource.Meta):
        model = Supplier
        import_id_fields = ["identifier_kind", "identifier"]
        fields = [
            "identifier_kind", "identifier", "name", "size_category", "postal_code",
            "insee_code", "city", "is_siae", "is_ea_esat", "is_ess",
        ]  # fmt: skip

    def before_import_row(self, row, **kwargs):
        # Deduplicate on the canonical spelling, whatever the file's spacing or kind spelling.
        raw_kind = row.get("Type d'identifiant") or IdentifierKind.SIRET
        try:
            kind = parse_kind(str(raw_kind))
        except ValidationError:
            return  # the kind column reports its own error
        row["Type d'identifiant"] = kind.value
        row["Identifiant"] = normalise(kind, TextWidget().clean(row.get("Identifiant")))


class SupplierCandidateResource(BaseResource):
    """Export columns of the candidates' list (never imported: candidates come from the portal)."""

    name = fields.Field(attribute="name", column_name="Raison sociale déclarée", widget=TextWidget())
    siret = fields.Field(attribute="siret", column_name="SIRET", widget=TextWidget())
    interest_count = fields.Field(attribute="interest_count", column_name="Intérêts")
    created_at = fields.Field(attribute="created_at", column_name="Reçu le")
    supplier = fields.Field(attribute="supplier__name", column_name="Fournisseur au répertoire")

    class Meta(BaseResource.Meta):
        model = SupplierCandidate
        fields = ["name", "siret", "interest_count", "created_at", "supplier"]

    def dehydrate_created_at(self, candidate) -> str:
        return timezone.localtime(candidate.created_at).strftime("%d/%m/%Y")
