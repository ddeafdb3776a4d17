"""Spreadsheet columns for member entities (import and export share them)."""

from import_export import fields

from mutualis.core.resources import BaseResource, ChoicesWidget, FrenchBooleanWidget, TextWidget
from mutualis.core.validators import compact_digits

from .models import Entity, EntityKind, GroupMembership, PurchasingGroup, PurchasingMode, User

PURCHASING_MODE = "Mode d'achat"


class EntityResource(BaseResource):
    import_max_rows = 5_000

    siret = fields.Field(attribute="siret", column_name="SIRET", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="Raison sociale", widget=TextWidget())
    short_name = fields.Field(attribute="short_name", column_name="Nom d'usage", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="Nature", widget=ChoicesWidget(EntityKind.choices))
    purchasing_mode = fields.Field(
        attribute="purchasing_mode", column_name=PURCHASING_MODE, widget=ChoicesWidget(PurchasingMode.choices)
    )
    finess = fields.Field(attribute="finess", column_name="FINESS juridique", widget=TextWidget())
    insee_code = fields.Field(attribute="insee_code", column_name="Code commune INSEE", widget=TextWidget())
    postal_code = fields.Field(attribute="postal_code", column_name="Code postal", widget=TextWidget())
    city = fields.Field(attribute="city", column_name="Ville", widget=TextWidget())
    is_active = fields.Field(attribute="is_active", column_name="Membre actif", widget=FrenchBooleanWidget())

    class Meta(BaseResource.Meta):
        model = Entity
        import_id_fields = ["siret"]
        fields = [
            "siret",
            "name",
            "short_name",
            "kind",
            "purchasing_mode",
            "finess",
            "insee_code",
            "postal_code",
            "city",
            "is_active",
        ]

    def before_import_row(self, row, **kwargs):
        # The natural key must match whatever spacing the file uses.
        row["SIRET"] = compact_digits(TextWidget().clean(row.get("SIRET")))
        # An empty mode keeps the entity's (the model's default for a new one) rather than being refused.
        if not str(row.get(PURCHASING_MODE) or "").strip():
            row.pop(PURCHASING_MODE, None)


class UserResource(BaseResource):
    """Export only: accounts are created from the interface, which e-mails the password link."""

    username = fields.Field(attribute="username", column_name="Identifiant")
    last_name = fields.Field(attribute="last_name", column_name="Nom")
    first_name = fields.Field(attribute="first_name", column_name="Prénom")
    email = fields.Field(attribute="email", column_name="Courriel")
    job_title = fields.Field(attribute="job_title", column_name="Fonction")
    is_active = fields.Field(attribute="is_active", column_name="Actif", widget=FrenchBooleanWidget())
    roles = fields.Field(column_name="Rôles")

    class Meta(BaseResource.Meta):
        model = User
        fields = ["username", "last_name", "first_name", "email", "job_title", "is_active", "roles"]

    def dehydrate_roles(self, user) -> str:
        # Reads the prefetched memberships: no query per row.
        return "; ".join(f"{m.get_role_display()} — {m.entity}" for m in user.memberships.all())


class PurchasingGroupResource(BaseResource):
    """Export only."""

    name = fields.Field(attribute="name", column_name="Groupement")
    coordinator = fields.Field(attribute="coordinator__siret", column_name="SIRET du coordonnateur")
    coordinator_name = fields.Field(attribute="coordinator__name", column_name="Coordonnateur")
    members = fields.Field(column_name="Membres (SIRET)")
    signed_count = fields.Field(attribute="signed_count", column_name="Membres signataires")
    convention_date = fields.Field(attribute="convention_date", column_name="Date de la convention")
    is_active = fields.Field(attribute="is_active", column_name="Actif", widget=FrenchBooleanWidget())

    class Meta(BaseResource.Meta):
        model = PurchasingGroup
        fields = [
            "name", "coordinator", "coordinator_name", "members", "signed_count", "convention_date",
            "is_active",
        ]  # fmt: skip

    def dehydrate_members(self, group) -> str:
        return "; ".join(member.siret for member in group.members.all())


class GroupMembershipResource(BaseResource):
    """A group's adhesions table, export only."""

    entity = fields.Field(attribute="entity__name", column_name="Membre")
    siret = fields.Field(attribute="entity__siret", column_name="SIRET")
    decision_date = fields.Field(attribute="decision_date", column_name="Date de la décision")
    decision_reference = fields.Field(attribute="decision_reference", column_name="Référence de la décision")
    signed_on = fields.Field(attribute="signed_on", column_name="Signature de la convention")
    joined_on = fields.Field(attribute="joined_on", column_name="Adhésion")
    left_on = fields.Field(attribute="left_on", column_name="Sortie")
    status = fields.Field(attribute="status_label", column_name="Statut")

    class Meta(BaseResource.Meta):
        model = GroupMembership
        fields = [
            "entity", "siret", "decision_date", "decision_reference", "signed_on", "joined_on", "left_on",
            "status",
        ]  # fmt: skip
