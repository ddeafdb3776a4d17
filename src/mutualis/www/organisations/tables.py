import django_tables2 as tables

from mutualis.organisations.models import Entity, PurchasingGroup, User


class EntityTable(tables.Table):
    name = tables.Column(verbose_name="Raison sociale", linkify=True)
    siret = tables.Column(verbose_name="SIRET")
    kind = tables.Column(verbose_name="Nature")
    purchasing_mode = tables.Column(verbose_name="Mode d'achat")
    finess = tables.Column(verbose_name="FINESS")
    city = tables.Column(verbose_name="Ville")
    is_active = tables.BooleanColumn(verbose_name="Actif", yesno="Oui,Non")

    class Meta:
        model = Entity
        fields = ["name", "siret", "kind", "purchasing_mode", "finess", "city", "is_active"]
        empty_text = "Aucune entité ne correspond à ces critères."


class UserTable(tables.Table):
    last_name = tables.Column(verbose_name="Nom", linkify=True)
    first_name = tables.Column(verbose_name="Prénom")
    username = tables.Column(verbose_name="Identifiant")
    job_title = tables.Column(verbose_name="Fonction")
    roles = tables.Column(verbose_name="Rôles", accessor="pk", orderable=False)
    is_active = tables.BooleanColumn(verbose_name="Actif", yesno="Oui,Non")

    class Meta:
        model = User
        fields = ["last_name", "first_name", "username", "job_title", "roles", "is_active"]
        empty_text = "Aucune personne ne correspond à ces critères."

    def render_roles(self, record) -> str:
        return "; ".join(f"{m.get_role_display()} ({m.entity})" for m in record.memberships.all())


class PurchasingGroupTable(tables.Table):
    name = tables.Column(verbose_name="Groupement", linkify=True)
    coordinator = tables.Column(verbose_name="Coordonnateur", order_by=("coordinator__name",))
    member_count = tables.Column(verbose_name="Membres", accessor="member_count")
    signed_count = tables.Column(verbose_name="Membres signataires", accessor="signed_count")
    convention_date = tables.DateColumn(verbose_name="Convention du", format="d/m/Y")
    is_active = tables.BooleanColumn(verbose_name="Actif", yesno="Oui,Non")

    class Meta:
        model = PurchasingGroup
        fields = ["name", "coordinator", "member_count", "signed_count", "convention_date", "is_active"]
        empty_text = "Aucun groupement de commandes."
