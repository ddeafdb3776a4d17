import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from mutualis.contracts.models import Contract

from ..badges import late_badge


def _holders(record) -> str:
    return format_html_join(", ", "{}", ((link.supplier.name,) for link in record.holder_links.all()))


class ContractTable(tables.Table):
    reference = tables.Column(verbose_name="Référence", linkify=True)
    object = tables.Column(verbose_name="Objet", linkify=True)
    buyer = tables.Column(verbose_name="Acheteur", order_by=("buyer__name",))
    holders = tables.Column(verbose_name="Titulaire(s)", accessor="pk", orderable=False)
    family = tables.Column(verbose_name="Famille", accessor="family__code", order_by=("family__code",))
    amount = tables.Column(verbose_name="Montant HT (€)", attrs={"td": {"class": "text-end"}})
    end_date = tables.DateColumn(verbose_name="Fin prévue", format="d/m/Y")
    decision_due_on = tables.DateColumn(verbose_name="Décision attendue", format="d/m/Y")

    class Meta:
        model = Contract
        fields = [
            "reference",
            "object",
            "buyer",
            "holders",
            "family",
            "amount",
            "end_date",
            "decision_due_on",
        ]
        empty_text = "Aucun contrat ne correspond à ces critères."
        # The contract's own fields the table reads (the list page loads only these).
        shown = ("reference", "object", "amount", "end_date", "decision_due_on")

    def render_holders(self, record):
        return _holders(record)

    def render_object(self, value):
        return Truncator(value).words(14, truncate="…")

    def render_decision_due_on(self, value):
        if value is None:
            return "—"
        due = value.strftime("%d/%m/%Y")
        if value < timezone.localdate():
            return format_html("{} {}", due, late_badge())
        return due

    def render_amount(self, value):
        # French format, with a no-break space so that amounts never wrap.
        return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")


class UsableContractTable(tables.Table):
    object = tables.Column(verbose_name="Objet", linkify=True)
    holders = tables.Column(verbose_name="Titulaire(s) et contact", accessor="pk", orderable=False)
    family = tables.Column(verbose_name="Famille", accessor="family__label", order_by=("family__code",))
    end_date = tables.DateColumn(verbose_name="Utilisable jusqu'au", format="d/m/Y")
    documents = tables.Column(verbose_name="Documents", accessor="document_count", orderable=False)

    class Meta:
        model = Contract
        fields = ["object", "holders", "family", "end_date", "documents"]
        empty_text = "Aucun contrat utilisable ne correspond à ces critères."

    def render_holders(self, record):
        return format_html_join("; ", "{}", ((_with_contact(link),) for link in record.holder_links.all()))


def _with_contact(link) -> str:
    contact = ", ".join(part for part in (link.contact_name, link.contact_email, link.contact_phone) if part)
    return f"{link.supplier.name} ({contact})" if contact else link.supplier.name
