import django_tables2 as tables

from mutualis.organisations.models import Entity, User


class EntityTable(tables.Table):
    name = tables.Column(verbose_name="Raison sociale", linkify=True)
    siret = tables.Column(verbose_name="SIRET")
    kind = tables.Column(verbose_name="Nature")
    finess = tables.Column(verbose_name="FINESS")
    city = tables.Column(verbose_name="Ville")
    is_active = tables.BooleanColumn(verbose_name="Actif", yesno="Oui,Non")

    class Meta:
        model = Entity
        fields = ["name", "siret", "kind", "finess", "city", "is_active"]
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
