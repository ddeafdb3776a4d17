"""The library's table: the document, its kind, where it is filed, its current version."""

import django_tables2 as tables
from django.utils.html import format_html

from mutualis.library.models import Document


class DocumentTable(tables.Table):
    title = tables.Column(verbose_name="Document", linkify=True)
    kind = tables.Column(verbose_name="Type")
    module = tables.Column(verbose_name="Module de l'offre", order_by="module__position", default="—")
    family = tables.Column(verbose_name="Famille d'achat", order_by="family__label", default="—")
    current_number = tables.Column(verbose_name="Version", empty_values=())
    updated_on = tables.DateColumn(verbose_name="Déposée le", format="d/m/Y", default="—")

    class Meta:
        model = Document
        fields = ["title", "kind", "module", "family", "current_number", "updated_on"]
        empty_text = "Aucun document ne correspond à ces critères."

    def render_title(self, value, record):
        if record.is_archived:
            return format_html('{} <span class="badge text-bg-secondary">Archivé</span>', value)
        if record.audience != "everyone":
            label = "Cellule achats" if record.audience == "team" else "Entités choisies"
            return format_html('{} <span class="badge text-bg-info">{}</span>', value, label)
        return value

    def render_current_number(self, value):
        return f"v{value}" if value else "—"
