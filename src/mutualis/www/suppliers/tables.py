import django_tables2 as tables

from mutualis.suppliers.models import Supplier, SupplierCandidate


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


class SupplierCandidateTable(tables.Table):
    name = tables.Column(verbose_name="Raison sociale déclarée")
    siret = tables.Column(verbose_name="SIRET")
    interest_count = tables.Column(verbose_name="Intérêts")
    created_at = tables.DateColumn(verbose_name="Reçu le", format="d/m/Y")
    # The decision: the supplier once promoted, else the button that adds it (a POST with its token).
    # Inline code, not a template file: a file is rendered with a flattened context per row, where the
    # menu's lazy notification count is read again each time.
    supplier = tables.TemplateColumn(
        verbose_name="Répertoire",
        order_by=("supplier__name",),
        template_code=(
            "{% if record.supplier %}"
            '<a href="{{ record.supplier.get_absolute_url }}">{{ record.supplier }}</a>'
            "{% else %}"
            '<form method="post" action="{% url "suppliers:candidate_promote" record.pk %}">'
            "{% csrf_token %}"
            '<button type="submit" class="btn btn-sm btn-outline-primary">'
            "Ajouter {{ record.name }} au répertoire</button></form>"
            "{% endif %}"
        ),
    )

    class Meta:
        model = SupplierCandidate
        fields = ["name", "siret", "interest_count", "created_at", "supplier"]
        empty_text = "Aucune entreprise candidate ne correspond à ces critères."
