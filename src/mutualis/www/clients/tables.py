"""The request list's table: what, for whom, which modules, where it stands, who and by when."""

import django_tables2 as tables
from django.utils.html import format_html

from mutualis.clients.models import ServiceRequest


class ServiceRequestTable(tables.Table):
    pk = tables.Column(verbose_name="N°", linkify=True)
    object = tables.Column(verbose_name="Objet", linkify=True)
    entity = tables.Column(verbose_name="Entité", order_by="entity__name")
    modules = tables.Column(verbose_name="Modules", orderable=False, empty_values=())
    status = tables.Column(verbose_name="État")
    assigned_to = tables.Column(verbose_name="Acheteur", order_by=("assigned_to__last_name",))
    target_date = tables.DateColumn(verbose_name="Date cible", format="d/m/Y")

    class Meta:
        model = ServiceRequest
        fields = ["pk", "object", "entity", "modules", "status", "assigned_to", "target_date"]
        empty_text = "Aucune demande ne correspond à ces critères."

    def render_modules(self, record):
        return ", ".join(module.title for module in record.modules.all())

    def render_target_date(self, value, record):
        if value is None:
            return "—"
        if record.is_late:
            return format_html('{} <span class="badge text-bg-danger">En retard</span>', f"{value:%d/%m/%Y}")
        return f"{value:%d/%m/%Y}"
