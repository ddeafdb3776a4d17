"""The spend line list's table: amounts right-aligned in French, the contract or « Hors marché »."""

from functools import cached_property

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mutualis.core.formats import number
from mutualis.spend.models import SpendLine

AMOUNT = {"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}}
# The line's own page belongs to the corrections; its number links to it once that page exists.
DETAIL_URL_NAME = "spend:line_detail"


class SpendLineTable(tables.Table):
    paid_on = tables.DateColumn(verbose_name="Date", format="d/m/Y")
    entity = tables.Column(verbose_name="Entité", order_by=("entity__name",))
    mandate_number = tables.Column(verbose_name="Mandat")
    supplier_name = tables.Column(verbose_name="Fournisseur")
    amount_ht = tables.Column(verbose_name="Montant HT (€)", attrs=AMOUNT)
    account = tables.Column(verbose_name="Compte")
    # empty_values=(): the render methods also write what an empty value means.
    family = tables.Column(
        verbose_name="Famille", accessor="family__code", order_by=("family__code",), empty_values=()
    )
    contract = tables.Column(
        verbose_name="Contrat",
        accessor="contract__reference",
        order_by=("contract__reference",),
        empty_values=(),
    )
    match_method = tables.Column(verbose_name="Rattachement")

    class Meta:
        model = SpendLine
        fields = ["paid_on", "entity", "mandate_number", "supplier_name", "amount_ht", "account", "family",
                  "contract", "match_method"]  # fmt: skip
        empty_text = "Aucune ligne de dépense ne correspond à ces critères."

    @cached_property
    def _detail_exists(self) -> bool:
        try:
            reverse(DETAIL_URL_NAME, args=[1])
        except NoReverseMatch:
            return False
        return True

    def render_mandate_number(self, value, record):
        if self._detail_exists:
            return format_html('<a href="{}">{}</a>', reverse(DETAIL_URL_NAME, args=[record.pk]), value)
        return value

    def render_supplier_name(self, value, record):
        if record.supplier_siren:
            return format_html(
                '{} <span class="small text-body-secondary">({})</span>', value, record.supplier_siren
            )
        return value

    def render_amount_ht(self, value):
        return number(value)

    def render_contract(self, value, record):
        if record.contract_id is None:
            return mark_safe('<span class="badge text-bg-light border">Hors marché</span>')
        return format_html('<a href="{}">{}</a>', record.contract.get_absolute_url(), value)

    def render_family(self, value):
        return value or "Non classée"
