import django_tables2 as tables

from mutualis.organisations.models import Entity


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
