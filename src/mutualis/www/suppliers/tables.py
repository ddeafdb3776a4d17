import django_tables2 as tables

from mutualis.suppliers.models import Supplier


class SupplierTable(tables.Table):
    name = tables.Column(verbose_name="Raison sociale", linkify=True)
    identifier = tables.Column(verbose_name="Identifiant")
    identifier_kind = tables.Column(verbose_name="Type")
    size_category = tables.Column(verbose_name="Catégorie")
    city = tables.Column(verbose_name="Ville")
    labels = tables.TemplateColumn(
        verbose_name="Économie inclusive",
        orderable=False,
        template_code="{% if record.is_siae %}SIAE {% endif %}{% if record.is_ea_esat %}EA/ESAT {% endif %}"
        "{% if record.is_ess %}ESS{% endif %}",
    )

    class Meta:
        model = Supplier
        fields = ["name", "identifier", "identifier_kind", "size_category", "city", "labels"]
        empty_text = "Aucun fournisseur ne correspond à ces critères."
