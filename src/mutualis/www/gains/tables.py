"""The gains list's table: the figures right-aligned, a surcharge written as such."""

import django_tables2 as tables
from django.utils.html import format_html

from mutualis.core.formats import number
from mutualis.gains.models import Gain
from mutualis.organisations.vocabulary import word

from .formats import signed_amount

AMOUNT = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}


def _abbr(short: str, long: str, rest: str):
    return format_html('<abbr title="{}">{}</abbr> {}', long, short, rest)


class GainTable(tables.Table):
    label = tables.Column(verbose_name="Objet", linkify=True)
    entity = tables.Column(verbose_name=word("one_cap"), order_by=("entity__name",))
    family = tables.Column(verbose_name="Famille", accessor="family__code", order_by=("family__code",))
    buyer = tables.Column(verbose_name="Acheteur", order_by=("buyer__last_name", "buyer__first_name"))
    lever = tables.Column(verbose_name="Levier")
    stage = tables.Column(verbose_name="Stade")
    status = tables.Column(verbose_name="État")
    reference_amount = tables.Column(
        verbose_name=_abbr("SR", "Situation de référence", "annuelle (€ HT)"), attrs=AMOUNT
    )
    new_amount = tables.Column(
        verbose_name=_abbr("SN", "Nouvelle situation", "annuelle (€ HT)"), attrs=AMOUNT
    )
    annual_gain = tables.Column(verbose_name="Gain annuel (€)", attrs=AMOUNT)
    gain_year_n = tables.Column(verbose_name="Gain N (€)", attrs=AMOUNT)
    gain_year_n1 = tables.Column(verbose_name="Gain N+1 (€)", attrs=AMOUNT)

    class Meta:
        model = Gain
        fields = ["label", "entity", "family", "buyer", "lever", "stage", "status", "reference_amount",
                  "new_amount", "annual_gain", "gain_year_n", "gain_year_n1"]  # fmt: skip
        empty_text = "Aucun gain ne correspond à ces critères."

    def render_reference_amount(self, value):
        return number(value)

    def render_new_amount(self, value):
        return number(value)

    def render_annual_gain(self, value):
        return signed_amount(value)

    def render_gain_year_n(self, value, record):
        return _in_year(value, record.year_n)

    def render_gain_year_n1(self, value, record):
        return _in_year(value, record.year_n + 1)


def _in_year(value, year: int):
    """The share, with the calendar year it falls in (N is the notification's year)."""
    return format_html('{} <span class="small text-body-secondary">({})</span>', signed_amount(value), year)
