import django_tables2 as tables

from mutualis.catalogue.models import CpvCode, PurchaseFamily


class PurchaseFamilyTable(tables.Table):
    code = tables.Column(verbose_name="Code", linkify=True)
    label = tables.Column(verbose_name="Libellé", linkify=True)
    nature = tables.Column(verbose_name="Nature")
    cpv_count = tables.Column(verbose_name="Codes CPV", accessor="cpv_count", orderable=True)
    responsible_buyer = tables.Column(
        verbose_name="Acheteur responsable", order_by=("responsible_buyer__last_name",)
    )
    is_active = tables.BooleanColumn(verbose_name="Active", yesno="Oui,Non")

    class Meta:
        model = PurchaseFamily
        fields = ["code", "label", "nature", "cpv_count", "responsible_buyer", "is_active"]
        empty_text = "Aucune famille ne correspond à ces critères."


class CpvTable(tables.Table):
    full_code = tables.Column(verbose_name="Code", linkify=True, order_by=("code",))
    label = tables.Column(verbose_name="Libellé")
    level = tables.Column(verbose_name="Niveau")
    parent = tables.Column(verbose_name="Parent", accessor="parent_id")

    class Meta:
        model = CpvCode
        fields = ["full_code", "label", "level", "parent"]
        empty_text = "Aucun code CPV ne correspond à ces critères."
