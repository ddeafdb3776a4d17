import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mutualis.notifications.models import Notification
from mutualis.notifications.services import shorten


class NotificationTable(tables.Table):
    state = tables.Column(verbose_name="État", accessor="read_at", orderable=False, empty_values=())
    subject = tables.Column(verbose_name="Objet", orderable=False)
    body = tables.Column(verbose_name="Message", orderable=False)
    created_at = tables.DateTimeColumn(verbose_name="Reçue le", format="d/m/Y H:i", orderable=False)

    class Meta:
        model = Notification
        fields = ["state", "subject", "body", "created_at"]
        empty_text = "Aucune notification."
        # Unread rows stand out by weight and badge: a tinted row took the links' contrast below 4.5:1.
        row_attrs = {"class": lambda record: "" if record.read_at else "fw-semibold"}

    def render_state(self, value):
        return "Lue" if value else mark_safe('<span class="badge text-bg-warning">Non lue</span>')

    def render_subject(self, value, record):
        title = shorten(value, 16)
        if record.url:
            return format_html('<a href="{}" title="{}">{}</a>', record.url, value, title)
        return title

    def render_body(self, value):
        return shorten(value, 40)
