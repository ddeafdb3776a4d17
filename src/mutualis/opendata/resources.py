"""Export columns of the published contracts' list (never imported this way: DECP files are)."""

from import_export import fields

from mutualis.core.resources import BaseResource, TextWidget

from .models import ExternalContract


class ExternalContractResource(BaseResource):
    uid = fields.Field(attribute="uid", column_name="Identifiant national", widget=TextWidget())
    buyer_siret = fields.Field(
        attribute="buyer_siret", column_name="SIRET de l'acheteur", widget=TextWidget()
    )
    buyer_name = fields.Field(attribute="buyer_name", column_name="Acheteur")
    object = fields.Field(attribute="object", column_name="Objet")
    cpv = fields.Field(attribute="cpv", column_name="Code CPV", widget=TextWidget())
    procedure = fields.Field(attribute="procedure", column_name="Procédure")
    amount = fields.Field(attribute="amount", column_name="Montant HT")
    notification_date = fields.Field(attribute="notification_date", column_name="Notifié le")
    offers_received = fields.Field(attribute="offers_received", column_name="Offres reçues")
    published_on = fields.Field(attribute="published_on", column_name="Données publiées le")

    class Meta(BaseResource.Meta):
        model = ExternalContract
        fields = [
            "uid", "buyer_siret", "buyer_name", "object", "cpv", "procedure", "amount",
            "notification_date", "offers_received", "published_on",
        ]  # fmt: skip
